{#- RFM scores, cell and segment of every row of `relation` (columns recency_days, frequency,
    monetary_total), scored among the rows of the same partition: the one RFM scorer that customer_rfm
    and the campaign RFM as of the start both use (docs/decisions.md#rfm-scores).
    Returns a select of relation.* plus r_score, f_score, m_score (score_bins(), 5 = best; recency: fewer
    days is better), rfm_cell, rfm_segment and rfm_segment_order from `segment_cells` (int_rfm_segment_cells,
    joined on the three scores: a null score gives a null cell and segment).
    relation, segment_cells: CTE or relation names; partition_by: a list of column names (may be empty). -#}
{% macro rfm_scores(relation, segment_cells, partition_by=[]) -%}
    {%- if relation is none or relation | string | trim == '' or segment_cells is none or segment_cells | string | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown.rfm_scores: relation and segment_cells are required") }}
    {%- endif -%}
    {%- if partition_by is string or partition_by is not iterable -%}
        {{ exceptions.raise_compiler_error("drilldown.rfm_scores: partition_by must be a list of column names, got " ~ partition_by) }}
    {%- endif -%}
    {%- set axes = [('recency', 'recency_days', false), ('frequency', 'frequency', true), ('monetary', 'monetary_total', true)] -%}
    select
        scored_rows.*,
        {%- for axis, column, higher_is_better in axes %}
        cast({{ axis }}_scores.score as integer) as {{ axis[0] }}_score,
        {%- endfor %}
        scored_cells.rfm_cell,
        scored_cells.rfm_segment,
        scored_cells.rfm_segment_order
    from {{ relation }} as scored_rows
    {%- for axis, column, higher_is_better in axes %}
    left join (
        {{ drilldown.score_bins(relation, column, higher_is_better=higher_is_better, n_bins=5, partition_by=partition_by) }}
    ) as {{ axis }}_scores
        on
            {% for partition_column in partition_by -%}
            scored_rows.{{ partition_column }} = {{ axis }}_scores.{{ partition_column }} and
            {% endfor -%}
            scored_rows.{{ column }} = {{ axis }}_scores.{{ column }}
    {%- endfor %}
    left join {{ segment_cells }} as scored_cells
        on
            recency_scores.score = scored_cells.r_score
            and frequency_scores.score = scored_cells.f_score
            and monetary_scores.score = scored_cells.m_score
{%- endmacro %}
