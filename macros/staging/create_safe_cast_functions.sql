{#- on-run-start: adapters without try_cast get small guarded cast functions used by parse_raw.
    They live in the target schema (created if missing), and parse_raw calls them schema-qualified,
    so they work whatever the connection's search_path is. -#}
{% macro create_safe_cast_functions() -%}
    {{ return(adapter.dispatch('create_safe_cast_functions', 'drilldown')()) }}
{%- endmacro %}

{% macro default__create_safe_cast_functions() -%}
    select 1
{%- endmacro %}

{% macro postgres__create_safe_cast_functions() -%}
    {%- set types = {'timestamp': 'timestamp', 'date': 'date', 'decimal': 'numeric(38, 6)', 'integer': 'bigint'} -%}
    create schema if not exists {{ target.schema }};
    {%- for kind, sql_type in types.items() %}
    create or replace function {{ target.schema }}.drilldown_try_cast_{{ kind }}(value text) returns {{ sql_type }}
    language plpgsql stable as $$
    begin
        return trim(value)::{{ sql_type }};
    exception when others then
        return null;
    end;
    $$;
    {%- endfor %}
{%- endmacro %}
