{#- Movement between segments (docs/decisions.md#segment-migration): for each pair of consecutive snapshots
    of customer_segment_history and for the pair (first snapshot, as-of date), per segmentation ('rfm_segment'
    and 'profit_tier'), from segment × to segment: the customers, their revenue in the period between
    (orders after the from-snapshot up to the to-snapshot), their share of the from-segment, and the movement
    by the seeds' order (rfm_segments.segment_order, profit_tiers.tier_order; 1 = best): up, down, same, or
    new (no completed order by the from-snapshot; from_segment is null). Customers never leave the history,
    so every customer of the from-snapshot is in the to-snapshot. -#}

with

history as (

    select * from {{ ref('customer_segment_history') }}

),

snapshots as (

    select distinct
        snapshot_number,
        snapshot_date,
        is_as_of_snapshot
    from history

),

snapshot_pairs as (

    {#- Consecutive snapshots, and the first snapshot to the as-of date when that is not already a pair. #}
    select
        from_snapshots.snapshot_date as from_snapshot_date,
        from_snapshots.snapshot_number as from_snapshot_number,
        to_snapshots.snapshot_date as to_snapshot_date,
        to_snapshots.snapshot_number as to_snapshot_number,
        case
            when to_snapshots.snapshot_number = from_snapshots.snapshot_number + 1 then 'consecutive'
            else 'first_to_as_of'
        end as period_kind
    from snapshots as from_snapshots
    inner join snapshots as to_snapshots
        on
            to_snapshots.snapshot_number = from_snapshots.snapshot_number + 1
            or (
                from_snapshots.snapshot_number = 1
                and to_snapshots.is_as_of_snapshot
                and to_snapshots.snapshot_number > 2
            )

),

customer_segments as (

    select
        customer_id,
        snapshot_number,
        'rfm_segment' as segmentation,
        rfm_segment as segment,
        rfm_segment_order as segment_order,
        monetary_total
    from history
    union all
    select
        customer_id,
        snapshot_number,
        'profit_tier' as segmentation,
        profit_tier as segment,
        tier_order as segment_order,
        monetary_total
    from history

),

customer_moves as (

    select
        snapshot_pairs.period_kind,
        snapshot_pairs.from_snapshot_date,
        snapshot_pairs.to_snapshot_date,
        to_segments.segmentation,
        from_segments.segment as from_segment,
        from_segments.segment_order as from_segment_order,
        to_segments.segment as to_segment,
        to_segments.segment_order as to_segment_order,
        to_segments.monetary_total - coalesce(from_segments.monetary_total, 0) as period_revenue
    from snapshot_pairs
    inner join customer_segments as to_segments
        on snapshot_pairs.to_snapshot_number = to_segments.snapshot_number
    left join customer_segments as from_segments
        on
            to_segments.customer_id = from_segments.customer_id
            and to_segments.segmentation = from_segments.segmentation
            and snapshot_pairs.from_snapshot_number = from_segments.snapshot_number

),

migrations as (

    select
        segmentation,
        period_kind,
        from_snapshot_date,
        to_snapshot_date,
        from_segment,
        from_segment_order,
        to_segment,
        to_segment_order,
        count(*) as customers,
        sum(period_revenue) as period_revenue
    from customer_moves
    group by
        segmentation,
        period_kind,
        from_snapshot_date,
        to_snapshot_date,
        from_segment,
        from_segment_order,
        to_segment,
        to_segment_order

),

final as (

    select
        cast(segmentation as {{ dbt.type_string() }}) as segmentation,
        cast(period_kind as {{ dbt.type_string() }}) as period_kind,
        from_snapshot_date,
        to_snapshot_date,
        cast(from_segment as {{ dbt.type_string() }}) as from_segment,
        cast(from_segment_order as integer) as from_segment_order,
        cast(to_segment as {{ dbt.type_string() }}) as to_segment,
        cast(to_segment_order as integer) as to_segment_order,
        cast(
            case
                when from_segment is null then 'new'
                when to_segment_order < from_segment_order then 'up'
                when to_segment_order > from_segment_order then 'down'
                else 'same'
            end as {{ dbt.type_string() }}
        ) as movement,
        cast(customers as integer) as customers,
        {#- The from-segment's customers (for new customers: all new customers of the period). #}
        cast(customers as {{ drilldown.type_double() }})
        / cast(sum(customers) over (
            partition by segmentation, from_snapshot_date, to_snapshot_date, from_segment
        ) as {{ drilldown.type_double() }}) as share_of_from_segment,
        {{ drilldown.money('period_revenue', true) }} as period_revenue
    from migrations

)

select * from final
