{#- One row per customer × snapshot of int_segment_snapshots from the customer's first purchase day on:
    the customer's totals over the completed orders up to the snapshot date, as int_customer_orders_summarised
    sums them up to the as-of date (docs/decisions.md#segment-history). Totals only change on purchase days:
    they are cumulated over the purchase days (one window, one sort), the last purchase day of each month is
    kept and spread over the snapshot months until the customer's next purchase month. A snapshot is a month
    end or the as-of date, so every purchase day of a month counts from that month's snapshot on. -#}

with

purchase_days as (

    select * from {{ ref('int_customer_purchase_days') }}

),

snapshots as (

    select * from {{ ref('int_segment_snapshots') }}

),

snapshot_range as (

    select
        min(month_index) as first_month_index,
        max(month_index) + 1 as end_month_index
    from snapshots

),

running_totals as (

    select
        customer_id,
        purchase_date,
        {{ drilldown.month_number('purchase_date') }} as month_index,
        {{ drilldown.month_number('lead(purchase_date) over (partition by customer_id order by purchase_date)') }}
            as next_purchase_month_index,
        min(purchase_date) over (partition by customer_id) as first_order_date,
        sum(orders) over customer_days as completed_orders,
        sum(revenue) over customer_days as revenue_total,
        sum(margin) over customer_days as margin_total,
        sum(orders_with_margin) over customer_days as orders_with_margin
    from purchase_days
    window customer_days as (
        partition by customer_id
        order by purchase_date
        rows between unbounded preceding and current row
    )

),

month_end_totals as (

    {#- The last purchase day of each customer × month, valid from its month's snapshot until (exclusive)
        the next purchase month's, clamped to the snapshot range so the spread stays short. #}
    select
        running_totals.customer_id,
        running_totals.first_order_date,
        running_totals.purchase_date as last_order_date,
        running_totals.completed_orders,
        running_totals.revenue_total,
        running_totals.margin_total,
        running_totals.orders_with_margin,
        greatest(running_totals.month_index, snapshot_range.first_month_index) as start_month_index,
        least(
            coalesce(running_totals.next_purchase_month_index, snapshot_range.end_month_index),
            snapshot_range.end_month_index
        ) as end_month_index
    from running_totals
    cross join snapshot_range
    where
        running_totals.next_purchase_month_index is null
        or running_totals.next_purchase_month_index > running_totals.month_index

),

valid_ranges as (

    select * from month_end_totals
    where end_month_index > start_month_index

),

spread as (

    {{ drilldown.join_spine_on_range('valid_ranges', 'snapshots', 'month_index', 'start_month_index', 'end_month_index') }}

),

final as (

    select
        customer_id,
        snapshot_date,
        snapshot_number,
        is_as_of_snapshot,
        first_order_date,
        last_order_date,
        cast(completed_orders as integer) as completed_orders,
        {{ drilldown.money('revenue_total', true) }} as revenue_total,
        {{ drilldown.money('margin_total', true) }} as margin_total,
        cast(orders_with_margin as integer) as orders_with_margin,
        orders_with_margin = completed_orders as has_complete_margin
    from spread

)

select * from final
