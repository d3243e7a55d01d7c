{#- True when a text expression matches a regular expression (anywhere; anchor the pattern with ^...$).
    pattern: a regular expression without single quotes. -#}
{% macro text_matches(expression, pattern) -%}
    {%- if pattern is not string or pattern == '' or "'" in pattern -%}
        {{ exceptions.raise_compiler_error("drilldown.text_matches: pattern must be a non-empty string without single quotes") }}
    {%- endif -%}
    {{ return(adapter.dispatch('text_matches', 'drilldown')(expression, pattern)) }}
{%- endmacro %}

{% macro default__text_matches(expression, pattern) -%}
    ({{ expression }} ~ '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__text_matches(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__text_matches(expression, pattern) -%}
    ({{ expression }} rlike '{{ pattern }}')
{%- endmacro %}
