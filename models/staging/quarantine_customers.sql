{{ config(schema='quarantine') }}

with

customers as (

    select * from {{ ref('base_shop__customers') }}
    where quarantine_reasons is not null

),

final as (

    select
        quarantine_reasons,
        raw_customer_id as customer_id,
        raw_acquired_at as acquired_at,
        raw_acquisition_source as acquisition_source,
        raw_region as region
    from customers

)

select * from final
