{#- The BG/NBD fit's input: distinct (frequency, recency, T) per fit period with how many customers share
    it. The likelihood is a sum over customers, so a weighted sum over these rows is the same number and
    the fit reads thousands of rows instead of millions (docs/decisions.md#clv-models). -#}

with

periods as (

    select * from {{ ref('int_customer_btyd_periods') }}

),

final as (

    select
        fit_period,
        frequency,
        recency,
        t,
        cast(count(*) as integer) as customers
    from periods
    group by fit_period, frequency, recency, t

)

select * from final
