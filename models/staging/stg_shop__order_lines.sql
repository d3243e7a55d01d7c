{#- A view, like stg_shop__orders: the valid rows of base_shop__order_lines, which is already a table. -#}
{{ config(materialized='view') }}

with

lines as (

    select * from {{ ref('base_shop__order_lines') }}
    where quarantine_reasons is null

),

final as (

    select
        order_id,
        line_number,
        product_id,
        product_name,
        product_category,
        quantity,
        line_amount
    from lines

)

select * from final
