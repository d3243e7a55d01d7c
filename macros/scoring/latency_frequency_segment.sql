{#- The latency frequency segment of a customer from their number of purchase days:
    'heavy' from var latency_heavy_min_purchases (default 6), 'moderate' from var
    latency_moderate_min_purchases (default 3), else 'light'. See docs/decisions.md#latency. -#}
{% macro latency_frequency_segment(purchase_days_column) -%}
    {%- if purchase_days_column is none or purchase_days_column | string | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown.latency_frequency_segment: purchase_days_column is required") }}
    {%- endif -%}
    {%- set heavy_min = var('latency_heavy_min_purchases', 6) -%}
    {%- set moderate_min = var('latency_moderate_min_purchases', 3) -%}
    {%- if heavy_min is not number or moderate_min is not number or heavy_min != heavy_min | int
        or moderate_min != moderate_min | int or moderate_min < 2 or heavy_min <= moderate_min -%}
        {{ exceptions.raise_compiler_error("drilldown: vars latency_heavy_min_purchases > latency_moderate_min_purchases >= 2 must be whole numbers, got " ~ heavy_min ~ " and " ~ moderate_min) }}
    {%- endif -%}
    {%- set heavy_min = heavy_min | int -%}
    {%- set moderate_min = moderate_min | int -%}
    case
        when ({{ purchase_days_column }}) >= {{ heavy_min }} then 'heavy'
        when ({{ purchase_days_column }}) >= {{ moderate_min }} then 'moderate'
        when ({{ purchase_days_column }}) >= 1 then 'light'
    end
{%- endmacro %}
