{#- Two-sided p-value of a standard-normal statistic: 2 * (1 - Phi(|z|)) = erfc(|z| / sqrt(2)),
    computed from the upper tail directly so tiny p-values keep their relative accuracy. Null z gives null. -#}
{% macro normal_two_sided_p_value(z) -%}
    {{ drilldown.stats_require('normal_two_sided_p_value', {'z': z}) }}
    {{ drilldown.erfc('abs(' ~ z ~ ') / sqrt(2)') }}
{%- endmacro %}
