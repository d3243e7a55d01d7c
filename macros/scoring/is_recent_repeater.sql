{#- The Recent Repeater rule (docs/decisions.md#lifecycle-grid): 2+ completed orders and the last at most var
    recent_repeater_max_days before the date the recency is counted to. One definition for the as-of measures,
    the LifeCycle history and the segment history. Null when recency_days is null (no purchase yet). -#}
{% macro is_recent_repeater(frequency, recency_days) -%}
    {%- if frequency is none or frequency | string | trim == '' or recency_days is none or recency_days | string | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown.is_recent_repeater: frequency and recency_days are required (column names)") }}
    {%- endif -%}
    ({{ frequency }} >= 2 and {{ recency_days }} <= {{ drilldown.project_var('recent_repeater_max_days') }})
{%- endmacro %}
