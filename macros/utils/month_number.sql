{#- A date's month as a whole number that counts months (year × 12 + month - 1): consecutive months differ
    by 1, so month ranges can be joined and generated as integers (customer_lifecycle_history). -#}
{% macro month_number(date_expression) -%}
    {%- if date_expression is none or date_expression | string | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown.month_number: date_expression is required (a SQL expression)") }}
    {%- endif -%}
    cast(
        extract(year from {{ date_expression }}) * 12 + extract(month from {{ date_expression }}) - 1
        as integer
    )
{%- endmacro %}
