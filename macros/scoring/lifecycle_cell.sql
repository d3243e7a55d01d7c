{#- The LifeCycle grid cell label from a recency band and a frequency band label, e.g. '31-90 days, 3-4 orders'.
    Null when either band is null (no purchase yet). See docs/decisions.md#lifecycle-grid. -#}
{% macro lifecycle_cell(recency_band, frequency_band) -%}
    {%- if recency_band is none or frequency_band is none -%}
        {{ exceptions.raise_compiler_error("drilldown.lifecycle_cell: recency_band and frequency_band are required") }}
    {%- endif -%}
    ({{ recency_band }}) || ' days, ' || ({{ frequency_band }}) || ' orders'
{%- endmacro %}
