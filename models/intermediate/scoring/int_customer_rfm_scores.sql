{#- RFM scores as of the as-of date: one row per customer with at least one completed order, relative 1-5
    scores (5 best) and the segment of the cell from the rfm_segments seed, through rfm_scores(), the scorer
    the campaign RFM as of the start and the segment history use too. See docs/decisions.md#rfm-scores.
    An intermediate so that intermediate steps (the campaign planner) read the current segment without
    reading a mart; customer_rfm publishes it. -#}

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

    {{ drilldown.rfm_scores('rfm_values', 'segment_cells') }}

),

final as (

    {#- Every column customer_rfm publishes, plus rfm_segment_order (the seed's order of the segment). #}
    select * from scored

)

select * from final
