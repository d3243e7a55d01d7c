{#-
    Fails with one row per listed column that holds nulls: the column's name and its number of null rows.
    One scan of the model checks every column, where a column-level not_null test would cost one dbt node
    and one scan per column (docs/decisions.md#not-null-columns-one-test-per-model).
-#}
{% test not_null_columns(model, columns) %}
    {%- if columns is string or columns is mapping or columns is not iterable or columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("drilldown not_null_columns on " ~ model ~ ": columns must be a non-empty list of column names, got " ~ columns) }}
    {%- endif %}
    {%- set seen = [] %}
    {%- for column in columns %}
        {%- if column is not string or column | trim == '' -%}
            {{ exceptions.raise_compiler_error("drilldown not_null_columns on " ~ model ~ ": every column must be a name, got " ~ column) }}
        {%- endif %}
        {%- if column | lower in seen -%}
            {{ exceptions.raise_compiler_error("drilldown not_null_columns on " ~ model ~ ": column " ~ column ~ " is listed twice") }}
        {%- endif %}
        {%- do seen.append(column | lower) %}
    {%- endfor %}

    with null_counts as (
        select
            {%- for column in columns %}
            count(*) - count({{ column }}) as null_rows_{{ loop.index }}{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ model }}
    ),

    listed_columns as (
        {%- for column in columns %}
        select
            {{ loop.index }} as column_number,
            cast('{{ column }}' as {{ dbt.type_string() }}) as column_name
        {{ 'union all' if not loop.last }}
        {%- endfor %}
    ),

    {#- null_counts is read once (a cross join, not a union of selects from it), so no engine scans the model twice #}
    per_column as (
        select
            listed_columns.column_name,
            case listed_columns.column_number
                {%- for column in columns %}
                when {{ loop.index }} then null_counts.null_rows_{{ loop.index }}
                {%- endfor %}
            end as null_rows
        from null_counts
        cross join listed_columns
    ),

    final as (
        select
            column_name,
            null_rows
        from per_column
        where null_rows > 0
    )

    select * from final
{% endtest %}
