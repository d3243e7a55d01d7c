{#- SQL for the number of rows of a raw table; 0 when an optional input table does not exist. -#}
{% macro source_row_count(relation) -%}
    {{ return(adapter.dispatch('source_row_count', 'drilldown')(relation)) }}
{%- endmacro %}

{% macro default__source_row_count(relation) -%}
    {%- if execute and adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) is none -%}
        0
    {%- else -%}
        (select count(*) from {{ relation }})
    {%- endif -%}
{%- endmacro %}
