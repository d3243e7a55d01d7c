{#- This project's own schema rule, which drilldown's models follow too (drilldown only applies its rule when it
    is the root project): every custom schema gets the prefix pkg_ (pkg_staging, pkg_marts, pkg_shop_src, ...);
    models without one go to the target schema. tests/assert_package_follows_root_schema_rule.sql checks it. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        pkg_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
