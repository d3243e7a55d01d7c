{#- The snapshot dates of customer_segment_history (docs/decisions.md#segment-history): the last day of
    each of the last var segment_history_months complete months before the as-of month, and the as-of date
    itself (the snapshot of the partial as-of month), numbered from the oldest (1) to the as-of date. Taken
    from the month spine, so a snapshot and the month of customer_lifecycle_history share a snapshot_date;
    a history shorter than the var gives fewer snapshots. -#}
{%- set history_months = drilldown.project_var('segment_history_months') -%}

with

months as (

    select * from {{ ref('int_month_spine') }}

),

recent_months as (

    select
        month_index,
        snapshot_date,
        is_complete,
        row_number() over (order by month_index desc) as months_back
    from months

),

final as (

    {#- months_back 1 is the as-of month (never complete); 2..N+1 are the N complete months before it. #}
    select
        snapshot_date,
        month_index,
        cast(row_number() over (order by month_index) as integer) as snapshot_number,
        not is_complete as is_as_of_snapshot
    from recent_months
    where months_back <= {{ history_months }} + 1

)

select * from final
