{#- BG/NBD and Gamma-Gamma inputs per customer × observation period (docs/decisions.md#btyd-summary):
    'full' ends on the as-of date (marts.customer_btyd_summary is this period); 'calibration' ends var
    clv_backtest_holdout_days earlier and carries what the customer did in the holdout after it
    (docs/decisions.md#clv-backtest). As lifetimes' summary_data_from_transaction_data and
    calibration_and_holdout_data define them (freq 'D'), per period: frequency = purchase days - 1,
    recency = last - first purchase day, T = period end - first purchase day (days), monetary_value =
    mean revenue of the repeat purchase days (0 without repeats). A customer whose first purchase is
    after the calibration end has no calibration row. One pass over the purchase days. -#}
{%- set holdout_days = drilldown.clv_backtest_holdout_days() %}

with

purchase_days as (

    select * from {{ ref('int_customer_purchase_days') }}

),

period_ends as (

    select
        as_of_date,
        cast({{ dbt.dateadd('day', -holdout_days, 'as_of_date') }} as date) as calibration_end_date
    from {{ ref('base_as_of_date') }}

),

per_customer as (

    select
        purchase_days.customer_id,
        period_ends.as_of_date,
        period_ends.calibration_end_date,
        min(purchase_days.purchase_date) as first_order_date,
        max(purchase_days.purchase_date) as last_order_date,
        count(*) as purchase_days,
        sum(case when purchase_days.purchase_number > 1 then purchase_days.revenue else 0 end)
            as repeat_revenue_total,
        max(case
            when purchase_days.purchase_date <= period_ends.calibration_end_date
                then purchase_days.purchase_date
        end) as calibration_last_order_date,
        sum(case when purchase_days.purchase_date <= period_ends.calibration_end_date then 1 else 0 end)
            as calibration_purchase_days,
        sum(case
            when purchase_days.purchase_number > 1 and purchase_days.purchase_date <= period_ends.calibration_end_date
                then purchase_days.revenue
            else 0
        end) as calibration_repeat_revenue_total
    from purchase_days
    cross join period_ends
    group by
        purchase_days.customer_id,
        period_ends.as_of_date,
        period_ends.calibration_end_date

),

full_period as (

    select
        customer_id,
        'full' as fit_period,
        as_of_date as period_end_date,
        purchase_days - 1 as frequency,
        {{ dbt.datediff('first_order_date', 'last_order_date', 'day') }} as recency,
        {{ dbt.datediff('first_order_date', 'as_of_date', 'day') }} as t,
        repeat_revenue_total,
        first_order_date,
        last_order_date,
        cast(null as integer) as holdout_repeat_purchase_days
    from per_customer

),

calibration_period as (

    select
        customer_id,
        'calibration' as fit_period,
        calibration_end_date as period_end_date,
        calibration_purchase_days - 1 as frequency,
        {{ dbt.datediff('first_order_date', 'calibration_last_order_date', 'day') }} as recency,
        {{ dbt.datediff('first_order_date', 'calibration_end_date', 'day') }} as t,
        calibration_repeat_revenue_total as repeat_revenue_total,
        first_order_date,
        calibration_last_order_date as last_order_date,
        purchase_days - calibration_purchase_days as holdout_repeat_purchase_days
    from per_customer
    where first_order_date <= calibration_end_date

),

periods as (

    select * from full_period
    union all
    select * from calibration_period

),

final as (

    select
        customer_id,
        fit_period,
        period_end_date,
        cast(frequency as integer) as frequency,
        cast(recency as integer) as recency,
        cast(t as integer) as t,
        cast(
            case
                when frequency > 0
                    then repeat_revenue_total / cast(frequency as {{ drilldown.type_double() }})
                else 0
            end as {{ drilldown.type_double() }}
        ) as monetary_value,
        {{ drilldown.money('repeat_revenue_total', true) }} as repeat_revenue_total,
        first_order_date,
        last_order_date,
        cast(holdout_repeat_purchase_days as integer) as holdout_repeat_purchase_days
    from periods

)

select * from final
