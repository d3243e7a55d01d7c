{#- LifeCycle grid cell (recency band × frequency band) of every customer with a completed order, as of
    the as-of date, and the Recent Repeater flag. Bands from vars lifecycle_recency_band_days and
    lifecycle_frequency_band_orders. See docs/decisions.md#lifecycle-grid. -#}
{%- set recency_bounds = drilldown.project_var('lifecycle_recency_band_days') -%}
{%- set frequency_bounds = drilldown.project_var('lifecycle_frequency_band_orders') -%}

with

customer_measures as (

    select * from {{ ref('int_customer_as_of_measures') }}

),

banded as (

    select
        customer_id,
        last_order_date,
        recency_days,
        frequency,
        is_recent_repeater,
        {{ drilldown.band_label('recency_days', recency_bounds) }} as recency_band,
        {{ drilldown.band_number('recency_days', recency_bounds) }} as recency_band_number,
        {{ drilldown.band_label('frequency', frequency_bounds, lowest=1) }} as frequency_band,
        {{ drilldown.band_number('frequency', frequency_bounds) }} as frequency_band_number
    from customer_measures

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
        is_recent_repeater
    from banded

)

select * from final
