{#- RFM of every customer as of each campaign's start (no look-ahead): completed orders strictly before
    start_date only, scored within the campaign over all customers with such an order (not only the
    contacts). See docs/decisions.md#campaign-rfm-as-of-the-start. -#}

with

campaigns as (

    select * from {{ ref('stg_shop__campaigns') }}

),

orders as (

    select * from {{ ref('stg_shop__orders') }}
    where is_completed

),

segment_cells as (

    select * from {{ ref('int_rfm_segment_cells') }}

),

history as (

    select
        campaigns.campaign_id,
        campaigns.start_date,
        orders.customer_id,
        max(orders.order_date) as last_order_date,
        count(*) as frequency,
        {{ drilldown.money('sum(orders.amount)') }} as monetary_total
    from campaigns
    inner join orders
        on campaigns.start_date > orders.order_date
    group by
        campaigns.campaign_id,
        campaigns.start_date,
        orders.customer_id

),

measured as (

    select
        campaign_id,
        customer_id,
        start_date,
        last_order_date,
        {{ dbt.datediff('last_order_date', 'start_date', 'day') }} as recency_days,
        frequency,
        monetary_total
    from history

),

scored as (

    select
        *,
        {{ drilldown.score_bins('recency_days', higher_is_better=false, n_bins=5, partition_by='campaign_id') }} as r_score,
        {{ drilldown.score_bins('frequency', higher_is_better=true, n_bins=5, partition_by='campaign_id') }} as f_score,
        {{ drilldown.score_bins('monetary_total', higher_is_better=true, n_bins=5, partition_by='campaign_id') }} as m_score
    from measured

),

final as (

    select
        scored.campaign_id,
        scored.customer_id,
        scored.start_date,
        scored.last_order_date,
        scored.recency_days,
        scored.frequency,
        scored.monetary_total,
        scored.r_score,
        scored.f_score,
        scored.m_score,
        segment_cells.rfm_cell,
        segment_cells.rfm_segment
    from scored
    inner join segment_cells
        on
            scored.r_score = segment_cells.r_score
            and scored.f_score = segment_cells.f_score
            and scored.m_score = segment_cells.m_score

)

select * from final
