{#- One row per customer with at least one completed order: the per-customer totals of
    int_customer_orders_summarised and the measures every scoring mart reads as of the as-of date, each
    computed here once under one name (docs/decisions.md#as-of-measures):
    - recency_days: days from the last purchase day to the as-of date (RFM, lifecycle, latency, offers);
    - frequency: completed orders (the F of RFM and the LifeCycle grid; BTYD's frequency is repeat purchase
      days and lives in customer_btyd_summary);
    - frequency_segment: the latency segment by purchase days (light / moderate / heavy);
    - is_recent_repeater: 2+ completed orders and the last within var recent_repeater_max_days. -#}

with

customer_orders as (

    select * from {{ ref('int_customer_orders_summarised') }}

),

measured as (

    select
        customer_id,
        first_order_date,
        last_order_date,
        completed_orders,
        purchase_days,
        revenue_total,
        margin_total,
        orders_with_margin,
        has_complete_margin,
        first_order_amount,
        first_purchase_day_revenue,
        repeat_revenue_total,
        cast({{ dbt.datediff('last_order_date', drilldown.as_of_date(), 'day') }} as integer) as recency_days,
        completed_orders as frequency,
        cast({{ drilldown.latency_frequency_segment('purchase_days') }} as {{ dbt.type_string() }})
            as frequency_segment
    from customer_orders

),

final as (

    select
        *,
        {{ drilldown.is_recent_repeater('frequency', 'recency_days') }} as is_recent_repeater
    from measured

)

select * from final
