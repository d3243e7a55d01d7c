{#- The discount ladder step of every customer with a completed order, by days since the last order.
    The ladder is the seed recency_offer_ladder (inclusive day ranges, empty max_days = open-ended),
    so marketers change steps, discounts and reasons without SQL. See docs/decisions.md#recency-offers. -#}

with

customer_orders as (

    select * from {{ ref('int_customer_orders_summarised') }}

),

ladder as (

    select * from {{ ref('recency_offer_ladder') }}

),

recency as (

    select
        customer_id,
        last_order_date,
        {{ dbt.datediff('last_order_date', drilldown.as_of_date(), 'day') }} as recency_days
    from customer_orders

),

final as (

    select
        recency.customer_id,
        recency.last_order_date,
        cast(recency.recency_days as integer) as recency_days,
        cast(ladder.offer_step as integer) as offer_step,
        cast(ladder.discount_pct as decimal(5, 2)) as discount_pct,
        ladder.is_worth_offering,
        cast(ladder.reason as {{ dbt.type_string() }}) as offer_reason
    from recency
    left join ladder
        on
            recency.recency_days >= ladder.min_days
            and (ladder.max_days is null or recency.recency_days <= ladder.max_days)

)

select * from final
