{#- The customer spine: every customer in the customers file or with a valid order, with the
    acquisition date and source every mart uses (docs/decisions.md#acquisition-date). -#}

with

customers as (

    select * from {{ ref('stg_shop__customers') }}

),

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

first_orders as (

    select
        customer_id,
        min(case when is_completed then order_date end) as first_completed_order_date,
        min(order_date) as first_order_date
    from orders
    group by customer_id

),

spine as (

    select customer_id from customers
    union
    select customer_id from first_orders

),

final as (

    select
        spine.customer_id,
        {#- A sale before the recorded acquisition date moves acquisition back to that sale. -#}
        case
            when customers.acquired_date is null then first_orders.first_completed_order_date
            when first_orders.first_completed_order_date is null then customers.acquired_date
            when first_orders.first_completed_order_date < customers.acquired_date
                then first_orders.first_completed_order_date
            else customers.acquired_date
        end as acquired_date,
        customers.acquired_date as recorded_acquired_date,
        coalesce(customers.acquisition_source, 'unknown') as acquisition_source,
        customers.region,
        first_orders.first_order_date,
        first_orders.first_completed_order_date,
        customers.customer_id is not null as is_in_customer_file,
        coalesce(first_orders.first_completed_order_date < customers.acquired_date, false)
            as has_sale_before_recorded_acquisition
    from spine
    left join customers
        on spine.customer_id = customers.customer_id
    left join first_orders
        on spine.customer_id = first_orders.customer_id

)

select * from final
