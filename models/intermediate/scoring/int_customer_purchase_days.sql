{#- One row per customer × purchase day (a day with at least one completed order), numbered, with the
    gap to the previous purchase day. Several orders on one day are one purchase
    (docs/decisions.md#purchase-days). The only scoring model that reads the orders: everything else
    aggregates this table. A table rebuilt on every run (docs/decisions.md#incremental-runs). -#}

with

orders as (

    select * from {{ ref('stg_shop__orders') }}
    where is_completed

),

purchase_days as (

    select
        customer_id,
        order_date as purchase_date,
        count(*) as orders,
        sum(amount) as revenue,
        sum(gross_margin) as margin,
        sum(case when gross_margin is not null then 1 else 0 end) as orders_with_margin,
        {{ drilldown.first_by('amount', ['ordered_at', 'order_id']) }} as first_order_amount_of_day
    from orders
    group by customer_id, order_date

),

sequenced as (

    select
        customer_id,
        purchase_date,
        orders,
        revenue,
        margin,
        orders_with_margin,
        first_order_amount_of_day,
        row_number() over (partition by customer_id order by purchase_date) as purchase_number,
        lag(purchase_date) over (partition by customer_id order by purchase_date) as previous_purchase_date
    from purchase_days

),

final as (

    select
        customer_id,
        purchase_date,
        cast(purchase_number as integer) as purchase_number,
        previous_purchase_date,
        cast({{ dbt.datediff('previous_purchase_date', 'purchase_date', 'day') }} as integer)
            as days_since_previous_purchase,
        cast(orders as integer) as orders,
        {{ drilldown.money('revenue', true) }} as revenue,
        {{ drilldown.money('margin', true) }} as margin,
        cast(orders_with_margin as integer) as orders_with_margin,
        {#- The customer's first completed order (earliest ordered_at, then order_id) is on the first day. #}
        {#- money() outside the case: a case with no else has an unconstrained numeric type on Postgres. #}
        {{ drilldown.money('case when purchase_number = 1 then first_order_amount_of_day end', true) }}
            as first_order_amount
    from sequenced

)

select * from final
