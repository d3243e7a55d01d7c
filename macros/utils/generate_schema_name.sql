{#- Custom schemas are used as-is (raw, staging, quarantine, intermediate, marts),
    so BI tools and analysts find the marts under the same schema name on every target.
    With var build_schema_suffix (e.g. '__b20250102t030405_123', set by `drilldown.py run --target spark`), every
    schema dbt builds gets that suffix: the run builds beside the published one, and publish_marts() repoints
    the `marts` views only after the whole build passed (docs/decisions.md#publishing-on-spark). `raw` is the
    loader's input and never gets it. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- elif custom_schema_name | trim == 'raw' -%}
        raw
    {%- else -%}
        {{ custom_schema_name | trim }}{{ drilldown.build_schema_suffix() }}
    {%- endif -%}
{%- endmacro %}

{#- var build_schema_suffix: '' (the default: build in place) or '__' then lower-case letters, digits and '_'. -#}
{% macro build_schema_suffix() -%}
    {%- set suffix = var('build_schema_suffix', '') or '' -%}
    {%- if suffix is not string or not modules.re.match('^(__[a-z0-9_]+)?$', suffix) -%}
        {{ exceptions.raise_compiler_error("drilldown: var build_schema_suffix must be empty or '__' followed by lower-case letters, digits and '_', got '" ~ suffix ~ "'") }}
    {%- endif -%}
    {{ return(suffix) }}
{%- endmacro %}
