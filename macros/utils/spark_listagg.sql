{#- dbt.listagg on Spark: dbt-spark's own ignores order_by_clause (collect_list has no order), which would
    make a joined list's order depend on the plan. Here the items are collected with their sort key and sorted
    before they are joined. order_by_clause: 'order by col[, col ...]' (ascending; plain column names). -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if not order_by_clause -%}
        {{ return(dbt.spark__listagg(measure, delimiter_text, order_by_clause, limit_num)) }}
    {%- endif -%}
    {%- set clause = modules.re.match('^\\s*order\\s+by\\s+(.+)$', order_by_clause, modules.re.IGNORECASE) -%}
    {%- set keys = clause.group(1).split(',') | map('trim') | list if clause else [] -%}
    {%- for key in keys if not modules.re.match('^[A-Za-z_][A-Za-z0-9_.]*$', key) -%}
        {{ exceptions.raise_compiler_error("drilldown spark__listagg: order_by_clause must be 'order by col[, col ...]' (ascending), got '" ~ order_by_clause ~ "'") }}
    {%- endfor -%}
    {%- if keys | length == 0 -%}
        {{ exceptions.raise_compiler_error("drilldown spark__listagg: order_by_clause must be 'order by col[, col ...]' (ascending), got '" ~ order_by_clause ~ "'") }}
    {%- endif -%}
    {%- set collected -%}
        transform(
            array_sort(collect_list(struct(
                {%- for key in keys %}{{ key }} as sort_key_{{ loop.index }}, {% endfor %}{{ measure }} as item
            ))),
            sorted_item -> sorted_item.item
        )
    {%- endset -%}
    {%- if limit_num -%}
        {%- set collected = 'slice(' ~ collected ~ ', 1, ' ~ limit_num ~ ')' -%}
    {%- endif -%}
    array_join({{ collected }}, {{ delimiter_text }})
{%- endmacro %}
