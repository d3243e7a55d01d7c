{#- The latency frequency segment of a customer from their number of purchase days:
    'heavy' from var latency_heavy_min_purchases (default 6), 'moderate' from var
    latency_moderate_min_purchases (default 3), else 'light'. See docs/decisions.md#latency. -#}
{% macro latency_frequency_segment(purchase_days_column) -%}
    {%- if purchase_days_column is none or purchase_days_column | string | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown.latency_frequency_segment: purchase_days_column is required") }}
    {%- endif -%}
    {%- set heavy_min = drilldown.project_var('latency_heavy_min_purchases') -%}
    {%- set moderate_min = drilldown.project_var('latency_moderate_min_purchases') -%}
    case
        when ({{ purchase_days_column }}) >= {{ heavy_min }} then 'heavy'
        when ({{ purchase_days_column }}) >= {{ moderate_min }} then 'moderate'
        when ({{ purchase_days_column }}) >= 1 then 'light'
    end
{%- endmacro %}
