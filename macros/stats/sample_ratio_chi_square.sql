{#- Pearson chi-square (1 df) of an observed control count against the designed control share s of n contacts:
    (O_c - n s)^2 / (n s) + (O_t - n (1 - s))^2 / (n (1 - s)) = (O_c - n s)^2 / (n s (1 - s)).
    Null when there is no designed share, no contact, or s is not strictly between 0 and 1. -#}
{% macro sample_ratio_chi_square(control_count, total_count, designed_control_share) -%}
    {{ drilldown.stats_require('sample_ratio_chi_square', {'control_count': control_count, 'total_count': total_count, 'designed_control_share': designed_control_share}) }}
    {%- set double = drilldown.type_double() -%}
    {%- set n = 'cast((' ~ total_count ~ ') as ' ~ double ~ ')' -%}
    {%- set s = 'cast((' ~ designed_control_share ~ ') as ' ~ double ~ ')' -%}
    case
        when {{ s }} > 0 and {{ s }} < 1 and {{ n }} > 0 then
            power(cast(({{ control_count }}) as {{ double }}) - {{ n }} * {{ s }}, 2)
            / ({{ n }} * {{ s }} * (1 - {{ s }}))
    end
{%- endmacro %}
