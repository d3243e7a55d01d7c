{#- Cast a raw value to a type, giving null instead of an error when it does not parse.
    kind: one of 'timestamp', 'date', 'decimal', 'integer', 'boolean'.
    Staging uses it to tell "missing" (raw null) from "unparseable" (raw not null, cast null). -#}
{% macro safe_cast(expression, kind) -%}
    {%- set kinds = ['timestamp', 'date', 'decimal', 'integer', 'boolean'] -%}
    {%- if kind not in kinds -%}
        {#- This root-project macro shadows dbt's own safe_cast(field, type), which dbt's unit-test fixtures call
            with a SQL type ('DECIMAL(18,2)', 'character varying(256)'): give those dbt's plain cast. -#}
        {%- if kind is string and kind | trim != '' -%}
            {{ return("cast(" ~ expression ~ " as " ~ kind ~ ")") }}
        {%- endif -%}
        {{ exceptions.raise_compiler_error("drilldown.safe_cast: kind must be one of " ~ kinds | join(', ') ~ ", got '" ~ kind ~ "'") }}
    {%- endif -%}
    {{ return(adapter.dispatch('safe_cast', 'drilldown')(expression, kind)) }}
{%- endmacro %}

{#- Booleans are spelled many ways in exported files; the same list is accepted on every adapter. -#}
{% macro boolean_from_text(expression) -%}
    case
        when lower(trim(cast({{ expression }} as {{ dbt.type_string() }}))) in ('true', 't', '1', 'yes', 'y') then true
        when lower(trim(cast({{ expression }} as {{ dbt.type_string() }}))) in ('false', 'f', '0', 'no', 'n') then false
    end
{%- endmacro %}

{% macro default__safe_cast(expression, kind) -%}
    {%- if kind == 'boolean' -%}
        {{ drilldown.boolean_from_text(expression) }}
    {%- else -%}
        {#- Adapters without a try_cast get a guarded function created by on-run-start. -#}
        drilldown_try_cast_{{ kind }}(cast({{ expression }} as {{ dbt.type_string() }}))
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__safe_cast(expression, kind) -%}
    {%- if kind == 'boolean' -%}
        {{ drilldown.boolean_from_text(expression) }}
    {%- elif kind == 'decimal' -%}
        try_cast(trim(cast({{ expression }} as varchar)) as decimal(38, 6))
    {%- elif kind == 'integer' -%}
        try_cast(trim(cast({{ expression }} as varchar)) as bigint)
    {%- else -%}
        try_cast(trim(cast({{ expression }} as varchar)) as {{ kind }})
    {%- endif -%}
{%- endmacro %}
