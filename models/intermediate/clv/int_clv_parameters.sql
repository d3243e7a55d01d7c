{#- The fitted CLV parameters per fit period, one row per model × parameter, whichever route fitted them
    (docs/decisions.md#clv-fit-routes). Every period gets all seven rows: when no fit was written (an
    adapter without Python models built by plain `dbt build`) or the one written is for other inputs (a
    different as-of date or customer count), the values are null, is_converged is false and fit_note says
    why, so the predictions downstream are null instead of stale. -#}
{%- set fitted_relation = drilldown.clv_fitted_relation('int_clv_fitted_parameters') %}

with

periods as (

    select * from {{ ref('int_clv_fit_periods') }}

),

bg_nbd_inputs as (

    select * from {{ ref('int_clv_bg_nbd_inputs') }}

),

gamma_gamma_inputs as (

    select * from {{ ref('int_clv_gamma_gamma_inputs') }}

),

{% if fitted_relation is not none -%}
fitted as (

    select
        fit_period,
        model_name,
        parameter_name,
        cast(parameter_value as {{ drilldown.type_double() }}) as parameter_value,
        cast(customers_fitted as integer) as customers_fitted,
        cast(log_likelihood as {{ drilldown.type_double() }}) as log_likelihood,
        is_converged,
        fit_note,
        cast(fitted_as_of_date as date) as fitted_as_of_date
    from {{ fitted_relation }}

),
{%- else -%}
fitted as (

    select
        cast(null as {{ dbt.type_string() }}) as fit_period,
        cast(null as {{ dbt.type_string() }}) as model_name,
        cast(null as {{ dbt.type_string() }}) as parameter_name,
        cast(null as {{ drilldown.type_double() }}) as parameter_value,
        cast(null as integer) as customers_fitted,
        cast(null as {{ drilldown.type_double() }}) as log_likelihood,
        cast(null as boolean) as is_converged,
        cast(null as {{ dbt.type_string() }}) as fit_note,
        cast(null as date) as fitted_as_of_date
    from periods
    where 1 = 0

),
{%- endif %}

model_parameters as (

    {% for model_name, parameter_names in [('bg_nbd', ['r', 'alpha', 'a', 'b']), ('gamma_gamma', ['p', 'q', 'v'])] -%}
    {%- set model_loop = loop -%}
    {%- for parameter_name in parameter_names -%}
    select
        '{{ model_name }}' as model_name,
        '{{ parameter_name }}' as parameter_name,
        {{ loop.index }} as parameter_sort_order
    {% if not (model_loop.last and loop.last) %}union all
    {% endif -%}
    {%- endfor -%}
    {%- endfor %}

),

input_customers as (

    select
        fit_period,
        'bg_nbd' as model_name,
        sum(customers) as customers
    from bg_nbd_inputs
    group by fit_period
    union all
    select
        fit_period,
        'gamma_gamma' as model_name,
        sum(customers) as customers
    from gamma_gamma_inputs
    group by fit_period

),

expected as (

    select
        periods.fit_period,
        periods.period_end_date,
        model_parameters.model_name,
        model_parameters.parameter_name,
        model_parameters.parameter_sort_order,
        cast(coalesce(input_customers.customers, 0) as integer) as customers
    from periods
    cross join model_parameters
    left join input_customers
        on
            periods.fit_period = input_customers.fit_period
            and model_parameters.model_name = input_customers.model_name

),

matched as (

    select
        expected.fit_period,
        expected.period_end_date,
        expected.model_name,
        expected.parameter_name,
        expected.parameter_sort_order,
        expected.customers,
        fitted.parameter_value,
        fitted.log_likelihood,
        fitted.is_converged,
        fitted.fit_note,
        fitted.fit_period is not null as is_fit_written,
        fitted.fit_period is not null
        and fitted.fitted_as_of_date = expected.period_end_date
        and fitted.customers_fitted = expected.customers as is_fit_current,
        fitted.fitted_as_of_date,
        fitted.customers_fitted
    from expected
    left join fitted
        on
            expected.fit_period = fitted.fit_period
            and expected.model_name = fitted.model_name
            and expected.parameter_name = fitted.parameter_name

),

final as (

    select
        fit_period,
        model_name,
        parameter_name,
        cast(parameter_sort_order as integer) as parameter_sort_order,
        case when is_fit_current and is_converged then parameter_value end as parameter_value,
        'day' as time_unit,
        customers as customers_fitted,
        case when is_fit_current then log_likelihood end as log_likelihood,
        coalesce(is_fit_current and is_converged, false) as is_converged,
        case
            when not is_fit_written
                then 'not fitted: on this adapter `drilldown.py run` fits the model (docs/decisions.md#clv-fit-routes)'
            when not is_fit_current
                then
                    'not fitted: the fit on record is for other inputs ('
                    || cast(customers_fitted as {{ dbt.type_string() }}) || ' customers as of '
                    || cast(fitted_as_of_date as {{ dbt.type_string() }}) || '); run `drilldown.py run` again'
            else fit_note
        end as fit_note,
        period_end_date as fitted_as_of_date
    from matched

)

select * from final
