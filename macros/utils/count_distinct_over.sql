{#- count(distinct expression) over (partition by ...): the number of distinct non-null values in the window.
    Postgres has no DISTINCT in window aggregates, so it is computed from two dense_ranks (ascending and
    descending, nulls ordered explicitly so one is the reverse of the other), minus one when the window
    holds a null. partition_by: SQL expression list. -#}
{% macro count_distinct_over(expression, partition_by) -%}
    {%- if expression is none or expression | string | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown.count_distinct_over: expression is required") }}
    {%- endif -%}
    {%- if partition_by is none or partition_by | string | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown.count_distinct_over: partition_by is required") }}
    {%- endif -%}
    (
        dense_rank() over (partition by {{ partition_by }} order by {{ expression }} asc nulls last)
        + dense_rank() over (partition by {{ partition_by }} order by {{ expression }} desc nulls first)
        - 1
        - max(case when ({{ expression }}) is null then 1 else 0 end) over (partition by {{ partition_by }})
    )
{%- endmacro %}
