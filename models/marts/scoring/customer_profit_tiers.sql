{#- Profit tiers as of the as-of date: one row per customer with at least one completed order, their
    cumulative value (margin when every order has one, else revenue), its rank, the cumulative share of
    the positive value held by the customers at or above them, and the tier of the profit_tiers seed.
    A customer's tier is decided by the share held by the customers strictly above their tie group, so
    ties stay in one tier. See docs/decisions.md#profit-tiers. -#}

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

value_groups as (

    {#- One row per distinct positive value: ties form one group and are never split. #}
    select
        cumulative_value,
        sum(cumulative_value) as group_value
    from customer_values
    where cumulative_value > 0
    group by cumulative_value

),

group_running_values as (

    select
        cumulative_value,
        group_value,
        sum(group_value) over (
            order by cumulative_value desc rows between unbounded preceding and current row
        ) as value_through_group,
        sum(group_value) over () as total_positive_value
    from value_groups

),

group_shares as (

    {#- value_above_group = the value held by the customers strictly above the group (exact, decimal). #}
    select
        cumulative_value,
        value_through_group - group_value as value_above_group,
        total_positive_value,
        cast(value_through_group as {{ drilldown.type_double() }})
        / cast(total_positive_value as {{ drilldown.type_double() }}) as cumulative_value_share
    from group_running_values

),

group_tiers as (

    {#- The first tier whose max share is above the share held above the group, compared exactly:
        value_above / total < max share  <=>  value_above < max share × total (total > 0). #}
    select
        group_shares.cumulative_value,
        group_shares.cumulative_value_share,
        min(tiers.tier_order) as tier_order
    from group_shares
    inner join tiers
        on group_shares.value_above_group < tiers.max_cumulative_value_share * group_shares.total_positive_value
    group by group_shares.cumulative_value, group_shares.cumulative_value_share

),

last_tier as (

    select max(tier_order) as tier_order
    from tiers

),

ranked as (

    select
        customer_values.customer_id,
        customer_values.value_basis,
        customer_values.cumulative_value,
        rank() over (order by customer_values.cumulative_value desc) as value_rank,
        coalesce(group_tiers.cumulative_value_share, 1.0) as cumulative_value_share,
        coalesce(group_tiers.tier_order, last_tier.tier_order) as tier_order
    from customer_values
    left join group_tiers
        on customer_values.cumulative_value = group_tiers.cumulative_value
    cross join last_tier

),

final as (

    select
        ranked.customer_id,
        cast(ranked.value_basis as {{ dbt.type_string() }}) as value_basis,
        {{ drilldown.money('ranked.cumulative_value', true) }} as cumulative_value,
        cast(ranked.value_rank as integer) as value_rank,
        cast(ranked.cumulative_value_share as {{ drilldown.type_double() }}) as cumulative_value_share,
        cast(tiers.profit_tier as {{ dbt.type_string() }}) as profit_tier,
        cast(ranked.tier_order as integer) as tier_order
    from ranked
    inner join tiers
        on ranked.tier_order = tiers.tier_order

)

select * from final
