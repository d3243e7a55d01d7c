{#- The first day AFTER a window of N months that starts on an anchor date, as a date
    (docs/decisions.md#ltv-windows): anchor_date + N months with dbt.dateadd('month', ...), so a month end
    is clamped (Jan 31 + 1 month = Feb 28). months: a whole number > 0 or a SQL expression (e.g. a column). -#}
{% macro window_end_date(anchor_date, months) -%}
    {{- drilldown.ltv_check_window_args('window_end_date', anchor_date, months) -}}
    cast({{ dbt.dateadd('month', months, anchor_date) }} as date)
{%- endmacro %}

{#- Argument checks shared by window_end_date and value_within_months: fail at compile time with what was expected. -#}
{% macro ltv_check_window_args(caller_name, anchor_date, months) -%}
    {%- if anchor_date is none or anchor_date | string | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown." ~ caller_name ~ ": anchor_date is required (a SQL expression)") }}
    {%- endif -%}
    {%- if months is none or months is boolean -%}
        {{ exceptions.raise_compiler_error("drilldown." ~ caller_name ~ ": months must be a whole number > 0 or a SQL expression, got " ~ months) }}
    {%- endif -%}
    {%- if months is number and (months != months | int or months < 1) -%}
        {{ exceptions.raise_compiler_error("drilldown." ~ caller_name ~ ": months must be a whole number > 0, got " ~ months) }}
    {%- endif -%}
    {%- if months is string and months | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown." ~ caller_name ~ ": months must not be empty") }}
    {%- endif -%}
{%- endmacro %}
