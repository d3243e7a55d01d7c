{#- The hypergeometric term and its discounted 30-day-step sum per fit period × distinct (frequency, T) ×
    horizon, whichever route computed them (docs/decisions.md#clv-fit-routes). Empty when no fit was
    written or the fit did not converge: the expected orders are then null. -#}
{%- set fitted_relation = drilldown.clv_fitted_relation('int_clv_fitted_terms') %}

with

{% if fitted_relation is not none -%}
fitted as (

    select * from {{ fitted_relation }}

),
{%- else -%}
fitted as (

    select
        cast(null as {{ dbt.type_string() }}) as fit_period,
        cast(null as integer) as frequency,
        cast(null as integer) as t,
        cast(null as integer) as horizon_days,
        cast(null as {{ drilldown.type_double() }}) as hypergeometric_term,
        cast(null as {{ drilldown.type_double() }}) as discounted_repeat_weight
    from {{ ref('int_clv_fit_periods') }}
    where 1 = 0

),
{%- endif %}

final as (

    select
        fit_period,
        cast(frequency as integer) as frequency,
        cast(t as integer) as t,
        cast(horizon_days as integer) as horizon_days,
        cast(hypergeometric_term as {{ drilldown.type_double() }}) as hypergeometric_term,
        cast(discounted_repeat_weight as {{ drilldown.type_double() }}) as discounted_repeat_weight
    from fitted

)

select * from final
