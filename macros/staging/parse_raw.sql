{#- Parse a raw (text) value as a type, giving null instead of an error when it does not parse.
    (Not named safe_cast: that would shadow dbt's own safe_cast, which dbt's unit-test fixtures call.)
    kind: one of 'timestamp', 'date', 'decimal', 'integer', 'boolean'.
    Staging uses it to tell "missing" (raw null) from "unparseable" (raw not null, cast null).
    Every adapter accepts the same spellings (see parse_raw_format): a cast alone is more lenient on
    some (DuckDB rounds '1.5' to the integer 2, Postgres reads 'now' and '01/02/2025' as timestamps),
    which would give different rows on different warehouses and could read the wall clock.
    source_kind (from source_column_kind; none = text): a raw column that already has the kind's type
    (Parquet input) is converted directly, without printing it to text and parsing it back; the result is
    the same as for its text form. -#}
{% macro parse_raw(expression, kind, source_kind=none) -%}
    {%- set kinds = ['timestamp', 'date', 'decimal', 'integer', 'boolean'] -%}
    {%- if kind not in kinds -%}
        {{ exceptions.raise_compiler_error("drilldown.parse_raw: kind must be one of " ~ kinds | join(', ') ~ ", got '" ~ kind ~ "'") }}
    {%- endif -%}
    {{ return(adapter.dispatch('parse_raw', 'drilldown')(expression, kind, source_kind)) }}
{%- endmacro %}

{#- The regular expression a trimmed raw value must match to be cast (anchored; RE2 and Postgres agree on it):
    integer: whole number; decimal: plain or scientific notation (no NaN/Infinity, no thousands separators);
    date: YYYY-MM-DD; timestamp: a date with an optional time ('T' or space) and an optional UTC offset,
    which is ignored (times are taken as written). -#}
{% macro parse_raw_format(kind) -%}
    {%- set date_part = '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}' -%}
    {%- set formats = {
        'integer': '^[+-]?[0-9]+$',
        'decimal': '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$',
        'date': '^' ~ date_part ~ '$',
        'timestamp': '^' ~ date_part ~ '([ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$',
    } -%}
    {%- if kind not in formats -%}
        {{ exceptions.raise_compiler_error("drilldown.parse_raw_format: no format for kind '" ~ kind ~ "'") }}
    {%- endif -%}
    {{ return(formats[kind]) }}
{%- endmacro %}

{#- Booleans are spelled many ways in exported files; the same list is accepted on every adapter. -#}
{% macro boolean_from_text(expression) -%}
    case
        when lower(trim(cast({{ expression }} as {{ dbt.type_string() }}))) in ('true', 't', '1', 'yes', 'y') then true
        when lower(trim(cast({{ expression }} as {{ dbt.type_string() }}))) in ('false', 'f', '0', 'no', 'n') then false
    end
{%- endmacro %}

{#- True when a raw column of source_kind holds values of kind already (integer -> decimal widens; a
    timestamp is not a date: its text form would not parse as one). -#}
{% macro is_parsed_kind(source_kind, kind) -%}
    {%- set compatible = {
        'integer': ['integer'],
        'decimal': ['integer', 'cents', 'decimal'],
        'timestamp': ['timestamp', 'date'],
        'date': ['date'],
        'boolean': ['boolean'],
    } -%}
    {{ return(source_kind in compatible.get(kind, [])) }}
{%- endmacro %}

{#- The text path everywhere but DuckDB: Postgres raw tables are loaded as text. -#}
{% macro default__parse_raw(expression, kind, source_kind) -%}
    {%- if kind == 'boolean' -%}
        {{ drilldown.boolean_from_text(expression) }}
    {%- else -%}
        {%- set trimmed = 'trim(cast(' ~ expression ~ ' as ' ~ dbt.type_string() ~ '))' -%}
        {#- No try_cast: a guarded cast function created by on-run-start in the target schema. -#}
        case
            when {{ drilldown.text_matches(trimmed, drilldown.parse_raw_format(kind)) }}
                then {{ target.schema }}.drilldown_try_cast_{{ kind }}({{ trimmed }})
        end
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__parse_raw(expression, kind, source_kind) -%}
    {%- set sql_type = {'decimal': 'decimal(38, 6)', 'integer': 'bigint'}.get(kind, kind) -%}
    {%- if source_kind == 'cents' and kind == 'decimal' -%}
        {#- Exact already (no NaN, no infinity, at most two decimals): nothing to parse; money() only casts it. -#}
        {{ expression }}
    {%- elif drilldown.is_parsed_kind(source_kind, kind) -%}
        {#- try_cast: a double NaN or infinity is unparseable as a decimal, as its text is. -#}
        try_cast({{ expression }} as {{ sql_type }})
    {%- elif kind == 'boolean' -%}
        {{ drilldown.boolean_from_text(expression) }}
    {%- else -%}
        {%- set trimmed = 'trim(cast(' ~ expression ~ ' as varchar))' -%}
        case
            when {{ drilldown.text_matches(trimmed, drilldown.parse_raw_format(kind)) }}
                then try_cast({{ trimmed }} as {{ sql_type }})
        end
    {%- endif -%}
{%- endmacro %}

{#- Spark: try_cast as on DuckDB. A timestamp is cast to timestamp_ntz first, which drops a UTC offset and
    keeps the time as written (as on the other adapters), then to timestamp (the session time zone is UTC). -#}
{% macro spark__parse_raw(expression, kind, source_kind) -%}
    {%- set sql_type = {'decimal': 'decimal(38, 6)', 'integer': 'bigint', 'timestamp': 'timestamp_ntz'}.get(kind, kind) -%}
    {%- if source_kind == 'cents' and kind == 'decimal' -%}
        {{ expression }}
    {%- elif drilldown.is_parsed_kind(source_kind, kind) -%}
        try_cast({{ expression }} as {{ 'timestamp' if kind == 'timestamp' else sql_type }})
    {%- elif kind == 'boolean' -%}
        {{ drilldown.boolean_from_text(expression) }}
    {%- else -%}
        {%- set trimmed = 'trim(cast(' ~ expression ~ ' as string))' -%}
        {%- set parsed = 'try_cast(' ~ trimmed ~ ' as ' ~ sql_type ~ ')' -%}
        case
            when {{ drilldown.text_matches(trimmed, drilldown.parse_raw_format(kind)) }}
                then {{ 'cast(' ~ parsed ~ ' as timestamp)' if kind == 'timestamp' else parsed }}
        end
    {%- endif -%}
{%- endmacro %}
