{#- drilldown's schema rule, only when drilldown is the root project (`dbt build` in this repository, drilldown.py):
    custom schemas are used as-is (raw, staging, quarantine, intermediate, marts, semantic), so BI tools and
    analysts find the marts under the same schema name on every target.
    With var build_schema_suffix (e.g. '__b20250102t030405_123', set by `drilldown.py run --target spark`), every
    schema dbt builds gets that suffix: the run builds beside the published one, and publish_marts() repoints
    the `marts` views only after the whole build passed (docs/decisions.md#publishing-on-spark). `raw` is the
    loader's input and never gets it.
    Installed as a package, drilldown's models are named by the root project's rule (docs/decisions.md#package-schemas):
    this is a dispatch candidate of dbt's own generate_schema_name (`default__`), not an override by name, which dbt
    would apply to a package's models whatever the root project says. dbt's generate_schema_name dispatches in the
    root project's search order: its own generate_schema_name or default__generate_schema_name wins, else dbt's
    default (<target schema>_<custom schema>). A root project that lists drilldown in its dispatch search order for
    `dbt` (for the Spark variants) still gets dbt's default here: the rule checks it is the root project. -#}
{% macro default__generate_schema_name(custom_schema_name, node) -%}
    {%- if project_name != 'drilldown' -%}
        {{ dbt.default__generate_schema_name(custom_schema_name, node) }}
    {%- elif custom_schema_name is none -%}
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
