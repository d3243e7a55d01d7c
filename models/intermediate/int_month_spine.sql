{#- The one month spine: every calendar month from the month of the earliest acquisition to the as-of
    month, numbered by month_number() (year × 12 + month − 1, so consecutive months differ by 1), with its
    last day, the date a monthly snapshot is taken on (the month end, or the as-of date in the partial as-of
    month) and whether the month is complete (it ended before the as-of date). cohort_retention and
    customer_lifecycle_history read it. Generated from a fixed series (dbt.generate_series), not a recursive
    CTE, so it runs on every adapter. -#}
{#- Upper bound of months the spine can hold (1,000 years). -#}
{%- set max_months = 12000 -%}

with

customers as (

    select * from {{ ref('int_customers_acquired') }}

),

as_of as (

    select
        {{ drilldown.as_of_date() }} as as_of_date,
        cast({{ dbt.date_trunc('month', drilldown.as_of_date()) }} as date) as as_of_month_start_date

),

first_month as (

    select cast({{ dbt.date_trunc('month', 'min(acquired_date)') }} as date) as first_month_start_date
    from customers
    where acquired_date is not null

),

month_offsets as (

    {{ dbt.generate_series(max_months) }}

),

months as (

    select
        cast(
            {{ dbt.dateadd('month', 'cast(month_offsets.generated_number as integer) - 1', 'first_month.first_month_start_date') }}
            as date
        ) as month_start_date
    from first_month
    cross join month_offsets
    where first_month.first_month_start_date is not null

),

final as (

    select
        months.month_start_date,
        {{ drilldown.month_number('months.month_start_date') }} as month_index,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'months.month_start_date')) }} as date)
            as month_end_date,
        case
            when
                cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'months.month_start_date')) }} as date)
                < as_of.as_of_date
                then cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'months.month_start_date')) }} as date)
            else as_of.as_of_date
        end as snapshot_date,
        cast({{ dbt.dateadd('month', 1, 'months.month_start_date') }} as date) <= as_of.as_of_date as is_complete
    from months
    cross join as_of
    where months.month_start_date <= as_of.as_of_month_start_date

)

select * from final
