{#- Cast a raw value to a type, giving null instead of an error when it does not parse.
    kind: one of 'timestamp', 'date', 'decimal', 'integer', 'boolean'.
    Staging uses it to tell "missing" (raw null) from "unparseable" (raw not null, cast null). -#}
{% macro safe_cast(expression, kind) -%}
    {%- set kinds = ['timestamp', 'date', 'decimal', 'integer', 'boolean'] -%}
    {#- This name shadows dbt's own safe_cast(field, type), which dbt's unit-test fixtures call unqualified
        with an adapter type ('DATE', 'character varying(256)', ...): any other kind is handed back to dbt
        (a misspelt kind then fails in the database instead of at compile time). -#}
    {%- if kind not in kinds -%}
        {{ return(dbt.safe_cast(expression, kind)) }}
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
