{#- Typed columns under other names, read through parse_raw's text path, give the values as written. -#}
{{ assert_equal_rows(ref('stg_shop__campaigns'), ref('expected_campaigns'), [
    'campaign_id', 'starts_at', 'response_window_days', 'cost_per_contact', 'fixed_cost', 'campaign_name',
]) }}
