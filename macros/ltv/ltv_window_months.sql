{#- The LTV window lengths in months: var ltv_window_months, checked and sorted by project_var(). -#}
{% macro ltv_window_months() -%}
    {{ return(drilldown.project_var('ltv_window_months')) }}
{%- endmacro %}
