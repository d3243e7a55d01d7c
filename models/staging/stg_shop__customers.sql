with

customers as (

    select * from {{ ref('base_shop__customers') }}
    where quarantine_reasons is null

),

final as (

    select
        customer_id,
        acquired_at,
        cast(acquired_at as date) as acquired_date,
        acquisition_source,
        region
    from customers

)

select * from final
