{#- Spark's spelling of a column type. The contracts and the seeds' column_types are written once, in the
    spelling DuckDB and Postgres both read (`varchar`, `double precision`); Spark has no `varchar` without a
    length and no `double precision`, so the three dbt-spark steps that read those types (the contract
    check and the seed's create table and inserts) translate them here: `varchar`/`text` -> `string`,
    `double precision` -> `double`; every other type is the same on Spark. docs/decisions.md#spark-port -#}
{% macro spark_data_type(data_type) -%}
    {%- if data_type is not string or data_type | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown.spark_data_type: data_type must be a type name, got " ~ data_type) }}
    {%- endif -%}
    {%- set spelled = data_type | trim | lower -%}
    {%- set translations = {'varchar': 'string', 'text': 'string', 'double precision': 'double'} -%}
    {{ return(translations.get(spelled, data_type)) }}
{%- endmacro %}

{#- The contract check: the declared types cast on Spark in their Spark spelling (dbt's own macro otherwise). -#}
{% macro spark__get_empty_schema_sql(columns) -%}
    {%- set translated = {} -%}
    {%- for name, column in columns.items() -%}
        {%- set spark_column = {} -%}
        {%- do spark_column.update(column) -%}
        {%- if column.get('data_type') is string -%}
            {%- do spark_column.update({'data_type': drilldown.spark_data_type(column['data_type'])}) -%}
        {%- endif -%}
        {%- do translated.update({name: spark_column}) -%}
    {%- endfor -%}
    {{ return(dbt.default__get_empty_schema_sql(translated)) }}
{%- endmacro %}

{#- A seed node whose config.column_types are in the Spark spelling. -#}
{% macro spark_seed_model(model) -%}
    {%- set column_types = {} -%}
    {%- for name, data_type in (model['config'].get('column_types') or {}).items() -%}
        {%- do column_types.update({name: drilldown.spark_data_type(data_type)}) -%}
    {%- endfor -%}
    {%- set seed_config = {} -%}
    {%- do seed_config.update(model['config']) -%}
    {%- do seed_config.update({'column_types': column_types}) -%}
    {%- set seed_model = {} -%}
    {%- do seed_model.update(model) -%}
    {%- do seed_model.update({'config': seed_config}) -%}
    {{ return(seed_model) }}
{%- endmacro %}

{% macro spark__create_csv_table(model, agate_table) -%}
    {{ return(dbt.spark__create_csv_table(drilldown.spark_seed_model(model), agate_table)) }}
{%- endmacro %}

{#- A seed's rows as literals in the insert, not bindings: dbt-spark's session cursor binds an empty cell (None)
    as the text 'None' and a number as a float; here an empty cell is null and a number keeps its digits. -#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set column_types = drilldown.spark_seed_model(model)['config']['column_types'] -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set data_type = column_types.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
                    {%- set value = row[loop.index0] -%}
                    {%- if value is none -%}
                        cast(null as {{ data_type }})
                    {%- else -%}
                        cast('{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}' as {{ data_type }})
                    {%- endif -%}
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{%- endmacro %}
