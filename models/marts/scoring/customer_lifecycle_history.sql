{#- The LifeCycle grid as a movie: one row per acquired customer × month, from the acquisition month to the
    as-of month, with the cell the customer was in at the month end (the as-of date for the as-of month),
    counting only orders up to that date. Months before the first purchase have frequency 0 and no cell.
    Built by cumulating monthly purchases with window functions (one pass, no per-month subqueries).
    See docs/decisions.md#lifecycle-grid. -#}
{%- set recency_bounds = var('lifecycle_recency_band_days', [30, 90, 180, 365]) -%}
{%- set frequency_bounds = var('lifecycle_frequency_band_orders', [1, 2, 4]) -%}
{%- set recent_days = var('recent_repeater_max_days', 90) -%}

with recursive

customers as (

    select * from {{ ref('int_customers_acquired') }}
    where acquired_date is not null

),

purchase_days as (

    select * from {{ ref('int_customer_purchase_days') }}

),

as_of as (

    select
        {{ drilldown.as_of_date() }} as as_of_date,
        cast({{ dbt.date_trunc('month', drilldown.as_of_date()) }} as date) as as_of_month

),

month_spine (month_start) as (

    select cast({{ dbt.date_trunc('month', 'min(acquired_date)') }} as date)
    from customers
    union all
    select cast({{ dbt.dateadd('month', 1, 'month_spine.month_start') }} as date)
    from month_spine
    where month_spine.month_start < (select as_of.as_of_month from as_of)

),

months as (

    select
        month_spine.month_start,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'month_spine.month_start')) }} as date)
            as month_end_date,
        as_of.as_of_date
    from month_spine
    cross join as_of
    where month_spine.month_start is not null

),

customer_months as (

    select
        customers.customer_id,
        months.month_start,
        months.month_end_date,
        case
            when months.month_end_date < months.as_of_date then months.month_end_date
            else months.as_of_date
        end as snapshot_date
    from customers
    inner join months
        on months.month_start >= cast({{ dbt.date_trunc('month', 'customers.acquired_date') }} as date)

),

monthly_purchases as (

    select
        customer_id,
        cast({{ dbt.date_trunc('month', 'purchase_date') }} as date) as month_start,
        sum(orders) as orders,
        max(purchase_date) as last_purchase_date
    from purchase_days
    group by 1, 2

),

cumulated as (

    select
        customer_months.customer_id,
        customer_months.month_start,
        customer_months.month_end_date,
        customer_months.snapshot_date,
        coalesce(sum(monthly_purchases.orders) over (
            partition by customer_months.customer_id
            order by customer_months.month_start
            rows between unbounded preceding and current row
        ), 0) as frequency,
        max(monthly_purchases.last_purchase_date) over (
            partition by customer_months.customer_id
            order by customer_months.month_start
            rows between unbounded preceding and current row
        ) as last_order_date
    from customer_months
    left join monthly_purchases
        on
            customer_months.customer_id = monthly_purchases.customer_id
            and customer_months.month_start = monthly_purchases.month_start

),

measured as (

    select
        customer_id,
        month_end_date,
        snapshot_date,
        last_order_date,
        {{ dbt.datediff('last_order_date', 'snapshot_date', 'day') }} as recency_days,
        frequency
    from cumulated

),

banded as (

    select
        *,
        {{ drilldown.band_label('recency_days', recency_bounds) }} as recency_band,
        {{ drilldown.band_number('recency_days', recency_bounds) }} as recency_band_number,
        case when frequency >= 1 then {{ drilldown.band_label('frequency', frequency_bounds, lowest=1) }} end
            as frequency_band,
        case when frequency >= 1 then {{ drilldown.band_number('frequency', frequency_bounds) }} end
            as frequency_band_number
    from measured

),

final as (

    select
        customer_id,
        month_end_date,
        snapshot_date,
        last_order_date,
        cast(recency_days as integer) as recency_days,
        cast(frequency as integer) as frequency,
        cast(recency_band as {{ dbt.type_string() }}) as recency_band,
        cast(recency_band_number as integer) as recency_band_number,
        cast(frequency_band as {{ dbt.type_string() }}) as frequency_band,
        cast(frequency_band_number as integer) as frequency_band_number,
        cast(
            {{ drilldown.lifecycle_cell('recency_band', 'frequency_band') }} as {{ dbt.type_string() }}
        ) as lifecycle_cell,
        coalesce(frequency >= 2 and recency_days <= {{ recent_days }}, false) as is_recent_repeater
    from banded

)

select * from final
