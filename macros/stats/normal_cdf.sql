{#- Standard normal CDF Phi(z) = erfc(-z / sqrt(2)) / 2, with erfc's accuracy (relative error < 1e-13,
    also deep in the lower tail). Pass a column or short expression (see erfc). -#}
{% macro normal_cdf(z) -%}
    {{ drilldown.stats_require('normal_cdf', {'z': z}) }}
    0.5 * {{ drilldown.erfc('-(' ~ z ~ ') / sqrt(2)') }}
{%- endmacro %}
