{#- Quarantined order rows as read, each reason naming the user's column. -#}
{{ assert_equal_rows(ref('quarantine_orders'), ref('expected_quarantine_orders'), [
    'quarantine_reasons', 'order_id', 'customer_id', 'ordered_at', 'amount',
]) }}
