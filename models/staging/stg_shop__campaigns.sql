with

campaigns as (

    select * from {{ ref('base_shop__campaigns') }}
    where quarantine_reasons is null

),

final as (

    select
        campaign_id,
        campaign_name,
        starts_at,
        cast(starts_at as date) as start_date,
        response_window_days,
        cost_per_contact,
        fixed_cost,
        offer_discount_pct,
        margin_rate
    from campaigns

)

select * from final
