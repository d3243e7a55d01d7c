{{ config(schema='quarantine') }}

with

lines as (

    select * from {{ ref('base_shop__order_lines') }}
    where quarantine_reasons is not null

),

final as (

    select
        quarantine_reasons,
        raw_order_id as order_id,
        raw_line_number as line_number,
        raw_product_id as product_id,
        raw_product_category as product_category,
        raw_quantity as quantity,
        raw_line_amount as line_amount,
        raw_product_name as product_name
    from lines

)

select * from final
