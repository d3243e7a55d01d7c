{#- RFM of every customer as of each campaign's start (no look-ahead): completed orders strictly before
    start_date only, scored within the campaign over all customers with such an order (not only the
    contacts). See docs/decisions.md#campaign-rfm-as-of-the-start.
    Reads int_customer_purchase_days (completed orders per customer and day) rather than the orders: fewer
    rows, and a table instead of the staging view; scored by rfm_scores(), as customer_rfm is. -#}

with

campaigns as (

    select * from {{ ref('stg_shop__campaigns') }}

),

purchase_days as (

    select * from {{ ref('int_customer_purchase_days') }}

),

segment_cells as (

    select * from {{ ref('int_rfm_segment_cells') }}

),

start_dates as (

    {#- Campaigns starting on the same day share one history. -#}
    select distinct start_date
    from campaigns

),

history_by_start as (

    select
        start_dates.start_date,
        purchase_days.customer_id,
        max(purchase_days.purchase_date) as last_order_date,
        cast(sum(purchase_days.orders) as bigint) as frequency,
        {{ drilldown.money('sum(purchase_days.revenue)', true) }} as monetary_total
    from start_dates
    inner join purchase_days
        on start_dates.start_date > purchase_days.purchase_date
    group by
        start_dates.start_date,
        purchase_days.customer_id

),

history as (

    select
        campaigns.campaign_id,
        history_by_start.start_date,
        history_by_start.customer_id,
        history_by_start.last_order_date,
        history_by_start.frequency,
        history_by_start.monetary_total
    from campaigns
    inner join history_by_start
        on campaigns.start_date = history_by_start.start_date

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

    {{ drilldown.rfm_scores('measured', 'segment_cells', partition_by=['campaign_id']) }}

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
        scored.rfm_cell,
        scored.rfm_segment
    from scored

)

select * from final
