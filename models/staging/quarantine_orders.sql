{{ config(schema='quarantine') }}

with

orders as (

    select * from {{ ref('base_shop__orders') }}
    where quarantine_reasons is not null

),

final as (

    select
        quarantine_reasons,
        raw_order_id as order_id,
        raw_customer_id as customer_id,
        raw_ordered_at as ordered_at,
        raw_amount as amount,
        raw_gross_margin as gross_margin,
        raw_discount as discount,
        raw_status as status
    from orders

)

select * from final
