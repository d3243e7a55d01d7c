{#- The base rate of a plan without a measured lift, from the customers' own history: per response window
    length W of the plans x RFM segment ('all' = every scored customer), the customers scored as of
    (as-of date - W) with rfm_scores() on their completed orders strictly before that date, and the share of
    them who bought in the W days that followed (up to the day before the as-of date), with their revenue there.
    See docs/decisions.md#campaign-forecast. -#}
{%- set double = drilldown.type_double() -%}

with

plans as (

    select * from {{ ref('stg_shop__campaign_plans') }}

),

purchase_days as (

    select * from {{ ref('int_customer_purchase_days') }}

),

segment_cells as (

    select * from {{ ref('int_rfm_segment_cells') }}

),

window_starts as (

    select distinct
        response_window_days as window_days,
        cast({{ dbt.dateadd('day', '-1 * response_window_days', drilldown.as_of_date()) }} as date) as scored_as_of_date
    from plans

),

history as (

    select
        window_starts.window_days,
        window_starts.scored_as_of_date,
        purchase_days.customer_id,
        max(purchase_days.purchase_date) as last_order_date,
        cast(sum(purchase_days.orders) as bigint) as frequency,
        {{ drilldown.money('sum(purchase_days.revenue)', true) }} as monetary_total
    from window_starts
    inner join purchase_days
        on window_starts.scored_as_of_date > purchase_days.purchase_date
    group by
        window_starts.window_days,
        window_starts.scored_as_of_date,
        purchase_days.customer_id

),

measured as (

    select
        window_days,
        scored_as_of_date,
        customer_id,
        {{ dbt.datediff('last_order_date', 'scored_as_of_date', 'day') }} as recency_days,
        frequency,
        monetary_total
    from history

),

scored as (

    {{ drilldown.rfm_scores('measured', 'segment_cells', partition_by=['window_days']) }}

),

window_purchases as (

    select
        window_starts.window_days,
        purchase_days.customer_id,
        {{ drilldown.money('sum(purchase_days.revenue)', true) }} as window_revenue
    from window_starts
    inner join purchase_days
        on
            window_starts.scored_as_of_date <= purchase_days.purchase_date
            and {{ drilldown.as_of_date() }} > purchase_days.purchase_date
    group by
        window_starts.window_days,
        purchase_days.customer_id

),

outcomes as (

    select
        scored.window_days,
        scored.scored_as_of_date,
        scored.rfm_segment,
        window_purchases.customer_id is not null as is_responder,
        coalesce(window_purchases.window_revenue, 0) as window_revenue
    from scored
    left join window_purchases
        on
            scored.window_days = window_purchases.window_days
            and scored.customer_id = window_purchases.customer_id

),

grouped_outcomes as (

    select
        window_days,
        scored_as_of_date,
        'all' as rfm_segment,
        is_responder,
        window_revenue
    from outcomes
    union all
    select
        window_days,
        scored_as_of_date,
        rfm_segment,
        is_responder,
        window_revenue
    from outcomes

),

final as (

    select
        window_days,
        scored_as_of_date,
        rfm_segment,
        count(*) as customers,
        cast(sum(case when is_responder then 1 else 0 end) as bigint) as responders,
        {{ drilldown.money('sum(window_revenue)', true) }} as revenue,
        cast(sum(case when is_responder then 1 else 0 end) as {{ double }}) / count(*) as response_rate,
        cast(sum(window_revenue) as {{ double }}) / count(*) as revenue_per_customer
    from grouped_outcomes
    group by
        window_days,
        scored_as_of_date,
        rfm_segment

)

select * from final
