{#- One row per completed order x product category it holds: from the order's staged lines when it has any,
    else from orders.product_category (docs/decisions.md#order-lines). Orders without either are left out
    (they hold no known category). -#}

with

orders as (

    select
        order_id,
        customer_id,
        ordered_at,
        order_date,
        product_category
    from {{ ref('stg_shop__orders') }}
    where is_completed

),

lines as (

    select distinct
        order_id,
        product_category
    from {{ ref('stg_shop__order_lines') }}

),

orders_with_lines as (

    select distinct order_id
    from lines

),

categories_from_lines as (

    select
        orders.order_id,
        orders.customer_id,
        orders.ordered_at,
        orders.order_date,
        lines.product_category,
        true as is_from_lines
    from orders
    inner join lines
        on orders.order_id = lines.order_id

),

categories_from_orders as (

    select
        orders.order_id,
        orders.customer_id,
        orders.ordered_at,
        orders.order_date,
        orders.product_category,
        false as is_from_lines
    from orders
    left join orders_with_lines
        on orders.order_id = orders_with_lines.order_id
    where
        orders_with_lines.order_id is null
        and orders.product_category is not null

),

final as (

    select * from categories_from_lines
    union all
    select * from categories_from_orders

)

select * from final
