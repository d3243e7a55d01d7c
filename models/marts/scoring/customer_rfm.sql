{#- RFM snapshot as of the as-of date: one row per customer with at least one completed order,
    relative 1-5 scores (5 best) from score_bins() and the segment of the cell from the rfm_segments seed.
    See docs/decisions.md#rfm-scores. -#}

with

customer_measures as (

    select * from {{ ref('int_customer_as_of_measures') }}

),

segment_cells as (

    select * from {{ ref('int_rfm_segment_cells') }}

),

rfm_values as (

    select
        customer_id,
        first_order_date,
        last_order_date,
        recency_days,
        frequency,
        revenue_total as monetary_total,
        {{ drilldown.money('revenue_total / cast(completed_orders as ' ~ drilldown.type_double() ~ ')') }}
            as monetary_avg
    from customer_measures

),

scored as (

    select
        customer_id,
        first_order_date,
        last_order_date,
        recency_days,
        frequency,
        monetary_total,
        monetary_avg,
        {{ drilldown.score_bins('recency_days', higher_is_better=false) }} as r_score,
        {{ drilldown.score_bins('frequency') }} as f_score,
        {{ drilldown.score_bins('monetary_total') }} as m_score
    from rfm_values

),

celled as (

    select
        *,
        cast(r_score as {{ dbt.type_string() }})
        || cast(f_score as {{ dbt.type_string() }})
        || cast(m_score as {{ dbt.type_string() }}) as rfm_cell
    from scored

),

final as (

    select
        celled.customer_id,
        celled.first_order_date,
        celled.last_order_date,
        celled.recency_days,
        celled.frequency,
        celled.monetary_total,
        celled.monetary_avg,
        cast(celled.r_score as integer) as r_score,
        cast(celled.f_score as integer) as f_score,
        cast(celled.m_score as integer) as m_score,
        celled.rfm_cell,
        segment_cells.rfm_segment
    from celled
    left join segment_cells
        on celled.rfm_cell = segment_cells.rfm_cell

)

select * from final
