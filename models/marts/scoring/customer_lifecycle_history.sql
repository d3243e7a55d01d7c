{#- The LifeCycle grid as a movie: one row per acquired customer × month, from the acquisition month to the
    as-of month, with the cell the customer was in at the month end (the as-of date for the as-of month),
    counting only orders up to that date. Months before the first purchase have frequency 0 and no cell.
    Built from purchase months spread over the month spine int_month_spine (no per-month subqueries, no window over the
    customers × months rows); months are numbered (year × 12 + month) so the spread is a join on a whole
    number (join_spine_on_range), and everything that is constant over an interval (frequency and its band)
    is computed once per interval. See docs/decisions.md#lifecycle-grid. -#}
{%- set recency_bounds = drilldown.project_var('lifecycle_recency_band_days') -%}
{%- set frequency_bounds = drilldown.project_var('lifecycle_frequency_band_orders') -%}

with

customers as (

    select * from {{ ref('int_customers_acquired') }}
    where acquired_date is not null

),

purchase_days as (

    select * from {{ ref('int_customer_purchase_days') }}

),

months as (

    select * from {{ ref('int_month_spine') }}

),

as_of as (

    select
        {{ drilldown.as_of_date() }} as as_of_date,
        {{ drilldown.month_number(dbt.date_trunc('month', drilldown.as_of_date())) }} as as_of_month_index

),

purchase_day_totals as (

    {#- Frequency and last order only change on purchase days: cumulate on the purchase days (one window,
        one sort), then keep the last purchase day of each month (purchase_months) and spread it over the
        months until the next purchase month (customer_months). No window runs over the customers × months
        rows. #}
    select
        customer_id,
        {{ drilldown.month_number('purchase_date') }} as month_index,
        purchase_date,
        sum(orders) over (
            partition by customer_id
            order by purchase_date
            rows between unbounded preceding and current row
        ) as frequency,
        {{ drilldown.month_number('lead(purchase_date) over (partition by customer_id order by purchase_date)') }}
            as next_purchase_month_index,
        row_number() over (partition by customer_id order by purchase_date) as purchase_day_number
    from purchase_days

),

purchase_months as (

    select
        customer_id,
        month_index,
        purchase_date as last_purchase_date,
        frequency,
        next_purchase_month_index
    from purchase_day_totals
    where next_purchase_month_index is null or next_purchase_month_index > month_index

),

first_purchase_months as (

    select
        customer_id,
        month_index as first_purchase_month_index
    from purchase_day_totals
    where purchase_day_number = 1

),

intervals as (

    {#- Before the first purchase: from the acquisition month, frequency 0 (empty when both months are equal).
        An interval ends (exclusive) at the next purchase month, at the latest after the as-of month. #}
    select
        customers.customer_id,
        {{ drilldown.month_number('customers.acquired_date') }} as start_month_index,
        least(
            coalesce(first_purchase_months.first_purchase_month_index, as_of.as_of_month_index + 1),
            as_of.as_of_month_index + 1
        ) as end_month_index,
        0 as frequency,
        cast(null as date) as last_order_date
    from customers
    cross join as_of
    left join first_purchase_months
        on customers.customer_id = first_purchase_months.customer_id
    union all
    select
        purchase_months.customer_id,
        purchase_months.month_index as start_month_index,
        least(
            coalesce(purchase_months.next_purchase_month_index, as_of.as_of_month_index + 1),
            as_of.as_of_month_index + 1
        ) as end_month_index,
        purchase_months.frequency,
        purchase_months.last_purchase_date as last_order_date
    from purchase_months
    cross join as_of
    inner join customers
        on purchase_months.customer_id = customers.customer_id

),

interval_bands as (

    {#- Frequency and its band are constant over an interval: computed once per interval, not per month. #}
    select
        customer_id,
        start_month_index,
        end_month_index,
        last_order_date,
        cast(frequency as integer) as frequency,
        cast(
            case when frequency >= 1 then {{ drilldown.band_label('frequency', frequency_bounds, lowest=1) }} end
            as {{ dbt.type_string() }}
        ) as frequency_band,
        cast(
            case when frequency >= 1 then {{ drilldown.band_number('frequency', frequency_bounds) }} end as integer
        ) as frequency_band_number
    from intervals

),

recency_bands as (

    {#- One row per band: each band's upper bound (and one above the last) stands for the band. #}
    {%- for value in recency_bounds + [recency_bounds[-1] + 1] %}
    select
        {{ drilldown.band_number(value | string, recency_bounds) }} as recency_band_number,
        {{ drilldown.band_label(value | string, recency_bounds) }} as recency_band
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

frequency_bands as (

    {%- for value in frequency_bounds + [frequency_bounds[-1] + 1] %}
    select
        {{ drilldown.band_number(value | string, frequency_bounds) }} as frequency_band_number,
        {{ drilldown.band_label(value | string, frequency_bounds, lowest=1) }} as frequency_band
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

lifecycle_cells as (

    {#- The grid's cell labels, built once: joined to the customer × month rows by band numbers instead of
        concatenating a label on every row. #}
    select
        recency_bands.recency_band_number,
        frequency_bands.frequency_band_number,
        cast(
            {{ drilldown.lifecycle_cell('recency_bands.recency_band', 'frequency_bands.frequency_band') }}
            as {{ dbt.type_string() }}
        ) as lifecycle_cell
    from recency_bands
    cross join frequency_bands

),

customer_months as (

    {{ drilldown.join_spine_on_range('interval_bands', 'months', 'month_index', 'start_month_index', 'end_month_index') }}

),

measured as (

    select
        customer_id,
        month_end_date,
        snapshot_date,
        last_order_date,
        cast({{ dbt.datediff('last_order_date', 'snapshot_date', 'day') }} as integer) as recency_days,
        frequency,
        frequency_band,
        frequency_band_number
    from customer_months

),

banded as (

    select
        *,
        cast({{ drilldown.band_label('recency_days', recency_bounds) }} as {{ dbt.type_string() }}) as recency_band,
        cast({{ drilldown.band_number('recency_days', recency_bounds) }} as integer) as recency_band_number
    from measured

),

final as (

    select
        banded.customer_id,
        banded.month_end_date,
        banded.snapshot_date,
        banded.last_order_date,
        banded.recency_days,
        banded.frequency,
        banded.recency_band,
        banded.recency_band_number,
        banded.frequency_band,
        banded.frequency_band_number,
        lifecycle_cells.lifecycle_cell,
        coalesce({{ drilldown.is_recent_repeater('banded.frequency', 'banded.recency_days') }}, false) as is_recent_repeater
    from banded
    left join lifecycle_cells
        on
            banded.recency_band_number = lifecycle_cells.recency_band_number
            and banded.frequency_band_number = lifecycle_cells.frequency_band_number

)

select * from final
