{#- Segments over time: one row per customer × snapshot (int_segment_snapshots: the last day of each of the
    last var segment_history_months months and the as-of date), from the customer's first completed order on.
    Each snapshot counts only the orders up to its date and is scored by the same macros as the as-of marts,
    among the customers of that snapshot: rfm_scores() as customer_rfm, profit_tiers() as
    customer_profit_tiers, the LifeCycle bands as customer_lifecycle. So a snapshot equals what those marts say
    in a build with as_of_date = the snapshot date. See docs/decisions.md#segment-history. -#}
{%- set recency_bounds = drilldown.project_var('lifecycle_recency_band_days') -%}
{%- set frequency_bounds = drilldown.project_var('lifecycle_frequency_band_orders') -%}

with

snapshot_totals as (

    select * from {{ ref('int_customer_snapshot_totals') }}

),

segment_cells as (

    select * from {{ ref('int_rfm_segment_cells') }}

),

tiers as (

    select * from {{ ref('profit_tiers') }}

),

measured as (

    select
        customer_id,
        snapshot_date,
        snapshot_number,
        is_as_of_snapshot,
        first_order_date,
        last_order_date,
        cast({{ dbt.datediff('last_order_date', 'snapshot_date', 'day') }} as integer) as recency_days,
        completed_orders as frequency,
        revenue_total as monetary_total,
        {{ drilldown.money('revenue_total / cast(completed_orders as ' ~ drilldown.type_double() ~ ')') }}
            as monetary_avg,
        case when has_complete_margin then 'margin' else 'revenue' end as value_basis,
        case when has_complete_margin then margin_total else revenue_total end as cumulative_value
    from snapshot_totals

),

rfm_scored as (

    {{ drilldown.rfm_scores('measured', 'segment_cells', partition_by=['snapshot_date']) }}

),

tiered as (

    {{ drilldown.profit_tiers('rfm_scored', 'tiers', partition_by=['snapshot_date'], values_from='measured') }}

),

final as (

    select
        customer_id,
        snapshot_date,
        snapshot_number,
        is_as_of_snapshot,
        first_order_date,
        last_order_date,
        recency_days,
        frequency,
        monetary_total,
        monetary_avg,
        r_score,
        f_score,
        m_score,
        rfm_cell,
        rfm_segment,
        cast(rfm_segment_order as integer) as rfm_segment_order,
        cast(value_basis as {{ dbt.type_string() }}) as value_basis,
        {{ drilldown.money('cumulative_value', true) }} as cumulative_value,
        value_rank,
        cumulative_value_share,
        profit_tier,
        tier_order,
        cast(
            {{ drilldown.lifecycle_cell(
                drilldown.band_label('recency_days', recency_bounds),
                drilldown.band_label('frequency', frequency_bounds, lowest=1)
            ) }} as {{ dbt.type_string() }}
        ) as lifecycle_cell,
        {{ drilldown.is_recent_repeater('frequency', 'recency_days') }} as is_recent_repeater
    from tiered

)

select * from final
