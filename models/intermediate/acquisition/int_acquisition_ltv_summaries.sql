{#- int_customer_value_windows summed once for both LTV marts: each customer window is read under two group
    kinds, its acquisition source and its first-purchase band, then summed per group x window
    (docs/decisions.md#ltv-windows). Only customers whose window is complete are counted; the others are
    counted as excluded. -#}

with

customer_value_windows as (

    select * from {{ ref('int_customer_value_windows') }}

),

group_kinds as (

    select 'acquisition_source' as group_kind
    union all
    select 'first_purchase_band' as group_kind

),

customer_groups as (

    select
        group_kinds.group_kind,
        case
            when group_kinds.group_kind = 'acquisition_source' then customer_value_windows.acquisition_source
            else customer_value_windows.first_purchase_band
        end as group_value,
        customer_value_windows.window_months,
        customer_value_windows.exclusion_reason,
        customer_value_windows.orders,
        customer_value_windows.is_repeat_buyer,
        customer_value_windows.revenue,
        customer_value_windows.margin
    from customer_value_windows
    cross join group_kinds

),

grouped as (

    select
        group_kind,
        group_value,
        window_months,
        count(*) as customers_total,
        sum(case when exclusion_reason is null then 1 else 0 end) as customers_counted,
        sum(case when exclusion_reason = 'window_incomplete' then 1 else 0 end) as customers_excluded_too_recent,
        sum(case when exclusion_reason = 'no_acquisition_date' then 1 else 0 end)
            as customers_without_acquisition_date,
        sum(case when exclusion_reason is null and orders > 0 then 1 else 0 end) as customers_with_purchase,
        sum(case when exclusion_reason is null and is_repeat_buyer then 1 else 0 end) as repeat_customers,
        sum(case when exclusion_reason is null then orders else 0 end) as orders_total,
        sum(case when exclusion_reason is null then revenue else 0 end) as revenue_total,
        sum(case when exclusion_reason is null and margin is not null then 1 else 0 end) as customers_margin_known,
        sum(case when exclusion_reason is null and margin is not null then margin else 0 end) as margin_total
    from customer_groups
    group by group_kind, group_value, window_months

),

final as (

    select
        group_kind,
        group_value,
        window_months,
        cast(customers_total as integer) as customers_total,
        cast(customers_counted as integer) as customers_counted,
        cast(customers_excluded_too_recent as integer) as customers_excluded_too_recent,
        cast(customers_without_acquisition_date as integer) as customers_without_acquisition_date,
        cast(customers_with_purchase as integer) as customers_with_purchase,
        cast(repeat_customers as integer) as repeat_customers,
        cast(orders_total as bigint) as orders_total,
        {{ drilldown.money('revenue_total') }} as revenue_total,
        {{ drilldown.money('revenue_total / nullif(customers_counted, 0)') }} as revenue_per_customer,
        cast(customers_counted - customers_margin_known as integer) as customers_margin_unknown,
        {{ drilldown.money('margin_total') }} as margin_total,
        {{ drilldown.money('margin_total / nullif(customers_margin_known, 0)') }} as margin_per_customer,
        cast(orders_total as {{ drilldown.type_double() }}) / nullif(customers_counted, 0) as orders_per_customer,
        cast(repeat_customers as {{ drilldown.type_double() }}) / nullif(customers_counted, 0) as repeat_rate
    from grouped

)

select * from final
