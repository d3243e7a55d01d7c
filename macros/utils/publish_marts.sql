{#- Spark (the SQL is Spark's: show views, show schemas).
    `dbt run-operation publish_marts --vars '{build_schema_suffix: __b...}'`, after a build into suffixed schemas
    passed with its tests: every mart of that build is published as the view marts.<name> over
    marts<suffix>.<name> (create or replace: a reader sees the old table or the new one, never none), views of
    marts that no longer exist are dropped, and older builds' schemas are dropped, except the one published
    before (a query that started on it can finish). docs/decisions.md#publishing-on-spark -#}
{% macro publish_marts() -%}
    {%- set suffix = drilldown.build_schema_suffix() -%}
    {%- if suffix == '' -%}
        {{ exceptions.raise_compiler_error("drilldown.publish_marts: set var build_schema_suffix to the build to publish") }}
    {%- endif -%}
    {%- set built_schema = 'marts' ~ suffix -%}
    {%- set marts = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') | selectattr('schema', 'equalto', built_schema) | map(attribute='alias') | list -%}
    {%- for name in marts -%}
        {%- if adapter.get_relation(database=none, schema=built_schema, identifier=name) is none -%}
            {{ exceptions.raise_compiler_error("drilldown.publish_marts: " ~ built_schema ~ "." ~ name ~ " was not built; nothing published") }}
        {%- endif -%}
    {%- endfor -%}
    {%- do run_query('create schema if not exists marts') -%}
    {%- for name in marts -%}
        {%- do run_query('create or replace view marts.' ~ name ~ ' as select * from ' ~ built_schema ~ '.' ~ name) -%}
    {%- endfor -%}
    {%- for view in run_query('show views in marts').columns['viewName'].values() if view not in marts -%}
        {%- do run_query('drop view if exists marts.' ~ view) -%}
    {%- endfor -%}
    {%- do drilldown.drop_build_schemas(keep=[suffix, drilldown.previous_build_suffix(suffix)]) -%}
    {{ log("published " ~ marts | length ~ " marts from " ~ built_schema ~ " as views in marts", info=true) }}
{%- endmacro %}

{#- The build schemas in the warehouse, as a dict suffix -> [schema, ...]. -#}
{% macro build_schemas() -%}
    {%- set found = {} -%}
    {%- for schema in run_query('show schemas').columns[0].values() -%}
        {%- set match = modules.re.match('^(seeds|staging|quarantine|intermediate|marts)(__[a-z0-9_]+)$', schema | lower) -%}
        {%- if match -%}
            {%- do found.setdefault(match.group(2), []).append(schema) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}

{#- The newest build suffix before `suffix` (suffixes sort by their build time), or none. -#}
{% macro previous_build_suffix(suffix) -%}
    {%- set older = drilldown.build_schemas().keys() | select('lessthan', suffix) | sort -%}
    {{ return(older | last if older else none) }}
{%- endmacro %}

{#- Drop every build's schemas but those of the suffixes in `keep` (`dbt run-operation drop_build_schemas
    --args '{only: __b...}'` drops one failed build's). -#}
{% macro drop_build_schemas(keep=[], only=none) -%}
    {%- for suffix, schemas in drilldown.build_schemas().items() if suffix not in keep and (only is none or suffix == only) -%}
        {%- for schema in schemas -%}
            {%- do run_query('drop schema if exists ' ~ schema ~ ' cascade') -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endmacro %}
