{#- Who will buy again, how likely, and what each customer will be worth (docs/decisions.md#clv-models):
    one row per customer of customer_btyd_summary with P(alive), for each horizon N in var
    clv_horizon_days the expected repeat purchase days, the probability of ordering and the discounted
    predicted CLV, the Gamma-Gamma expected order value, and the propensity decile (10 = most likely to
    order in the next 90 days). Predictions are null when the fit did not converge
    (clv_model_parameters.fit_note says why). -#}
{%- set horizons = drilldown.clv_horizon_days() %}
{%- set propensity_column = 'probability_ordering_next_' ~ drilldown.clv_propensity_horizon_days() ~ 'd' %}

with

scores as (

    select * from {{ ref('int_customer_clv_scores') }}
    where fit_period = 'full'

),

customer_margins as (

    {#- margin_rate and its basis are defined once, per fit period, in int_customer_period_values. #}
    select
        customer_id,
        margin_rate,
        clv_value_basis as value_basis
    from {{ ref('int_customer_period_values') }}
    where fit_period = 'full'

),

per_customer as (

    select
        customer_id,
        max(probability_alive) as probability_alive,
        {%- for days in horizons %}
        max(case when horizon_days = {{ days }} then expected_orders end) as expected_orders_next_{{ days }}d,
        {%- endfor %}
        {%- for days in horizons %}
        max(case when horizon_days = {{ days }} then probability_ordering end) as probability_ordering_next_{{ days }}d,
        {%- endfor %}
        {%- for days in horizons %}
        max(case when horizon_days = {{ days }} then discounted_expected_orders end)
            as discounted_expected_orders_next_{{ days }}d,
        {%- endfor %}
        max(expected_order_value) as expected_order_value
    from scores
    group by customer_id

),

valued as (

    select
        per_customer.*,
        customer_margins.margin_rate,
        customer_margins.value_basis
    from per_customer
    inner join customer_margins
        on per_customer.customer_id = customer_margins.customer_id

),

propensity_deciles as (

    {{ drilldown.score_bins('valued', propensity_column, higher_is_better=true, n_bins=10) }}

),

with_deciles as (

    select
        valued.*,
        cast(propensity_deciles.score as integer) as propensity_decile
    from valued
    left join propensity_deciles
        on valued.{{ propensity_column }} = propensity_deciles.{{ propensity_column }}

),

final as (

    select
        customer_id,
        probability_alive,
        {%- for days in horizons %}
        expected_orders_next_{{ days }}d,
        {%- endfor %}
        {%- for days in horizons %}
        probability_ordering_next_{{ days }}d,
        {%- endfor %}
        expected_order_value,
        margin_rate,
        value_basis,
        {%- for days in horizons %}
        cast(
            discounted_expected_orders_next_{{ days }}d * expected_order_value * margin_rate
            as {{ drilldown.type_double() }}
        ) as predicted_clv_next_{{ days }}d,
        {%- endfor %}
        propensity_decile
    from with_deciles

)

select * from final
