{#- Relative score 1..n_bins of each distinct value of `column` among the rows of `relation` (per
    partition): n_bins = 5 gives quintiles, 5 = best. The one scorer of the project (RFM, campaign RFM as
    of the start, propensity deciles); docs/decisions.md#rfm-scores.

    score = 1 + floor(n_bins * (rank - 1) / rows), rank counted from the worst value as rank() counts it
    (ties share the lowest rank). So ties always share one score and a rerun is identical; a large tie group
    (e.g. all one-order customers) takes the score where it starts and the bins above it are smaller or
    skipped. Null values get no score and do not count in `rows`.

    Returns a lookup table: one row per partition x distinct non-null value, with its `score`; join it back
    on the partition columns and the value (a null value finds no row: null score). rank - 1 = the rows
    with a worse value, counted from one row per distinct value, so the windows sort the distinct values,
    not every row: on 2.4M rows x 3 scores this is several times faster than row-level windows.

    relation: a CTE or relation name; column: a column name (it is also the join key); higher_is_better:
    false for recency (fewer days is better); partition_by: a list of column names (may be empty). -#}
{% macro score_bins(relation, column, higher_is_better=true, n_bins=5, partition_by=[]) -%}
    {%- if relation is none or relation | string | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown.score_bins: relation is required") }}
    {%- endif -%}
    {%- if column is none or column | string | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown.score_bins: column is required (a column name)") }}
    {%- endif -%}
    {%- if n_bins is not number or n_bins < 2 or n_bins != n_bins | int -%}
        {{ exceptions.raise_compiler_error("drilldown.score_bins: n_bins must be a whole number >= 2, got " ~ n_bins) }}
    {%- endif -%}
    {%- if higher_is_better not in [true, false] -%}
        {{ exceptions.raise_compiler_error("drilldown.score_bins: higher_is_better must be true or false, got " ~ higher_is_better) }}
    {%- endif -%}
    {%- if partition_by is string or partition_by is not iterable -%}
        {{ exceptions.raise_compiler_error("drilldown.score_bins: partition_by must be a list of column names, got " ~ partition_by) }}
    {%- endif -%}
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
            {{ n_bins | int }} * (
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
