{#- The input contract of one raw source table, read from its declaration in models/staging/_staging__sources.yml
    (the one place it is written; scripts/load_input.py reads the same file):
      {'entity': 'orders', 'is_optional_file': false, 'required': [...], 'optional': [...], 'columns': [...]}
    'columns' is every declared column in the order of the yml (required and optional). The declaration is
    checked here, so a malformed one fails at compile time with a message naming the table.
    At parse time the graph is not available: the lists are empty (no SQL runs then). No SQL, so no dispatch. -#}
{% macro input_contract(source_name, table_name) -%}
    {%- set contract = {'entity': table_name, 'is_optional_file': false, 'required': [], 'optional': [], 'columns': []} -%}
    {%- if not execute -%}
        {{ return(contract) }}
    {%- endif -%}
    {%- set nodes = graph.sources.values() | selectattr('source_name', 'equalto', source_name) | selectattr('name', 'equalto', table_name) | list -%}
    {%- set where = "drilldown.input_contract: source table '" ~ source_name ~ "." ~ table_name ~ "'" -%}
    {%- if nodes | length != 1 -%}
        {{ exceptions.raise_compiler_error(where ~ " is declared " ~ nodes | length ~ " times in the project, expected once") }}
    {%- endif -%}
    {%- set node = nodes[0] -%}
    {%- if node.meta.get('entity') is not string or node.meta.get('is_optional_file') not in (true, false) -%}
        {{ exceptions.raise_compiler_error(where ~ " needs config.meta entity (text) and is_optional_file (true/false)") }}
    {%- endif -%}
    {%- do contract.update({'entity': node.meta['entity'], 'is_optional_file': node.meta['is_optional_file']}) -%}
    {%- for column in node.columns.values() -%}
        {%- set name = column.name | lower -%}
        {%- set is_required = column.meta.get('required') -%}
        {%- if is_required not in (true, false) -%}
            {{ exceptions.raise_compiler_error(where ~ ": column '" ~ column.name ~ "' needs config.meta.required: true or false") }}
        {%- endif -%}
        {%- do contract['columns'].append(name) -%}
        {%- do contract['required' if is_required else 'optional'].append(name) -%}
    {%- endfor -%}
    {%- if contract['required'] | length == 0 -%}
        {{ exceptions.raise_compiler_error(where ~ " declares no required column (config.meta.required: true)") }}
    {%- endif -%}
    {{ return(contract) }}
{%- endmacro %}

{#- The select list of a base model's import CTE: every column of the contract as raw_<name>, the raw column
    when the table has it, else a typed null (an absent optional column). -#}
{% macro input_contract_columns(contract, columns) -%}
    {%- for name in contract['columns'] %}
        {{ drilldown.column_or_null(columns, name) }} as raw_{{ name }}{{ "," if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
