{#- Benjamini-Hochberg adjusted p-value, before the cap at 1: the running minimum of m / i x p_(i) from the largest
    p-value down, within a family. p_value_rank (i, 1 = smallest p) and family_size (m) are columns of the same
    rows, ranked over partition_by (a list of column expressions). Callers take least(..., 1).
    Used by int_campaign_rollout_decisions and category_affinity (docs/decisions.md#campaign-multiple-testing). -#}
{% macro benjamini_hochberg(p_value, family_size, p_value_rank, partition_by) -%}
    {{ drilldown.stats_require('benjamini_hochberg', {
        'p_value': p_value, 'family_size': family_size, 'p_value_rank': p_value_rank}) }}
    {%- if partition_by is string or partition_by | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            'benjamini_hochberg: partition_by must be a non-empty list of columns, got ' ~ partition_by) }}
    {%- endif -%}
    min(cast({{ family_size }} as {{ drilldown.type_double() }}) / {{ p_value_rank }} * {{ p_value }}) over (
        partition by {{ partition_by | join(', ') }}
        order by {{ p_value_rank }}
        rows between current row and unbounded following
    )
{%- endmacro %}
