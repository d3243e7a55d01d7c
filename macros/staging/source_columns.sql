{#- A raw column by its contract name, or a typed null when the optional column is absent. -#}
{% macro column_or_null(columns, name) -%}
    {{ return(adapter.dispatch('column_or_null', 'drilldown')(columns, name)) }}
{%- endmacro %}

{% macro default__column_or_null(columns, name) -%}
    {%- if columns and name in columns -%}
        {{ columns[name] }}
    {%- else -%}
        cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}

{#- The kind of one raw column (an adapter Column), as 'text', 'integer', 'cents', 'decimal', 'timestamp', 'date',
    'boolean' or 'other' ('cents': see is_cents_type). A typed column (from Parquet, say) is already parsed: the
    staging models use it as it is instead of printing it to text and parsing it back (parse_raw, trimmed_raw).
    input_source() classifies the columns it has already read; a column without a kind is treated as text. -#}
{% macro source_column_kind(column) -%}
    {%- set data_type = column.dtype | lower -%}
    {%- if column.is_string() or data_type in ('varchar', 'text', 'string') or data_type.startswith('character') -%}
        {{ return('text') }}
    {%- elif column.is_integer() or data_type in ('tinyint', 'utinyint', 'usmallint', 'uinteger', 'ubigint', 'hugeint', 'uhugeint') -%}
        {{ return('integer') }}
    {%- elif drilldown.is_cents_type(data_type) -%}
        {{ return('cents') }}
    {%- elif column.is_numeric() or column.is_float() or data_type.startswith('decimal') or data_type.startswith('numeric') or data_type in ('double', 'float', 'real', 'double precision') -%}
        {{ return('decimal') }}
    {#- With a time zone the instant would be shown in the session's zone: parsed as text, as written. -#}
    {%- elif data_type in ('timestamp', 'timestamp without time zone', 'timestamp_s', 'timestamp_ms', 'timestamp_ns', 'datetime', 'timestamp_ntz') -%}
        {{ return('timestamp') }}
    {%- elif data_type == 'date' -%}
        {{ return('date') }}
    {%- elif data_type in ('boolean', 'bool') -%}
        {{ return('boolean') }}
    {%- endif -%}
    {{ return('other') }}
{%- endmacro %}

{#- True for an exact decimal type whose every value fits decimal(18, 2) unchanged: decimal(p, s) or
    numeric(p, s) with s <= 2 and p - s <= 16. Such a column is money already (money() only casts it). -#}
{% macro is_cents_type(data_type) -%}
    {%- set spelled = data_type | lower | replace(' ', '') -%}
    {%- set prefix = 'decimal(' if spelled.startswith('decimal(') else ('numeric(' if spelled.startswith('numeric(') else none) -%}
    {%- if prefix is none or not spelled.endswith(')') -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set parts = spelled[prefix | length:-1].split(',') -%}
    {%- if parts | length != 2 -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set precision = parts[0] | int(-1) -%}
    {%- set scale = parts[1] | int(-1) -%}
    {{ return(precision > 0 and scale >= 0 and scale <= 2 and precision - scale <= 16) }}
{%- endmacro %}

{#- A raw value ready to check and parse: trimmed text (null when empty) for a text column; the value as it
    is for a typed one (it cannot be blank). source_kind: from source_column_kind (none = text). -#}
{% macro trimmed_raw(expression, source_kind=none) -%}
    {{ return(adapter.dispatch('trimmed_raw', 'drilldown')(expression, source_kind)) }}
{%- endmacro %}

{% macro default__trimmed_raw(expression, source_kind) -%}
    {%- if source_kind in (none, 'text', 'other') -%}
        nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), '')
    {%- else -%}
        {{ expression }}
    {%- endif -%}
{%- endmacro %}

{#- A raw value as trimmed text (null when empty), for keys and labels: a typed value is only printed. -#}
{% macro trimmed_text(expression, source_kind=none) -%}
    {{ return(adapter.dispatch('trimmed_text', 'drilldown')(expression, source_kind)) }}
{%- endmacro %}

{% macro default__trimmed_text(expression, source_kind) -%}
    {%- if source_kind in (none, 'text', 'other') -%}
        nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), '')
    {%- else -%}
        cast({{ expression }} as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}
