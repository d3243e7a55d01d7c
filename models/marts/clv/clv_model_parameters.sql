{#- The fitted BG/NBD (r, alpha, a, b) and Gamma-Gamma (p, q, v) parameters behind customer_clv, one row
    per parameter, in days, with the fit's log-likelihood, whether it converged and why not
    (docs/decisions.md#clv-models). The backtest's calibration fit is in int_clv_parameters. -#}

with

parameters as (

    select * from {{ ref('int_clv_parameters') }}
    where fit_period = 'full'

),

final as (

    select
        model_name,
        parameter_name,
        parameter_value,
        time_unit,
        customers_fitted,
        log_likelihood,
        is_converged,
        fit_note,
        fitted_as_of_date
    from parameters

)

select * from final
