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

customer_moves as (

    {#- One join per pair of snapshots gives both segmentations' moves; revenue between = the difference of
        the two snapshots' revenue totals. #}
    select
        snapshot_pairs.period_kind,
        snapshot_pairs.from_snapshot_date,
        snapshot_pairs.to_snapshot_date,
        from_rows.rfm_segment as from_rfm_segment,
        from_rows.rfm_segment_order as from_rfm_segment_order,
        to_rows.rfm_segment as to_rfm_segment,
        to_rows.rfm_segment_order as to_rfm_segment_order,
        from_rows.profit_tier as from_profit_tier,
        from_rows.tier_order as from_tier_order,
        to_rows.profit_tier as to_profit_tier,
        to_rows.tier_order as to_tier_order,
        to_rows.monetary_total - coalesce(from_rows.monetary_total, 0) as period_revenue
    from snapshot_pairs
    inner join history as to_rows
        on snapshot_pairs.to_snapshot_number = to_rows.snapshot_number
    left join history as from_rows
        on
            to_rows.customer_id = from_rows.customer_id
            and snapshot_pairs.from_snapshot_number = from_rows.snapshot_number

),

migrations as (

    {% for segmentation, from_segment, from_order, to_segment, to_order in [
        ('rfm_segment', 'from_rfm_segment', 'from_rfm_segment_order', 'to_rfm_segment', 'to_rfm_segment_order'),
        ('profit_tier', 'from_profit_tier', 'from_tier_order', 'to_profit_tier', 'to_tier_order'),
    ] -%}
    select
        '{{ segmentation }}' as segmentation,
        period_kind,
        from_snapshot_date,
        to_snapshot_date,
        {{ from_segment }} as from_segment,
        {{ from_order }} as from_segment_order,
        {{ to_segment }} as to_segment,
        {{ to_order }} as to_segment_order,
        count(*) as customers,
        sum(period_revenue) as period_revenue
    from customer_moves
    group by
        period_kind,
        from_snapshot_date,
        to_snapshot_date,
        {{ from_segment }},
        {{ from_order }},
        {{ to_segment }},
        {{ to_order }}
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

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
