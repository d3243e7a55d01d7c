{#- RFM of every customer as of each campaign's start (no look-ahead): completed orders strictly before
    start_date only, scored within the campaign over all customers with such an order (not only the
    contacts). See docs/decisions.md#campaign-rfm-as-of-the-start.
    Reads int_customer_purchase_days (completed orders per customer and day) rather than the orders: fewer
    rows, and a table instead of the staging view; the scores come from score_bins_lookup() (the distinct
    values are ranked, then joined back), the same scores as score_bins() over every row. -#}

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

recency_scores as (

    {{ drilldown.score_bins_lookup('measured', 'recency_days', higher_is_better=false, n_bins=5, partition_by=['campaign_id']) }}

),

frequency_scores as (

    {{ drilldown.score_bins_lookup('measured', 'frequency', higher_is_better=true, n_bins=5, partition_by=['campaign_id']) }}

),

monetary_scores as (

    {{ drilldown.score_bins_lookup('measured', 'monetary_total', higher_is_better=true, n_bins=5, partition_by=['campaign_id']) }}

),

scored as (

    select
        measured.*,
        recency_scores.score as r_score,
        frequency_scores.score as f_score,
        monetary_scores.score as m_score
    from measured
    left join recency_scores
        on
            measured.campaign_id = recency_scores.campaign_id
            and measured.recency_days = recency_scores.recency_days
    left join frequency_scores
        on
            measured.campaign_id = frequency_scores.campaign_id
            and measured.frequency = frequency_scores.frequency
    left join monetary_scores
        on
            measured.campaign_id = monetary_scores.campaign_id
            and measured.monetary_total = monetary_scores.monetary_total

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
