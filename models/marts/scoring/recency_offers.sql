{#- The discount ladder step of every customer with a completed order, by days since the last order.
    The ladder is the seed recency_offer_ladder (inclusive day ranges, empty max_days = open-ended),
    so marketers change steps, discounts and reasons without SQL. See docs/decisions.md#recency-offers. -#}

with

customer_measures as (

    select * from {{ ref('int_customer_as_of_measures') }}

),

ladder as (

    select * from {{ ref('recency_offer_ladder') }}

),

final as (

    select
        customer_measures.customer_id,
        customer_measures.last_order_date,
        customer_measures.recency_days,
        cast(ladder.offer_step as integer) as offer_step,
        cast(ladder.discount_pct as decimal(5, 2)) as discount_pct,
        ladder.is_worth_offering,
        cast(ladder.reason as {{ dbt.type_string() }}) as offer_reason
    from customer_measures
    left join ladder
        on
            customer_measures.recency_days >= ladder.min_days
            and (ladder.max_days is null or customer_measures.recency_days <= ladder.max_days)

)

select * from final
