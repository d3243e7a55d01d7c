{#- BG/NBD and Gamma-Gamma inputs per customer with a completed order, as lifetimes'
    summary_data_from_transaction_data(freq='D') defines them, with the as-of date as the end of the
    observation period: frequency = purchase days - 1, recency = last - first purchase day, T = as-of date -
    first purchase day (days), monetary_value = mean revenue of the repeat purchase days (0 without repeats).
    See docs/decisions.md#btyd-summary. -#}

with

customer_orders as (

    select * from {{ ref('int_customer_orders_summarised') }}

),

final as (

    select
        customer_id,
        cast(purchase_days - 1 as integer) as frequency,
        cast({{ dbt.datediff('first_order_date', 'last_order_date', 'day') }} as integer) as recency,
        cast({{ dbt.datediff('first_order_date', drilldown.as_of_date(), 'day') }} as integer) as t,
        cast(
            case
                when purchase_days > 1
                    then repeat_revenue_total / cast(purchase_days - 1 as {{ drilldown.type_double() }})
                else 0
            end as {{ drilldown.type_double() }}
        ) as monetary_value,
        repeat_revenue_total,
        first_order_date,
        last_order_date
    from customer_orders

)

select * from final
