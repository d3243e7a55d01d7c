{#- The LTV window lengths: the `ltv_window_months` var, checked: a non-empty list of distinct whole numbers > 0, sorted. -#}
{% macro ltv_window_months() -%}
    {%- set windows = var('ltv_window_months', [3, 6, 12]) -%}
    {%- if windows is number -%}{%- set windows = [windows] -%}{%- endif -%}
    {%- if windows is string or windows is mapping or windows is not iterable or windows | length == 0 -%}
        {{ exceptions.raise_compiler_error("drilldown: var ltv_window_months must be a non-empty list of whole numbers > 0, e.g. [3, 6, 12]; got " ~ windows) }}
    {%- endif -%}
    {%- for months in windows -%}
        {%- if months is not number or months is boolean or months != months | int or months < 1 -%}
            {{ exceptions.raise_compiler_error("drilldown: var ltv_window_months must hold whole numbers > 0, got " ~ months) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if windows | unique | list | length != windows | length -%}
        {{ exceptions.raise_compiler_error("drilldown: var ltv_window_months has duplicates: " ~ windows) }}
    {%- endif -%}
    {{ return(windows | map('int') | sort) }}
{%- endmacro %}
