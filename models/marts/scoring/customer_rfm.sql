{{ config(materialized=drilldown.publishing_materialization()) }}
{#- RFM snapshot as of the as-of date: one row per customer with at least one completed order, relative 1-5
    scores (5 best) and the segment of the cell from the rfm_segments seed, scored in int_customer_rfm_scores
    (rfm_scores(), the scorer the campaign RFM as of the start uses too). See docs/decisions.md#rfm-scores. -#}

with

rfm_scores as (

    select * from {{ ref('int_customer_rfm_scores') }}

),

final as (

    select
        customer_id,
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
        rfm_segment
    from rfm_scores

)

select * from final
