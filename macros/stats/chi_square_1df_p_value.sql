{#- Upper-tail p-value of a chi-square statistic with 1 degree of freedom: P(X > c) = erfc(sqrt(c / 2))
    (a chi-square with 1 df is a squared standard normal), so it is as accurate as erfc. -#}
{% macro chi_square_1df_p_value(chi_square) -%}
    {{ drilldown.stats_require('chi_square_1df_p_value', {'chi_square': chi_square}) }}
    {{ drilldown.erfc('sqrt(' ~ chi_square ~ ' / 2)') }}
{%- endmacro %}
