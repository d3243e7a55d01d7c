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

line_categories as (

    select distinct
        order_id,
        product_category
    from {{ ref('stg_shop__order_lines') }}

),

categorised as (

    {#- One left join: an order with lines gets a row per line category (a staged line always has one), an
        order without lines one row with its own product_category. The lines are grouped once, and no second
        pass finds the orders that have lines (docs/decisions.md#large-ctes-are-read-once). -#}
    select
        orders.order_id,
        orders.customer_id,
        orders.ordered_at,
        orders.order_date,
        coalesce(line_categories.product_category, orders.product_category) as product_category,
        line_categories.order_id is not null as is_from_lines
    from orders
    left join line_categories
        on orders.order_id = line_categories.order_id

),

final as (

    select * from categorised
    where product_category is not null

)

select * from final
