{#- Profit tier of every row of `relation` (columns cumulative_value plus the partition columns), among the
    rows of the same partition: the one tier rule that customer_profit_tiers and the snapshots of
    customer_segment_history both use (docs/decisions.md#profit-tiers).
    Returns a select of relation.* plus value_rank (rank() by cumulative_value, highest first),
    cumulative_value_share (share of the partition's positive value held by the rows with a value at
    least this one; 1 for a value <= 0), tier_order and profit_tier from `tiers` (the profit_tiers seed).
    A row's tier is decided by the value held strictly above its tie group, compared exactly in decimals,
    so ties stay in one tier; values <= 0 get the last tier.
    Everything is computed once per partition × distinct value (a lookup joined back on the value, as
    score_bins() does), so no window sorts the rows themselves: the rank is 1 + the rows with a higher value.
    relation, tiers: CTE or relation names; partition_by: a list of column names (may be empty).
    values_from (optional, default relation): a CTE with the same rows and cumulative_value to compute the value
    groups from. Pass the CTE `relation` was scored from, so `relation` is read once: DuckDB materialises a CTE
    read twice, which for customer_segment_history's 43M rows at 4M customers cost ~30% of the model's CPU
    (docs/decisions.md#large-ctes-are-read-once). -#}
{% macro profit_tiers(relation, tiers, partition_by=[], values_from=none) -%}
    {%- if relation is none or relation | string | trim == '' or tiers is none or tiers | string | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown.profit_tiers: relation and tiers are required") }}
    {%- endif -%}
    {%- if partition_by is string or partition_by is not iterable -%}
        {{ exceptions.raise_compiler_error("drilldown.profit_tiers: partition_by must be a list of column names, got " ~ partition_by) }}
    {%- endif -%}
    {%- if values_from is not none and values_from | string | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown.profit_tiers: values_from must be a CTE or relation name when given") }}
    {%- endif -%}
    {%- set value_source = values_from if values_from is not none else relation -%}
    {%- set partition_columns = partition_by | list -%}
    {%- set window_partition -%}
        {% if partition_columns | length > 0 %}partition by {{ partition_columns | join(', ') }}{% endif %}
    {%- endset -%}
    {%- set group_key = partition_columns + ['cumulative_value'] -%}
    select
        tiered_rows.*,
        cast(value_groups.value_rank as integer) as value_rank,
        cast(coalesce(value_groups.cumulative_value_share, 1.0) as {{ drilldown.type_double() }})
            as cumulative_value_share,
        cast(coalesce(value_groups.tier_order, last_tier.tier_order) as integer) as tier_order,
        cast(tier_names.profit_tier as {{ dbt.type_string() }}) as profit_tier
    from {{ relation }} as tiered_rows
    left join (
        {#- One row per partition × distinct value (a tie group is never split): its rank, and for positive
            values the share and tier. value_above_group = the positive value held by the rows strictly above
            the group. The first tier whose max share is above the share held above the group:
            value_above / total < max share <=> value_above < max share × total. #}
        select
            {% for column in group_key -%}
                group_shares.{{ column }},
            {% endfor -%}
            group_shares.value_rank,
            group_shares.cumulative_value_share,
            min(group_tier_bounds.tier_order) as tier_order
        from (
            select
                {% for column in group_key -%}
                    {{ column }},
                {% endfor -%}
                rows_through_group - group_rows + 1 as value_rank,
                case when cumulative_value > 0 then value_through_group - group_value end as value_above_group,
                total_positive_value,
                case
                    when cumulative_value > 0
                        then
                            cast(value_through_group as {{ drilldown.type_double() }})
                            / cast(total_positive_value as {{ drilldown.type_double() }})
                end as cumulative_value_share
            from (
                select
                    {% for column in group_key -%}
                        {{ column }},
                    {% endfor -%}
                    group_rows,
                    group_value,
                    sum(group_rows) over (
                        {{ window_partition }}
                        order by cumulative_value desc rows between unbounded preceding and current row
                    ) as rows_through_group,
                    sum(group_value) over (
                        {{ window_partition }}
                        order by cumulative_value desc rows between unbounded preceding and current row
                    ) as value_through_group,
                    sum(group_value) over ({{ window_partition }}) as total_positive_value
                from (
                    select
                        {% for column in group_key -%}
                            {{ column }},
                        {% endfor -%}
                        count(*) as group_rows,
                        {#- Only positive values count in the shares. #}
                        case when cumulative_value > 0 then sum(cumulative_value) else 0 end as group_value
                    from {{ value_source }}
                    where cumulative_value is not null
                    group by {{ group_key | join(', ') }}
                ) as value_groups
            ) as group_running_values
        ) as group_shares
        left join {{ tiers }} as group_tier_bounds
            on group_shares.value_above_group
            < group_tier_bounds.max_cumulative_value_share * group_shares.total_positive_value
        group by
            {% for column in group_key -%}
                group_shares.{{ column }},
            {% endfor -%}
            group_shares.value_rank,
            group_shares.cumulative_value_share
    ) as value_groups
        on
            {% for column in group_key -%}
            tiered_rows.{{ column }} = value_groups.{{ column }}{% if not loop.last %} and{% endif %}
            {% endfor %}
    cross join (select max(tier_order) as tier_order from {{ tiers }}) as last_tier
    inner join {{ tiers }} as tier_names
        on coalesce(value_groups.tier_order, last_tier.tier_order) = tier_names.tier_order
{%- endmacro %}
