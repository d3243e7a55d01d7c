{#- The prediction horizons per fit period (docs/decisions.md#clv-models): var clv_horizon_days for the
    'full' fit (customer_clv), the holdout length for the 'calibration' fit (clv_backtest), each with the
    annual discount rate the discounted CLV uses. Read by the fit (Python) to compute its terms. -#}

with

periods as (

    select * from {{ ref('int_clv_fit_periods') }}

),

full_horizons as (

    {% for days in drilldown.clv_horizon_days() -%}
    select {{ days }} as horizon_days
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

final as (

    select
        periods.fit_period,
        cast(full_horizons.horizon_days as integer) as horizon_days,
        cast({{ drilldown.clv_annual_discount_rate() }} as {{ drilldown.type_double() }}) as annual_discount_rate
    from periods
    cross join full_horizons
    where periods.fit_period = 'full'
    union all
    select
        fit_period,
        cast(holdout_days as integer) as horizon_days,
        cast({{ drilldown.clv_annual_discount_rate() }} as {{ drilldown.type_double() }}) as annual_discount_rate
    from periods
    where fit_period = 'calibration'

)

select * from final
