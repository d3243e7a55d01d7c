{#- Shared argument check of the statistics macros: every named argument must be a non-empty SQL expression. -#}
{% macro stats_require(macro_name, arguments) -%}
    {%- for name, value in arguments.items() -%}
        {%- if value is none or value | string | trim == '' -%}
            {{ exceptions.raise_compiler_error("drilldown." ~ macro_name ~ ": argument " ~ name ~ " is required (a SQL expression)") }}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
