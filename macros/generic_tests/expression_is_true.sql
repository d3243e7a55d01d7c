{#- Fails on every row where the expression is not true (false or null). -#}
{% test expression_is_true(model, expression, row_condition=none, column_name=none) %}
    {%- if expression is none or expression | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown expression_is_true: an expression is required") }}
    {%- endif %}
    select *
    from {{ model }}
    where
        {% if row_condition %}({{ row_condition }}) and {% endif -%}
        not coalesce(({{ expression }}), false)
{% endtest %}
