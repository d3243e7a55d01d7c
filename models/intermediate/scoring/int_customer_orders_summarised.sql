{#- One row per customer with at least one completed order: the per-customer totals every scoring,
    LTV and campaign model starts from. Built from int_customer_purchase_days, so orders are read once.
    A table rebuilt on every run (docs/decisions.md#incremental-runs). -#}

with

purchase_days as (

    select * from {{ ref('int_customer_purchase_days') }}

),

summarised as (

    select
        customer_id,
        min(purchase_date) as first_order_date,
        max(purchase_date) as last_order_date,
        sum(orders) as completed_orders,
        count(*) as purchase_days,
        sum(revenue) as revenue_total,
        sum(margin) as margin_total,
        sum(orders_with_margin) as orders_with_margin,
        max(first_order_amount) as first_order_amount,
        sum(case when purchase_number = 1 then revenue end) as first_purchase_day_revenue,
        sum(case when purchase_number > 1 then revenue else 0 end) as repeat_revenue_total
    from purchase_days
    group by customer_id

),

final as (

    select
        customer_id,
        first_order_date,
        last_order_date,
        cast(completed_orders as integer) as completed_orders,
        cast(purchase_days as integer) as purchase_days,
        {{ drilldown.money('revenue_total', true) }} as revenue_total,
        {{ drilldown.money('margin_total', true) }} as margin_total,
        cast(orders_with_margin as integer) as orders_with_margin,
        orders_with_margin = completed_orders as has_complete_margin,
        {{ drilldown.money('first_order_amount', true) }} as first_order_amount,
        {{ drilldown.money('first_purchase_day_revenue', true) }} as first_purchase_day_revenue,
        {{ drilldown.money('repeat_revenue_total', true) }} as repeat_revenue_total
    from summarised

)

select * from final
