{#- Acquisition-month cohorts x months since acquisition: active customers, retention, cumulative revenue
    per original cohort customer. Every complete month from the cohort month up to the as-of date has a row
    (zeros included); the as-of month itself (partial) and later months are absent
    (docs/decisions.md#cohort-retention). Built from the purchase days (a month is a set of whole days), so
    orders are read once, by int_customer_purchase_days. -#}

with

customers as (

    select * from {{ ref('int_customers_acquired') }}

),

purchase_days as (

    select * from {{ ref('int_customer_purchase_days') }}

),

months as (

    select * from {{ ref('int_month_spine') }}

),

cohort_customers as (

    select
        customer_id,
        cast({{ dbt.date_trunc('month', 'acquired_date') }} as date) as cohort_month
    from customers
    where acquired_date is not null

),

cohort_sizes as (

    select
        cohort_month,
        count(*) as cohort_customers
    from cohort_customers
    group by cohort_month

),

customer_months as (

    select
        cohort_customers.cohort_month,
        cohort_customers.customer_id,
        cast({{ dbt.date_trunc('month', 'purchase_days.purchase_date') }} as date) as activity_month,
        sum(purchase_days.revenue) as revenue
    from purchase_days
    inner join cohort_customers
        on purchase_days.customer_id = cohort_customers.customer_id
    group by
        cohort_customers.cohort_month,
        cohort_customers.customer_id,
        cast({{ dbt.date_trunc('month', 'purchase_days.purchase_date') }} as date)

),

cohort_activity as (

    select
        cohort_month,
        activity_month,
        count(*) as active_customers,
        sum(revenue) as revenue
    from customer_months
    group by cohort_month, activity_month

),

cohort_months as (

    {#- A month is shown once it is complete: it ended before the as-of date. #}
    select
        cohort_sizes.cohort_month,
        cohort_sizes.cohort_customers,
        months.month_index - {{ drilldown.month_number('cohort_sizes.cohort_month') }} as months_since_acquisition,
        months.month_start_date as activity_month
    from cohort_sizes
    inner join months
        on cohort_sizes.cohort_month <= months.month_start_date
    where months.is_complete

),

cohort_month_values as (

    select
        cohort_months.cohort_month,
        cohort_months.months_since_acquisition,
        cohort_months.activity_month,
        cohort_months.cohort_customers,
        sum(
            case
                when cohort_activity.activity_month = cohort_months.activity_month
                    then cohort_activity.active_customers
                else 0
            end
        ) as active_customers,
        sum(
            case
                when cohort_activity.activity_month = cohort_months.activity_month
                    then cohort_activity.revenue
                else 0
            end
        ) as revenue,
        {{ drilldown.value_within_months(
            'cohort_activity.revenue', 'cohort_activity.activity_month', 'cohort_months.cohort_month',
            'cohort_months.months_since_acquisition + 1') }} as cumulative_revenue
    from cohort_months
    left join cohort_activity
        on
            cohort_months.cohort_month = cohort_activity.cohort_month
            and cohort_months.activity_month >= cohort_activity.activity_month
    group by
        cohort_months.cohort_month,
        cohort_months.months_since_acquisition,
        cohort_months.activity_month,
        cohort_months.cohort_customers

),

final as (

    select
        cohort_month,
        months_since_acquisition,
        activity_month,
        cast(cohort_customers as integer) as cohort_customers,
        cast(active_customers as integer) as active_customers,
        cast(active_customers as {{ drilldown.type_double() }}) / cohort_customers as retention_rate,
        {{ drilldown.money('revenue') }} as revenue,
        {{ drilldown.money('cumulative_revenue') }} as cumulative_revenue,
        {{ drilldown.money('cumulative_revenue / cohort_customers') }} as cumulative_revenue_per_customer
    from cohort_month_values

)

select * from final
