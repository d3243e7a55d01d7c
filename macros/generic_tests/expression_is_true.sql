{#- Fails on every row where the expression is not true (false or null). -#}
{% test expression_is_true(model, expression, row_condition=none, column_name=none) %}
    {{ return(adapter.dispatch('test_expression_is_true', 'drilldown')(model, expression, row_condition)) }}
{% endtest %}

{% macro default__test_expression_is_true(model, expression, row_condition) %}
    {%- if expression is none or expression | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown expression_is_true: an expression is required") }}
    {%- endif %}
    select *
    from {{ model }}
    where
        {% if row_condition %}({{ row_condition }}) and {% endif -%}
        not coalesce(({{ expression }}), false)
{% endmacro %}
