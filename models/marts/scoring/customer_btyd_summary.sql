{{ config(materialized=drilldown.publishing_materialization()) }}
{#- BG/NBD and Gamma-Gamma inputs per customer with a completed order, as lifetimes'
    summary_data_from_transaction_data(freq='D') defines them, with the as-of date as the end of the
    observation period: frequency = purchase days - 1, recency = last - first purchase day, T = as-of date -
    first purchase day (days), monetary_value = mean revenue of the repeat purchase days (0 without repeats).
    The 'full' period of int_customer_btyd_periods, which also holds the backtest's calibration period.
    See docs/decisions.md#btyd-summary. -#}

with

customer_periods as (

    select * from {{ ref('int_customer_btyd_periods') }}
    where fit_period = 'full'

),

final as (

    select
        customer_id,
        frequency,
        recency,
        t,
        monetary_value,
        repeat_revenue_total,
        first_order_date,
        last_order_date
    from customer_periods

)

select * from final
