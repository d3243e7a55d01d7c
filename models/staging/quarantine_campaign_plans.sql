{{ config(schema='quarantine') }}

with

plans as (

    select * from {{ ref('base_shop__campaign_plans') }}
    where quarantine_reasons is not null

),

final as (

    select
        quarantine_reasons,
        raw_plan_id as plan_id,
        raw_plan_name as plan_name,
        raw_starts_at as starts_at,
        raw_response_window_days as response_window_days,
        raw_target_segments as target_segments,
        raw_min_probability_ordering as min_probability_ordering,
        raw_max_contacts as max_contacts,
        raw_cost_per_contact as cost_per_contact,
        raw_fixed_cost as fixed_cost,
        raw_offer_discount_pct as offer_discount_pct,
        raw_margin_rate as margin_rate,
        raw_based_on_campaign_id as based_on_campaign_id,
        raw_assumed_relative_lift as assumed_relative_lift
    from plans

)

select * from final
