{#- LifeCycle grid cell (recency band × frequency band) of every customer with a completed order, as of
    the as-of date, and the Recent Repeater flag. Bands from vars lifecycle_recency_band_days and
    lifecycle_frequency_band_orders. See docs/decisions.md#lifecycle-grid. -#}
{%- set recency_bounds = var('lifecycle_recency_band_days', [30, 90, 180, 365]) -%}
{%- set frequency_bounds = var('lifecycle_frequency_band_orders', [1, 2, 4]) -%}
{%- set recent_days = var('recent_repeater_max_days', 90) -%}

with

customer_orders as (

    select * from {{ ref('int_customer_orders_summarised') }}

),

measured as (

    select
        customer_id,
        last_order_date,
        cast({{ dbt.datediff('last_order_date', drilldown.as_of_date(), 'day') }} as integer) as recency_days,
        completed_orders as frequency
    from customer_orders

),

banded as (

    select
        customer_id,
        last_order_date,
        recency_days,
        frequency,
        {{ drilldown.band_label('recency_days', recency_bounds) }} as recency_band,
        {{ drilldown.band_number('recency_days', recency_bounds) }} as recency_band_number,
        {{ drilldown.band_label('frequency', frequency_bounds, lowest=1) }} as frequency_band,
        {{ drilldown.band_number('frequency', frequency_bounds) }} as frequency_band_number
    from measured

),

final as (

    select
        customer_id,
        last_order_date,
        recency_days,
        frequency,
        cast(recency_band as {{ dbt.type_string() }}) as recency_band,
        cast(recency_band_number as integer) as recency_band_number,
        cast(frequency_band as {{ dbt.type_string() }}) as frequency_band,
        cast(frequency_band_number as integer) as frequency_band_number,
        cast(
            {{ drilldown.lifecycle_cell('recency_band', 'frequency_band') }} as {{ dbt.type_string() }}
        ) as lifecycle_cell,
        frequency >= 2 and recency_days <= {{ recent_days }} as is_recent_repeater
    from banded

)

select * from final
