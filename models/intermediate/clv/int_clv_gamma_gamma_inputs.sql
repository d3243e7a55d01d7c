{#- The Gamma-Gamma fit's input: customers with at least one repeat purchase day of positive mean value,
    as distinct (frequency, monetary_value) per fit period with their customer count. monetary_value is the
    mean revenue of the repeat purchase days (docs/decisions.md#clv-models). -#}

with

periods as (

    select * from {{ ref('int_customer_btyd_periods') }}
    where frequency > 0 and monetary_value > 0

),

final as (

    select
        fit_period,
        frequency,
        monetary_value,
        cast(count(*) as integer) as customers
    from periods
    group by fit_period, frequency, monetary_value

)

select * from final
