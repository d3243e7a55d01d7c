{#- One wide row per customer in the spine (int_customers_acquired): acquisition, order totals, RFM,
    LifeCycle cell, latency status, recency offer, BTYD inputs, CLV predictions and advocate tier. Customers
    without a completed order have zero orders and null scores. Where BI and ad-hoc SQL start. -#}
{%- set horizons = drilldown.clv_horizon_days() %}

with

spine as (

    select * from {{ ref('int_customers_acquired') }}

),

customer_orders as (

    select * from {{ ref('int_customer_orders_summarised') }}

),

main_channels as (

    select * from {{ ref('int_customer_channels') }}
    where is_main_channel

),

rfm as (

    select * from {{ ref('customer_rfm') }}

),

lifecycle as (

    select * from {{ ref('customer_lifecycle') }}

),

latency as (

    select * from {{ ref('customer_latency') }}

),

offers as (

    select * from {{ ref('recency_offers') }}

),

btyd as (

    select * from {{ ref('customer_btyd_summary') }}

),

clv as (

    select * from {{ ref('customer_clv') }}

),

profit_tiers as (

    select * from {{ ref('customer_profit_tiers') }}

),

advocates as (

    select * from {{ ref('advocate_scores') }}

),

mention_input as (

    {#- No mention staged at all (no social_mentions file): the advocate columns are null, not 'none'. -#}
    select count(*) > 0 as has_mentions from {{ ref('stg_shop__social_mentions') }}

),

potential_scores as (

    select * from {{ ref('int_customer_potential_scores') }}
    where fit_period = 'full'

),

final as (

    select
        spine.customer_id,
        spine.acquired_date,
        spine.acquisition_source,
        spine.region,
        spine.is_in_customer_file,
        customer_orders.customer_id is not null as has_completed_order,
        customer_orders.first_order_date,
        customer_orders.last_order_date,
        cast(coalesce(customer_orders.completed_orders, 0) as integer) as completed_orders,
        cast(coalesce(customer_orders.purchase_days, 0) as integer) as purchase_days,
        {{ drilldown.money('coalesce(customer_orders.revenue_total, 0)', true) }} as revenue_total,
        customer_orders.margin_total,
        customer_orders.has_complete_margin,
        customer_orders.first_order_amount,
        coalesce(main_channels.channel_count, 0) as channel_count,
        main_channels.channel as main_channel,
        rfm.recency_days,
        rfm.monetary_avg,
        rfm.r_score,
        rfm.f_score,
        rfm.m_score,
        rfm.rfm_cell,
        rfm.rfm_segment,
        lifecycle.recency_band,
        lifecycle.frequency_band,
        lifecycle.lifecycle_cell,
        coalesce(lifecycle.is_recent_repeater, false) as is_recent_repeater,
        latency.frequency_segment,
        latency.avg_gap_days,
        latency.trip_wire_days,
        latency.expected_next_order_date,
        latency.latency_status,
        offers.offer_step,
        offers.discount_pct as offer_discount_pct,
        offers.is_worth_offering,
        offers.offer_reason,
        btyd.frequency as btyd_frequency,
        btyd.recency as btyd_recency,
        btyd.t as btyd_t,
        btyd.monetary_value as btyd_monetary_value,
        clv.probability_alive,
        {%- for days in horizons %}
        clv.expected_orders_next_{{ days }}d,
        {%- endfor %}
        {%- for days in horizons %}
        clv.probability_ordering_next_{{ days }}d,
        {%- endfor %}
        clv.expected_order_value,
        clv.margin_rate as clv_margin_rate,
        clv.value_basis as clv_value_basis,
        {%- for days in horizons %}
        clv.predicted_clv_next_{{ days }}d,
        {%- endfor %}
        clv.propensity_decile,
        profit_tiers.profit_tier,
        potential_scores.is_potential_high,
        case when mention_input.has_mentions then coalesce(advocates.advocate_tier, 'none') end as advocate_tier,
        advocates.advocate_rank,
        case
            when mention_input.has_mentions
                then coalesce(profit_tiers.tier_order = 1, false) and advocates.customer_id is null
        end as is_silent_high_value
    from spine
    cross join mention_input
    left join customer_orders
        on spine.customer_id = customer_orders.customer_id
    left join main_channels
        on spine.customer_id = main_channels.customer_id
    left join rfm
        on spine.customer_id = rfm.customer_id
    left join lifecycle
        on spine.customer_id = lifecycle.customer_id
    left join latency
        on spine.customer_id = latency.customer_id
    left join offers
        on spine.customer_id = offers.customer_id
    left join btyd
        on spine.customer_id = btyd.customer_id
    left join clv
        on spine.customer_id = clv.customer_id
    left join profit_tiers
        on spine.customer_id = profit_tiers.customer_id
    left join potential_scores
        on spine.customer_id = potential_scores.customer_id
    left join advocates
        on spine.customer_id = advocates.customer_id

)

select * from final
