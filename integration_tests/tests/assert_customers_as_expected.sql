{#- The customers mart, built from renamed and typed columns, equals the hand-worked expectation. -#}
{{ assert_equal_rows(ref('customers'), ref('expected_customers'), [
    'customer_id', 'acquired_date', 'acquisition_source', 'region', 'is_in_customer_file', 'has_completed_order',
    'first_order_date', 'last_order_date', 'completed_orders', 'purchase_days', 'revenue_total',
    'first_order_amount', 'channel_count', 'main_channel', 'recency_days', 'margin_total', 'has_complete_margin',
]) }}
