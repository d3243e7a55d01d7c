{#- One text column listing every rule a row breaks ('null_customer_id; negative_amount'), null when none.
    checks: a list of (reason_code, sql_condition) pairs. -#}
{% macro concat_reasons(checks) -%}
    {%- if checks is string or checks | length == 0 -%}
        {{ exceptions.raise_compiler_error("drilldown.concat_reasons: checks must be a non-empty list of (reason, condition) pairs") }}
    {%- endif -%}
    {{ return(adapter.dispatch('concat_reasons', 'drilldown')(checks)) }}
{%- endmacro %}

{% macro default__concat_reasons(checks) -%}
    nullif(concat_ws('; '
    {%- for reason, condition in checks %},
        case when {{ condition }} then '{{ reason }}' end
    {%- endfor %}
    ), '')
{%- endmacro %}
