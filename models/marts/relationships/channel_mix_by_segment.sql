{#- Channel mix per RFM segment as of the as-of date: per segment x channel (null channel = 'unknown'), the
    customers who bought in the channel and their share of the segment, the customers whose main channel it is,
    orders and revenue and the revenue share, and single- vs multi-channel customers with their 12-month value
    (revenue in the 12 months after acquisition, complete windows only). See docs/decisions.md#channel-mix. -#}
{%- set double = drilldown.type_double() %}

with

rfm as (

    select * from {{ ref('customer_rfm') }}

),

customer_channels as (

    select * from {{ ref('int_customer_channels') }}

),

value_windows as (

    select * from {{ ref('int_customer_value_windows') }}
    where window_months = 12

),

segment_customer_channels as (

    select
        rfm.rfm_segment,
        customer_channels.customer_id,
        customer_channels.channel,
        customer_channels.orders,
        customer_channels.revenue,
        customer_channels.channel_count,
        customer_channels.is_main_channel,
        value_windows.is_window_complete,
        value_windows.revenue as revenue_12m
    from customer_channels
    inner join rfm
        on customer_channels.customer_id = rfm.customer_id
    left join value_windows
        on customer_channels.customer_id = value_windows.customer_id

),

segment_totals as (

    select
        rfm_segment,
        count(distinct customer_id) as segment_customers,
        sum(revenue) as segment_revenue
    from segment_customer_channels
    group by rfm_segment

),

segment_channels as (

    select
        rfm_segment,
        channel,
        count(*) as customers,
        sum(case when is_main_channel then 1 else 0 end) as main_channel_customers,
        sum(orders) as orders,
        sum(revenue) as revenue,
        sum(case when channel_count = 1 then 1 else 0 end) as single_channel_customers,
        sum(case when channel_count > 1 then 1 else 0 end) as multi_channel_customers,
        sum(case when channel_count = 1 and is_window_complete then 1 else 0 end)
            as single_channel_customers_counted_12m,
        sum(case when channel_count > 1 and is_window_complete then 1 else 0 end)
            as multi_channel_customers_counted_12m,
        sum(case when channel_count = 1 and is_window_complete then revenue_12m else 0 end)
            as single_channel_revenue_12m,
        sum(case when channel_count > 1 and is_window_complete then revenue_12m else 0 end)
            as multi_channel_revenue_12m
    from segment_customer_channels
    group by
        rfm_segment,
        channel

),

final as (

    select
        segment_channels.rfm_segment,
        segment_channels.channel,
        cast(segment_totals.segment_customers as integer) as segment_customers,
        cast(segment_channels.customers as integer) as customers,
        cast(segment_channels.customers as {{ double }}) / segment_totals.segment_customers as customer_share,
        cast(segment_channels.main_channel_customers as integer) as main_channel_customers,
        cast(segment_channels.main_channel_customers as {{ double }}) / segment_totals.segment_customers
            as main_channel_share,
        cast(segment_channels.orders as integer) as orders,
        {{ drilldown.money('segment_channels.revenue', true) }} as revenue,
        cast(segment_channels.revenue as {{ double }}) / nullif(segment_totals.segment_revenue, 0) as revenue_share,
        cast(segment_channels.single_channel_customers as integer) as single_channel_customers,
        cast(segment_channels.multi_channel_customers as integer) as multi_channel_customers,
        cast(segment_channels.single_channel_customers_counted_12m as integer)
            as single_channel_customers_counted_12m,
        cast(segment_channels.multi_channel_customers_counted_12m as integer)
            as multi_channel_customers_counted_12m,
        {{ drilldown.money(
            'segment_channels.single_channel_revenue_12m
            / nullif(segment_channels.single_channel_customers_counted_12m, 0)') }}
            as single_channel_revenue_per_customer_12m,
        {{ drilldown.money(
            'segment_channels.multi_channel_revenue_12m
            / nullif(segment_channels.multi_channel_customers_counted_12m, 0)') }}
            as multi_channel_revenue_per_customer_12m
    from segment_channels
    inner join segment_totals
        on segment_channels.rfm_segment = segment_totals.rfm_segment

)

select * from final
