{#- Custom schemas are used as-is (raw, staging, quarantine, intermediate, marts),
    so BI tools and analysts find the marts under the same schema name on every target. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
