{#- The CLV settings (docs/decisions.md#clv-models); the vars are checked by project_var(). -#}

{#- var clv_horizon_days: a non-empty list of distinct whole numbers of days > 0, sorted; must hold the
    propensity horizon (90). Each horizon N gives the customer_clv columns *_next_{N}d. -#}
{% macro clv_horizon_days() -%}
    {{ return(drilldown.project_var('clv_horizon_days')) }}
{%- endmacro %}

{#- The horizon propensity_decile ranks on. -#}
{% macro clv_propensity_horizon_days() -%}
    {{ return(90) }}
{%- endmacro %}

{#- var clv_backtest_holdout_days: whole number of days > 0 (default 180). -#}
{% macro clv_backtest_holdout_days() -%}
    {{ return(drilldown.project_var('clv_backtest_holdout_days')) }}
{%- endmacro %}

{#- var clv_annual_discount_rate: a number >= 0 and < 1 (default 0.10, 10% a year). -#}
{% macro clv_annual_discount_rate() -%}
    {{ return(drilldown.project_var('clv_annual_discount_rate')) }}
{%- endmacro %}

{#- var clv_margin_rate: null (use the orders' gross_margin share, else revenue) or a share > 0 and <= 1. -#}
{% macro clv_margin_rate() -%}
    {{ return(drilldown.project_var('clv_margin_rate')) }}
{%- endmacro %}

{#- Whether this adapter fits the CLV models inside `dbt build` (a dbt Python model). Elsewhere
    `drilldown.py run` fits them and writes the same tables (docs/decisions.md#clv-fit-routes). -#}
{% macro clv_fits_in_dbt() -%}
    {{ return(adapter.dispatch('clv_fits_in_dbt', 'drilldown')()) }}
{%- endmacro %}

{% macro default__clv_fits_in_dbt() -%}
    {{ return(false) }}
{%- endmacro %}

{% macro duckdb__clv_fits_in_dbt() -%}
    {{ return(true) }}
{%- endmacro %}

{#- The relation holding a fitted CLV table (int_clv_fitted_parameters / int_clv_fitted_terms): the dbt
    Python model where this adapter runs them, else the table of that name that `drilldown.py run` wrote
    into this model's schema, or none when no fit has been written yet (the caller then says "not fitted"). -#}
{% macro clv_fitted_relation(model_name) -%}
    {%- if model_name not in ['int_clv_fitted_parameters', 'int_clv_fitted_terms'] -%}
        {{ exceptions.raise_compiler_error("drilldown.clv_fitted_relation: model_name must be int_clv_fitted_parameters or int_clv_fitted_terms, got " ~ model_name) }}
    {%- endif -%}
    {%- if drilldown.clv_fits_in_dbt() -%}
        {{ return(ref(model_name)) }}
    {%- endif -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(adapter.get_relation(database=this.database, schema=this.schema, identifier=model_name)) }}
{%- endmacro %}
