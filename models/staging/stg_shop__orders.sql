{#- A view: the valid rows of base_shop__orders, which is already a table. Copying 5M+ rows into a
    second table cost more than the filter each reader pays (docs/decisions.md#staging-views). -#}
{{ config(materialized='view') }}

with

orders as (

    select * from {{ ref('base_shop__orders') }}
    where quarantine_reasons is null

),

final as (

    select
        order_id,
        customer_id,
        ordered_at,
        order_date,
        amount,
        gross_margin,
        discount,
        status,
        status = 'completed' as is_completed,
        channel,
        product_category
    from orders

)

select * from final
