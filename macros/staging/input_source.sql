{#- One input table of source `shop` as a base model reads it (docs/decisions.md#package-inputs): where it is, whether
    it is read at all, and which of the user's columns holds each contract column. Set by vars, so a dbt project that
    installs drilldown as a package points it at the tables its loaders already fill:
      drilldown_database, drilldown_schema, drilldown_<entity>_identifier: where the table is (the source's own
        database / schema / identifier, rendered from these vars in _staging__sources.yml);
      drilldown_using_<entity> (optional inputs only; default true): false = the input is switched off, read as
        an empty table of the contract's columns, as when its table is absent (an optional file not given);
      drilldown_<entity>_columns (default {}): {contract column: the user's column}, e.g.
        drilldown_orders_columns: {ordered_at: created_at, amount: net_total}.
    Returns {'relation', 'entity', 'contract' (input_contract()), 'status' ('read', 'absent' or 'switched_off'),
    'columns' (contract name -> the user's quoted column, for the columns the table has; none when not read),
    'kinds' (contract name -> source_column_kind() of the user's column), 'column_map' (the var, checked)}.
    A missing required table or column, or a column the map names that the table lacks, stops the run with one
    message naming the user's table and column.
    At parse time only relation, entity and contract are set (no SQL runs then). No SQL, so no dispatch. -#}
{% macro input_source(table_name) -%}
    {%- set relation = source('shop', table_name) -%}
    {%- set contract = drilldown.input_contract('shop', table_name) -%}
    {%- set input = {'relation': relation, 'entity': contract['entity'], 'contract': contract, 'status': 'read',
        'columns': {}, 'kinds': {}, 'column_map': {}} -%}
    {%- if not execute -%}
        {{ return(input) }}
    {%- endif -%}
    {%- set entity = contract['entity'] -%}
    {%- set column_map = drilldown.input_column_map(contract) -%}
    {%- do input.update({'column_map': column_map}) -%}
    {%- if not drilldown.input_is_used(contract) -%}
        {%- do input.update({'status': 'switched_off', 'columns': none}) -%}
        {{ return(input) }}
    {%- endif -%}
    {%- set existing = adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
    {%- if existing is none -%}
        {%- if contract['is_optional_file'] -%}
            {%- do input.update({'status': 'absent', 'columns': none}) -%}
            {{ return(input) }}
        {%- endif -%}
        {{ exceptions.raise_compiler_error("drilldown: required input '" ~ entity ~ "' (file " ~ entity ~ ".csv or " ~ entity ~ ".parquet) was not found: expected table " ~ relation ~ " (vars drilldown_schema, drilldown_" ~ entity ~ "_identifier)") }}
    {%- endif -%}
    {%- set found = {} -%}
    {%- set found_kinds = {} -%}
    {%- for column in adapter.get_columns_in_relation(existing) -%}
        {%- do found.update({column.name | lower: adapter.quote(column.name)}) -%}
        {%- do found_kinds.update({column.name | lower: drilldown.source_column_kind(column)}) -%}
    {%- endfor -%}
    {%- set missing = [] -%}
    {%- for name in contract['columns'] -%}
        {%- set user_name = column_map.get(name, name) -%}
        {%- if user_name in found -%}
            {%- do input['columns'].update({name: found[user_name]}) -%}
            {%- do input['kinds'].update({name: found_kinds.get(user_name)}) -%}
        {%- elif name in contract['required'] or name in column_map -%}
            {#- A column the var names must be there, even an optional one: a typo would otherwise read as absent. -#}
            {%- do missing.append(user_name ~ (" (contract column " ~ name ~ ", var drilldown_" ~ entity ~ "_columns)" if name in column_map else "")) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error("drilldown: input file '" ~ entity ~ "' (table " ~ relation ~ ") is missing required column(s): " ~ missing | join(', ') ~ ". Columns found: " ~ found.keys() | list | sort | join(', ')) }}
    {%- endif -%}
    {{ return(input) }}
{%- endmacro %}

{#- The body of a base model's import CTE: every column of the contract as raw_<name> (the user's column, or a
    typed null when an optional column is absent), from the table, or from an empty row set when the input is
    not read (absent or switched off). -#}
{% macro input_source_select(input) -%}
    {%- if input is not mapping or 'status' not in input -%}
        {{ exceptions.raise_compiler_error("drilldown.input_source_select: input must be the result of drilldown.input_source()") }}
    {%- endif -%}
    select
        {{- drilldown.input_contract_columns(input['contract'], input['columns']) }}
    from
    {%- if input['status'] == 'read' %} {{ input['relation'] }} as raw_rows
    {%- else %} (select 1 as no_input_table where 1 = 0) as raw_rows
    {%- endif -%}
{%- endmacro %}

{#- var drilldown_<entity>_columns, checked: a mapping {contract column: the user's column}, lower-cased; a key that
    is not a column of the entity's contract, or a value that is not a column name, is a compiler error. -#}
{% macro input_column_map(contract) -%}
    {%- set name = 'drilldown_' ~ contract['entity'] ~ '_columns' -%}
    {%- set value = var(name, {}) -%}
    {%- if value is none -%}
        {{ return({}) }}
    {%- endif -%}
    {%- if value is not mapping -%}
        {{ exceptions.raise_compiler_error("drilldown: var " ~ name ~ " must be a mapping {contract column: your column}, got " ~ value) }}
    {%- endif -%}
    {%- set column_map = {} -%}
    {%- for key, column in value.items() -%}
        {%- if key is not string or key | lower not in contract['columns'] -%}
            {{ exceptions.raise_compiler_error("drilldown: var " ~ name ~ " has an unknown key '" ~ key ~ "': the columns of input '" ~ contract['entity'] ~ "' are " ~ contract['columns'] | join(', ')) }}
        {%- endif -%}
        {%- if column is not string or column | trim == '' -%}
            {{ exceptions.raise_compiler_error("drilldown: var " ~ name ~ ": key '" ~ key ~ "' must map to a column name, got " ~ column) }}
        {%- endif -%}
        {%- do column_map.update({key | lower: column | trim | lower}) -%}
    {%- endfor -%}
    {{ return(column_map) }}
{%- endmacro %}

{#- var drilldown_using_<entity> (default true), checked: only an optional input can be switched off. -#}
{% macro input_is_used(contract) -%}
    {%- set name = 'drilldown_using_' ~ contract['entity'] -%}
    {%- set value = var(name, true) -%}
    {%- if value not in [true, false] -%}
        {{ exceptions.raise_compiler_error("drilldown: var " ~ name ~ " must be true or false, got " ~ value) }}
    {%- endif -%}
    {%- if not value and not contract['is_optional_file'] -%}
        {{ exceptions.raise_compiler_error("drilldown: var " ~ name ~ ": input '" ~ contract['entity'] ~ "' is required and cannot be switched off") }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}

{#- Where an input was read from, for data_reconciliation: the table as database.schema.identifier (database only
    when var drilldown_database is set), and the column map as 'contract=user, ...' (null when none). -#}
{% macro input_source_table(input) -%}
    {%- set relation = input['relation'] -%}
    {%- set parts = [relation.database] if var('drilldown_database', none) and relation.database else [] -%}
    {{ return((parts + [relation.schema, relation.identifier]) | join('.')) }}
{%- endmacro %}

{% macro input_column_map_text(input) -%}
    {%- set pairs = [] -%}
    {%- for name in input['contract']['columns'] if name in input['column_map'] -%}
        {%- do pairs.append(name ~ '=' ~ input['column_map'][name]) -%}
    {%- endfor -%}
    {{ return(pairs | join(', ')) }}
{%- endmacro %}
