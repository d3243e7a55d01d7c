{#- Relative score 1..n_bins of a value among the rows of a window (n_bins = 5: quintiles, 5 = best).

    score = 1 + floor(n_bins * (rank - 1) / rows), rank counted from the worst value (rank() gives ties
    the same, lowest rank). So ties always share one score and a rerun is identical; a large tie group
    (e.g. all one-order customers) takes the score where it starts and the bins above it are smaller
    or skipped. Null values get a null score and do not count in `rows`. See docs/decisions.md#rfm-scores.

    column: a SQL expression; higher_is_better: false for recency (fewer days is better);
    partition_by: optional SQL expression list to score within groups (e.g. per campaign). -#}
{% macro score_bins(column, higher_is_better=true, n_bins=5, partition_by=none) -%}
    {%- if column is none or column | string | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown.score_bins: column is required") }}
    {%- endif -%}
    {%- if n_bins is not number or n_bins < 2 or n_bins != n_bins | int -%}
        {{ exceptions.raise_compiler_error("drilldown.score_bins: n_bins must be a whole number >= 2, got " ~ n_bins) }}
    {%- endif -%}
    {%- if higher_is_better not in [true, false] -%}
        {{ exceptions.raise_compiler_error("drilldown.score_bins: higher_is_better must be true or false, got " ~ higher_is_better) }}
    {%- endif -%}
    {{ return(adapter.dispatch('score_bins', 'drilldown')(column, higher_is_better, n_bins | int, partition_by)) }}
{%- endmacro %}

{% macro default__score_bins(column, higher_is_better, n_bins, partition_by) -%}
    {%- set window_partition -%}
        partition by {% if partition_by %}{{ partition_by }}, {% endif %}({{ column }}) is null
    {%- endset -%}
    case
        when ({{ column }}) is not null then
            1 + cast(floor(
                {{ n_bins }} * (rank() over ({{ window_partition }} order by {{ column }} {{ 'asc' if higher_is_better else 'desc' }}) - 1)
                / cast(count(*) over ({{ window_partition }}) as {{ drilldown.type_double() }})
            ) as integer)
    end
{%- endmacro %}

{#- The same scores as score_bins(), as a lookup table: one row per partition x distinct non-null value of
    `column` in `relation`, with its `score`. Join it back on the partition columns and the value (a null
    value finds no row: null score). rank - 1 = the rows with a worse value, counted from one row per
    distinct value, so the windows sort the distinct values, not every row: on 2.4M rows x 3 scores this
    is several times faster than three row-level windows (docs/decisions.md#rfm-scores).

    relation: a CTE or relation name; column: a column name (it is also the join key);
    partition_by: a list of column names (may be empty). -#}
{% macro score_bins_lookup(relation, column, higher_is_better=true, n_bins=5, partition_by=[]) -%}
    {%- if relation is none or relation | string | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown.score_bins_lookup: relation is required") }}
    {%- endif -%}
    {%- if column is none or column | string | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown.score_bins_lookup: column is required (a column name)") }}
    {%- endif -%}
    {%- if n_bins is not number or n_bins < 2 or n_bins != n_bins | int -%}
        {{ exceptions.raise_compiler_error("drilldown.score_bins_lookup: n_bins must be a whole number >= 2, got " ~ n_bins) }}
    {%- endif -%}
    {%- if higher_is_better not in [true, false] -%}
        {{ exceptions.raise_compiler_error("drilldown.score_bins_lookup: higher_is_better must be true or false, got " ~ higher_is_better) }}
    {%- endif -%}
    {%- if partition_by is string or partition_by is not iterable -%}
        {{ exceptions.raise_compiler_error("drilldown.score_bins_lookup: partition_by must be a list of column names, got " ~ partition_by) }}
    {%- endif -%}
    {{ return(adapter.dispatch('score_bins_lookup', 'drilldown')(relation, column, higher_is_better, n_bins | int, partition_by)) }}
{%- endmacro %}

{% macro default__score_bins_lookup(relation, column, higher_is_better, n_bins, partition_by) -%}
    {%- set window_partition -%}
        {% if partition_by | length > 0 %}partition by {{ partition_by | join(', ') }}{% endif %}
    {%- endset -%}
    select
        {% for partition_column in partition_by -%}
            {{ partition_column }},
        {% endfor -%}
        {{ column }},
        {#- Running sum over the distinct values, worst first (the default frame ends at the current value):
            the rows up to and including this value; minus its own rows = rank - 1. #}
        1 + cast(floor(
            {{ n_bins }} * (
                cast(sum(value_rows) over ({{ window_partition }} order by {{ column }} {{ 'asc' if higher_is_better else 'desc' }}) as bigint)
                - value_rows
            )
            / cast(sum(value_rows) over ({{ window_partition }}) as {{ drilldown.type_double() }})
        ) as integer) as score
    from (
        select
            {% for partition_column in partition_by -%}
                {{ partition_column }},
            {% endfor -%}
            {{ column }},
            count(*) as value_rows
        from {{ relation }}
        where {{ column }} is not null
        group by
            {% for partition_column in partition_by -%}
                {{ partition_column }},
            {% endfor -%}
            {{ column }}
    ) as value_counts
{%- endmacro %}
