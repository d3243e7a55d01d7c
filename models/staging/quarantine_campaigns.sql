{{ config(schema='quarantine') }}

with

campaigns as (

    select * from {{ ref('base_shop__campaigns') }}
    where quarantine_reasons is not null

),

final as (

    select
        quarantine_reasons,
        raw_campaign_id as campaign_id,
        raw_campaign_name as campaign_name,
        raw_starts_at as starts_at,
        raw_response_window_days as response_window_days,
        raw_cost_per_contact as cost_per_contact,
        raw_fixed_cost as fixed_cost,
        raw_offer_discount_pct as offer_discount_pct,
        raw_margin_rate as margin_rate
    from campaigns

)

select * from final
