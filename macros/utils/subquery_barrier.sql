{#- Put at the end of a derived table's select (`from (select ... {{ drilldown.subquery_barrier() }}) as step`)
    so the database computes that step's columns once instead of substituting their expressions into the
    outer select. Postgres pulls simple subqueries up into their parent: a column referenced k times is
    copied k times, so a chain of n steps that each reuse the previous one's columns grows as k^n (the
    statistics macros: erfc repeats its argument ~75 times; 6 Newton steps each use stat_d 12 times) and
    planning ran out of memory. `offset 0` is Postgres's documented way to keep a subquery as it is; other
    adapters (DuckDB) get nothing, so their SQL and plans are unchanged. docs/decisions.md#statistics-in-sql -#}
{% macro subquery_barrier() -%}
    {{ return(adapter.dispatch('subquery_barrier', 'drilldown')()) }}
{%- endmacro %}

{% macro default__subquery_barrier() -%}
{%- endmacro %}

{% macro postgres__subquery_barrier() -%}
    offset 0
{%- endmacro %}
