{#- The rows of `actual` and `expected` (relations) over `columns`, compared as multisets: one row per difference,
    with `difference` = 'missing' (expected, not built) or 'unexpected' (built, not expected). A singular test
    selecting it fails on any row. (dbt_utils.equality does this; this project installs nothing but drilldown.) -#}
{% macro assert_equal_rows(actual, expected, columns) -%}
    {%- if columns is string or columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("assert_equal_rows: columns must be a non-empty list of column names") }}
    {%- endif -%}
    {%- set column_list = columns | join(', ') -%}
with

actual_rows as (

    select {{ column_list }} from {{ actual }}

),

expected_rows as (

    select {{ column_list }} from {{ expected }}

),

missing as (

    select * from expected_rows
    except all
    select * from actual_rows

),

unexpected as (

    select * from actual_rows
    except all
    select * from expected_rows

),

final as (

    select 'missing' as difference, * from missing
    union all
    select 'unexpected' as difference, * from unexpected

)

select * from final
{%- endmacro %}
