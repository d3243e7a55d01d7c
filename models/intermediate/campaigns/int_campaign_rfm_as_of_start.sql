{#- RFM and profit tier of every customer as of each campaign's start (no look-ahead): completed orders
    strictly before start_date only, scored within the campaign over all customers with such an order (not
    only the contacts). See docs/decisions.md#campaign-rfm-as-of-the-start.
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

tiers as (

    select * from {{ ref('profit_tiers') }}

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
        {{ drilldown.money('sum(purchase_days.revenue)', true) }} as monetary_total,
        sum(purchase_days.margin) as margin_total,
        sum(purchase_days.orders_with_margin) as orders_with_margin
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
        history_by_start.monetary_total,
        case
            when history_by_start.orders_with_margin = history_by_start.frequency then history_by_start.margin_total
            else history_by_start.monetary_total
        end as cumulative_value
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
        monetary_total,
        cumulative_value
    from history

),

scored as (

    {{ drilldown.rfm_scores('measured', 'segment_cells', partition_by=['campaign_id']) }}

),

tiered as (

    {{ drilldown.profit_tiers('scored', 'tiers', partition_by=['campaign_id'], values_from='measured') }}

),

final as (

    select
        tiered.campaign_id,
        tiered.customer_id,
        tiered.start_date,
        tiered.last_order_date,
        tiered.recency_days,
        tiered.frequency,
        tiered.monetary_total,
        tiered.r_score,
        tiered.f_score,
        tiered.m_score,
        tiered.rfm_cell,
        tiered.rfm_segment,
        tiered.profit_tier,
        tiered.tier_order
    from tiered

)

select * from final
