{#- One row per customer x sales channel of the customer's completed orders (null channel = 'unknown'):
    orders and revenue in the channel, the customer's channel_count and whether the channel is the customer's
    main channel (most revenue, ties by channel name). Read by customers and channel_mix_by_segment.
    See docs/decisions.md#channel-mix. -#}

with

orders as (

    select * from {{ ref('stg_shop__orders') }}
    where is_completed

),

customer_channel_orders as (

    select
        customer_id,
        coalesce(channel, 'unknown') as channel,
        count(*) as orders,
        sum(amount) as revenue
    from orders
    group by
        customer_id,
        coalesce(channel, 'unknown')

),

ranked as (

    select
        customer_id,
        channel,
        orders,
        revenue,
        count(*) over (partition by customer_id) as channel_count,
        row_number() over (partition by customer_id order by revenue desc, channel asc) as revenue_rank
    from customer_channel_orders

),

final as (

    select
        customer_id,
        channel,
        cast(orders as integer) as orders,
        {{ drilldown.money('revenue', true) }} as revenue,
        cast(channel_count as integer) as channel_count,
        revenue_rank = 1 as is_main_channel
    from ranked

)

select * from final
