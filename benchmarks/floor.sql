-- The floor: one hand-written DuckDB query computing what the scoring marts compute
-- (RFM scores, latency, BTYD summary) straight from the raw orders Parquet into one Parquet file.
-- benchmarks/run.py substitutes ${orders} and ${out}. Definitions (completed orders only):
--   as_of_date      = day after the latest order date (any status), as in base_as_of_date
--   recency_days    = as_of_date - last completed order date; frequency = completed orders;
--   monetary_total  = sum(amount); scores: 1 + floor(5 * (rank - 1) / n), rank() counted from the worst
--   avg_latency_days = average gap between consecutive purchase days = (last - first) / (purchase days - 1)
--   btyd_*          = lifetimes' summary_data_from_transaction_data(freq='D'): frequency = purchase days - 1,
--                     recency = last - first, T = as_of - first, monetary_value = mean revenue per repeat day
copy (
    with

    orders as (
        select
            customer_id,
            cast(ordered_at as date) as order_date,
            amount,
            coalesce(lower(status), 'completed') = 'completed' as is_completed
        from read_parquet('${orders}')
    ),

    customer_days as (
        select
            customer_id,
            order_date,
            count(*) filter (where is_completed) as orders,
            sum(amount) filter (where is_completed) as revenue
        from orders
        group by customer_id, order_date
    ),

    as_of as (
        select max(order_date) + 1 as as_of_date from customer_days
    ),

    customers as (
        select
            customer_id,
            count(*) as purchase_days,
            cast(sum(orders) as bigint) as frequency,
            cast(sum(revenue) as decimal(18, 2)) as monetary_total,
            min(order_date) as first_order_date,
            max(order_date) as last_order_date,
            arg_min(revenue, order_date) as first_day_revenue
        from customer_days
        where orders > 0
        group by customer_id
    ),

    measured as (
        select
            customers.*,
            as_of.as_of_date - customers.last_order_date as recency_days,
            as_of.as_of_date - customers.first_order_date as age_days,
            count(*) over () as customer_count
        from customers
        cross join as_of
    ),

    scored as (
        select
            cast(customer_id as varchar) as customer_id,
            recency_days,
            frequency,
            monetary_total,
            cast(monetary_total / frequency as decimal(18, 2)) as monetary_avg,
            1 + cast(floor(5 * (rank() over (order by recency_days desc) - 1) / customer_count) as integer) as r_score,
            1 + cast(floor(5 * (rank() over (order by frequency) - 1) / customer_count) as integer) as f_score,
            1 + cast(floor(5 * (rank() over (order by monetary_total) - 1) / customer_count) as integer) as m_score,
            case
                when purchase_days > 1
                    then (last_order_date - first_order_date) / (purchase_days - 1.0)
            end as avg_latency_days,
            case
                when purchase_days > 1
                    then last_order_date + cast(round((last_order_date - first_order_date) / (purchase_days - 1.0)) as integer)
            end as expected_next_order_date,
            purchase_days - 1 as btyd_frequency,
            last_order_date - first_order_date as btyd_recency,
            age_days as btyd_t,
            case
                when purchase_days > 1
                    then cast(monetary_total - first_day_revenue as decimal(18, 2)) / (purchase_days - 1.0)
                else 0
            end as btyd_monetary_value
        from measured
    )

    select
        *,
        cast(r_score as varchar) || cast(f_score as varchar) || cast(m_score as varchar) as rfm_cell
    from scored
) to '${out}' (format parquet);
