{#- on-run-end: dbt `grants` give select on each table, but on Postgres a role also needs usage on the
    schema to read it. Grants usage on the schema of every model built in this run to the roles its
    `grants` config gives select to (the marts to `reporting`, see dbt_project.yml). Nothing elsewhere. -#}
{% macro grant_schema_usage(results) -%}
    {{ return(adapter.dispatch('grant_schema_usage', 'drilldown')(results)) }}
{%- endmacro %}

{% macro default__grant_schema_usage(results) -%}
    select 1
{%- endmacro %}

{% macro postgres__grant_schema_usage(results) -%}
    {%- set grantees_by_schema = {} -%}
    {%- for result in results
        if result.node.resource_type in ['model', 'seed', 'snapshot'] and result.status in ['success', 'pass']
        and result.node.config.get('grants') -%}
        {%- set grantees = grantees_by_schema.setdefault(result.node.schema, []) -%}
        {%- for grantee in result.node.config.grants.get('select', []) if grantee not in grantees -%}
            {%- do grantees.append(grantee) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if grantees_by_schema | length == 0 or grantees_by_schema.values() | sum(start=[]) | length == 0 -%}
        select 1
    {%- else -%}
        {%- for schema, grantees in grantees_by_schema.items() if grantees %}
    grant usage on schema {{ adapter.quote(schema) }} to {{ grantees | join(', ') }};
        {%- endfor %}
    {%- endif -%}
{%- endmacro %}
