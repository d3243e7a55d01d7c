{#- A longer horizon never predicts fewer orders, a lower probability of ordering or a lower CLV, for
    whichever horizons var clv_horizon_days lists (sorted by drilldown.clv_horizon_days()). -#}
{%- set horizons = drilldown.clv_horizon_days() %}

select customer_id
from {{ ref('customer_clv') }}
where
    probability_alive is not null
    and (
        1 = 0
        {%- for days in horizons[1:] %}
        {%- set shorter = horizons[loop.index0] %}
        or probability_ordering_next_{{ shorter }}d > probability_ordering_next_{{ days }}d + 1e-12
        or expected_orders_next_{{ shorter }}d > expected_orders_next_{{ days }}d + 1e-12
        or predicted_clv_next_{{ shorter }}d > predicted_clv_next_{{ days }}d + 1e-9
        {%- endfor %}
    )
