{#- Aggregate: the value of the first row of the group in the given order (ties broken by the later columns),
    e.g. first_by('amount', ['ordered_at', 'order_id']) = amount of the group's earliest order.
    DuckDB uses arg_min on a struct key (no sort), Spark min_by on one; other adapters an ordered array_agg. -#}
{% macro first_by(value, order_by) -%}
    {%- if value is none or value | string | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown.first_by: value is required") }}
    {%- endif -%}
    {%- if order_by is string or order_by is not iterable or order_by | length == 0 -%}
        {{ exceptions.raise_compiler_error("drilldown.first_by: order_by must be a non-empty list of columns, got " ~ order_by) }}
    {%- endif -%}
    {{ return(adapter.dispatch('first_by', 'drilldown')(value, order_by)) }}
{%- endmacro %}

{% macro default__first_by(value, order_by) -%}
    (array_agg({{ value }} order by {{ order_by | join(', ') }}))[1]
{%- endmacro %}

{% macro duckdb__first_by(value, order_by) -%}
    arg_min({{ value }}, struct_pack(
        {%- for column in order_by %}key_{{ loop.index }} := {{ column }}{% if not loop.last %}, {% endif %}{% endfor -%}
    ))
{%- endmacro %}

{#- Spark: min_by on a struct key (no ordered array_agg), as DuckDB's arg_min. -#}
{% macro spark__first_by(value, order_by) -%}
    min_by({{ value }}, struct({{ order_by | join(', ') }}))
{%- endmacro %}
