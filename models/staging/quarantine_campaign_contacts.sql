{{ config(schema='quarantine') }}

with

contacts as (

    select * from {{ ref('base_shop__campaign_contacts') }}
    where quarantine_reasons is not null

),

final as (

    select
        quarantine_reasons,
        raw_campaign_id as campaign_id,
        raw_customer_id as customer_id,
        raw_is_control as is_control,
        raw_arm as arm,
        raw_designed_control_share as designed_control_share
    from contacts

)

select * from final
