with

plans as (

    select * from {{ ref('base_shop__campaign_plans') }}
    where quarantine_reasons is null

),

final as (

    select
        plan_id,
        plan_name,
        starts_at,
        cast(starts_at as date) as start_date,
        response_window_days,
        target_segments,
        min_probability_ordering,
        max_contacts,
        cost_per_contact,
        fixed_cost,
        offer_discount_pct,
        margin_rate,
        based_on_campaign_id,
        assumed_relative_lift
    from plans

)

select * from final
