with

contacts as (

    select * from {{ ref('base_shop__campaign_contacts') }}
    where quarantine_reasons is null

),

final as (

    select
        campaign_id,
        customer_id,
        is_control,
        arm,
        designed_control_share
    from contacts

)

select * from final
