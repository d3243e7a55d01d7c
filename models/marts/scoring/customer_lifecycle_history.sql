{#- The LifeCycle grid as a movie: one row per acquired customer × month, from the acquisition month to the
    as-of month, with the cell the customer was in at the month end (the as-of date for the as-of month),
    counting only orders up to that date. Months before the first purchase have frequency 0 and no cell.
    Built from purchase months spread over the month spine (no per-month subqueries, no window over the
    customers × months rows).
    See docs/decisions.md#lifecycle-grid. -#}
{%- set recency_bounds = var('lifecycle_recency_band_days', [30, 90, 180, 365]) -%}
{%- set frequency_bounds = var('lifecycle_frequency_band_orders', [1, 2, 4]) -%}
{%- set recent_days = var('recent_repeater_max_days', 90) -%}
{%- set open_end = "cast('9999-12-01' as date)" -%}

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

monthly_purchases as (

    select
        customer_id,
        cast({{ dbt.date_trunc('month', 'purchase_date') }} as date) as month_start,
        sum(orders) as orders,
        max(purchase_date) as last_purchase_date
    from purchase_days
    group by 1, 2

),

purchase_months as (

    {#- Frequency and last order only change in months with a purchase: cumulate on the purchase months
        (small), then spread each over the months until the next purchase month (customer_months).
        No window runs over the customers × months rows. #}
    select
        customer_id,
        month_start,
        last_purchase_date,
        sum(orders) over (
            partition by customer_id
            order by month_start
            rows between unbounded preceding and current row
        ) as frequency,
        lead(month_start) over (partition by customer_id order by month_start) as next_purchase_month_start
    from monthly_purchases

),

first_purchase_months as (

    select
        customer_id,
        min(month_start) as first_purchase_month_start
    from monthly_purchases
    group by 1

),

intervals as (

    {#- Before the first purchase: from the acquisition month, frequency 0 (empty when both months are equal). #}
    select
        customers.customer_id,
        cast({{ dbt.date_trunc('month', 'customers.acquired_date') }} as date) as interval_start,
        coalesce(first_purchase_months.first_purchase_month_start, {{ open_end }}) as interval_end,
        0 as frequency,
        cast(null as date) as last_order_date
    from customers
    left join first_purchase_months
        on customers.customer_id = first_purchase_months.customer_id
    union all
    select
        purchase_months.customer_id,
        purchase_months.month_start as interval_start,
        coalesce(purchase_months.next_purchase_month_start, {{ open_end }}) as interval_end,
        purchase_months.frequency,
        purchase_months.last_purchase_date as last_order_date
    from purchase_months
    inner join customers
        on purchase_months.customer_id = customers.customer_id

),

customer_months as (

    select
        intervals.customer_id,
        months.month_end_date,
        case
            when months.month_end_date < months.as_of_date then months.month_end_date
            else months.as_of_date
        end as snapshot_date,
        intervals.frequency,
        intervals.last_order_date
    from intervals
    inner join months
        on
            intervals.interval_start <= months.month_start
            and intervals.interval_end > months.month_start

),

measured as (

    select
        customer_id,
        month_end_date,
        snapshot_date,
        last_order_date,
        {{ dbt.datediff('last_order_date', 'snapshot_date', 'day') }} as recency_days,
        frequency
    from customer_months

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
