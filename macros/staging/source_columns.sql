{#- The columns of a raw input table, as a dict lower-case name -> quoted actual name.
    Column names are matched case-insensitively (data contract). A required column that is missing
    stops the run with one message naming the input file and the column.
    Returns none when the table does not exist and the entity is optional. -#}
{% macro source_columns(relation, entity, required_columns, is_optional=false) -%}
    {{ return(adapter.dispatch('source_columns', 'drilldown')(relation, entity, required_columns, is_optional)) }}
{%- endmacro %}

{% macro default__source_columns(relation, entity, required_columns, is_optional) -%}
    {%- if required_columns is string or required_columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("drilldown.source_columns: required_columns must be a non-empty list") }}
    {%- endif -%}
    {%- if not execute -%}
        {{ return({}) }}
    {%- endif -%}
    {%- set existing = adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
    {%- if existing is none -%}
        {%- if is_optional -%}
            {{ return(none) }}
        {%- endif -%}
        {{ exceptions.raise_compiler_error("drilldown: required input '" ~ entity ~ "' (file " ~ entity ~ ".csv or " ~ entity ~ ".parquet) was not found: expected table " ~ relation) }}
    {%- endif -%}
    {%- set columns = {} -%}
    {%- for column in adapter.get_columns_in_relation(existing) -%}
        {%- do columns.update({column.name | lower: adapter.quote(column.name)}) -%}
    {%- endfor -%}
    {%- set missing = [] -%}
    {%- for name in required_columns if name not in columns -%}
        {%- do missing.append(name) -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error("drilldown: input file '" ~ entity ~ "' (table " ~ relation ~ ") is missing required column(s): " ~ missing | join(', ') ~ ". Columns found: " ~ columns.keys() | list | sort | join(', ')) }}
    {%- endif -%}
    {{ return(columns) }}
{%- endmacro %}

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

{#- The from-clause of a base model: the raw table, or an empty row set when an optional input is absent. -#}
{% macro source_or_empty(relation, columns) -%}
    {{ return(adapter.dispatch('source_or_empty', 'drilldown')(relation, columns)) }}
{%- endmacro %}

{% macro default__source_or_empty(relation, columns) -%}
    {%- if columns is none -%}
        (select 1 as no_input_file where 1 = 0) as raw_rows
    {%- else -%}
        {{ relation }} as raw_rows
    {%- endif -%}
{%- endmacro %}
