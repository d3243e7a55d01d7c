{#- The materialization of a mart that publishes one upstream model column for column (at most a filter): a
    view, so its rows are not written a second time (docs/decisions.md#marts-that-publish-an-intermediate).
    A table on Postgres, where dbt rebuilds each table in place while BI reads it: dbt drops the replaced table
    with `cascade`, which drops every view over it until the view's own node runs again, and for good when the
    build fails in between. DuckDB builds into a new file and Spark into new schemas, so no reader sees that. -#}
{% macro publishing_materialization() -%}
    {{ return('table' if target.type == 'postgres' else 'view') }}
{%- endmacro %}
