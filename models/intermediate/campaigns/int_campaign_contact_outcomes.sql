{#- One row per campaign x contact (treated or control): what the contact bought in the response window
    (order_date >= start_date and < start_date + response_window_days; completed orders only) and the
    contact's RFM cell as of the campaign start. Contacts without orders (unknown customers) are kept as
    non-responders. See docs/decisions.md#campaign-response-window.
    pre_period_revenue, the CUPED covariate: completed revenue with order date in
    [start_date - cuped_pre_period_days, start_date), from the purchase days (docs/decisions.md#campaign-cuped). -#}
{%- set pre_period_days = drilldown.project_var('cuped_pre_period_days') %}

with

contacts as (

    select * from {{ ref('stg_shop__campaign_contacts') }}

),

campaigns as (

    select * from {{ ref('stg_shop__campaigns') }}

),

orders as (

    select * from {{ ref('stg_shop__orders') }}
    where is_completed

),

rfm_at_start as (

    select * from {{ ref('int_campaign_rfm_as_of_start') }}

),

purchase_days as (

    select * from {{ ref('int_customer_purchase_days') }}

),

windows as (

    select
        campaign_id,
        start_date,
        cast({{ dbt.dateadd('day', 'response_window_days', 'start_date') }} as date) as window_end_date,
        cast({{ dbt.dateadd('day', -pre_period_days, 'start_date') }} as date) as pre_period_start_date,
        margin_rate
    from campaigns

),

window_orders as (

    select
        contacts.campaign_id,
        contacts.customer_id,
        orders.order_id,
        orders.amount,
        {#- Margin: the order's gross margin, else amount x the campaign's margin rate (to the cent). -#}
        coalesce(orders.gross_margin, {{ drilldown.money('orders.amount * windows.margin_rate') }}) as margin,
        coalesce(orders.discount, 0) as discount
    from contacts
    inner join windows
        on contacts.campaign_id = windows.campaign_id
    inner join orders
        on
            contacts.customer_id = orders.customer_id
            and windows.start_date <= orders.order_date
            and windows.window_end_date > orders.order_date

),

contact_window as (

    select
        campaign_id,
        customer_id,
        count(*) as window_orders,
        {#- Money here, on the responders only: sums of cents are exact, so money(..., true) only casts them. #}
        {{ drilldown.money('sum(amount)', true) }} as window_revenue,
        {{ drilldown.money('sum(coalesce(margin, 0))', true) }} as window_margin,
        {{ drilldown.money('sum(discount)', true) }} as window_discount,
        cast(sum(case when margin is null then 1 else 0 end) as bigint) as window_orders_without_margin
    from window_orders
    group by
        campaign_id,
        customer_id

),

contact_pre_period as (

    select
        contacts.campaign_id,
        contacts.customer_id,
        {{ drilldown.money('sum(purchase_days.revenue)', true) }} as pre_period_revenue
    from contacts
    inner join windows
        on contacts.campaign_id = windows.campaign_id
    inner join purchase_days
        on
            contacts.customer_id = purchase_days.customer_id
            and windows.pre_period_start_date <= purchase_days.purchase_date
            and windows.start_date > purchase_days.purchase_date
    group by
        contacts.campaign_id,
        contacts.customer_id

),

final as (

    select
        contacts.campaign_id,
        contacts.customer_id,
        contacts.arm,
        contacts.is_control,
        contacts.designed_control_share,
        coalesce(contact_window.window_orders, 0) > 0 as is_responder,
        coalesce(contact_window.window_orders, 0) as window_orders,
        coalesce(contact_window.window_revenue, {{ drilldown.money('0') }}) as window_revenue,
        coalesce(contact_window.window_margin, {{ drilldown.money('0') }}) as window_margin,
        coalesce(contact_window.window_discount, {{ drilldown.money('0') }}) as window_discount,
        coalesce(contact_window.window_orders_without_margin, 0) as window_orders_without_margin,
        coalesce(contact_pre_period.pre_period_revenue, {{ drilldown.money('0') }}) as pre_period_revenue,
        rfm_at_start.recency_days,
        rfm_at_start.frequency,
        rfm_at_start.monetary_total,
        rfm_at_start.rfm_cell,
        coalesce(rfm_at_start.rfm_segment, 'no_prior_purchase') as rfm_segment,
        coalesce(rfm_at_start.profit_tier, 'no_prior_purchase') as profit_tier
    from contacts
    left join contact_window
        on
            contacts.campaign_id = contact_window.campaign_id
            and contacts.customer_id = contact_window.customer_id
    left join rfm_at_start
        on
            contacts.campaign_id = rfm_at_start.campaign_id
            and contacts.customer_id = rfm_at_start.customer_id
    left join contact_pre_period
        on
            contacts.campaign_id = contact_pre_period.campaign_id
            and contacts.customer_id = contact_pre_period.customer_id

)

select * from final
