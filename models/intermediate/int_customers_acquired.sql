{#- The customer spine: every customer in the customers file or with a valid order, with the
    acquisition date and source every mart uses (docs/decisions.md#acquisition-date).
    Completed orders come summarised (int_customer_orders_summarised: first_order_date is the first completed
    order's date); only the cancelled and returned orders are read from staging, because they are in no
    intermediate: they put a customer without a completed order in the spine and can date first_order_date. -#}

with

customers as (

    select * from {{ ref('stg_shop__customers') }}

),

completed_orders as (

    select * from {{ ref('int_customer_orders_summarised') }}

),

other_orders as (

    select * from {{ ref('stg_shop__orders') }}
    where not is_completed

),

first_other_orders as (

    select
        customer_id,
        min(order_date) as first_other_order_date
    from other_orders
    group by customer_id

),

spine as (

    select customer_id from customers
    union
    select customer_id from completed_orders
    union
    select customer_id from first_other_orders

),

final as (

    select
        spine.customer_id,
        {#- A sale before the recorded acquisition date moves acquisition back to that sale (least() skips
            nulls on DuckDB, Postgres and Spark). -#}
        least(customers.acquired_date, completed_orders.first_order_date) as acquired_date,
        customers.acquired_date as recorded_acquired_date,
        coalesce(customers.acquisition_source, 'unknown') as acquisition_source,
        customers.region,
        {#- The first valid order of any status: the earlier of the first completed and the first other order. -#}
        least(first_other_orders.first_other_order_date, completed_orders.first_order_date) as first_order_date,
        completed_orders.first_order_date as first_completed_order_date,
        customers.customer_id is not null as is_in_customer_file,
        coalesce(completed_orders.first_order_date < customers.acquired_date, false)
            as has_sale_before_recorded_acquisition
    from spine
    left join customers
        on spine.customer_id = customers.customer_id
    left join completed_orders
        on spine.customer_id = completed_orders.customer_id
    left join first_other_orders
        on spine.customer_id = first_other_orders.customer_id

)

select * from final
