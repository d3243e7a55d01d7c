{#- Profit tiers as of the as-of date: one row per customer with at least one completed order, their
    cumulative value (margin when every order has one, else revenue), its rank, the cumulative share of
    the positive value held by the customers at or above them, and the tier of the profit_tiers seed.
    A customer's tier is decided by the share held by the customers strictly above their tie group, so
    ties stay in one tier: the profit_tiers() macro, which customer_segment_history's snapshots use too.
    See docs/decisions.md#profit-tiers. -#}

with

customer_measures as (

    select * from {{ ref('int_customer_as_of_measures') }}

),

tiers as (

    select * from {{ ref('profit_tiers') }}

),

customer_values as (

    select
        customer_id,
        case when has_complete_margin then 'margin' else 'revenue' end as value_basis,
        case when has_complete_margin then margin_total else revenue_total end as cumulative_value
    from customer_measures

),

tiered as (

    {{ drilldown.profit_tiers('customer_values', 'tiers') }}

),

final as (

    select
        customer_id,
        cast(value_basis as {{ dbt.type_string() }}) as value_basis,
        {{ drilldown.money('cumulative_value', true) }} as cumulative_value,
        value_rank,
        cumulative_value_share,
        profit_tier,
        tier_order
    from tiered

)

select * from final
