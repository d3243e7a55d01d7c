{#- Welch's standard error of a difference of two means: sqrt(s_t^2 / n_t + s_c^2 / n_c), with the sample
    variances s^2 (denominator n - 1). Null when a group has fewer than 2 rows (variance unknown). -#}
{% macro welch_se(variance_treated, n_treated, variance_control, n_control) -%}
    {{ drilldown.stats_require('welch_se', {'variance_treated': variance_treated, 'n_treated': n_treated, 'variance_control': variance_control, 'n_control': n_control}) }}
    {%- set double = drilldown.type_double() -%}
    sqrt(
        cast(({{ variance_treated }}) as {{ double }}) / nullif(cast(({{ n_treated }}) as {{ double }}), 0)
        + cast(({{ variance_control }}) as {{ double }}) / nullif(cast(({{ n_control }}) as {{ double }}), 0)
    )
{%- endmacro %}

{#- Welch-Satterthwaite degrees of freedom:
    (v_t/n_t + v_c/n_c)^2 / ((v_t/n_t)^2/(n_t - 1) + (v_c/n_c)^2/(n_c - 1)). Null when both variances are 0
    or a group has fewer than 2 rows. -#}
{% macro welch_df(variance_treated, n_treated, variance_control, n_control) -%}
    {{ drilldown.stats_require('welch_df', {'variance_treated': variance_treated, 'n_treated': n_treated, 'variance_control': variance_control, 'n_control': n_control}) }}
    {%- set double = drilldown.type_double() -%}
    {%- set at = '(cast((' ~ variance_treated ~ ') as ' ~ double ~ ') / nullif(cast((' ~ n_treated ~ ') as ' ~ double ~ '), 0))' -%}
    {%- set ac = '(cast((' ~ variance_control ~ ') as ' ~ double ~ ') / nullif(cast((' ~ n_control ~ ') as ' ~ double ~ '), 0))' -%}
    ({{ at }} + {{ ac }}) * ({{ at }} + {{ ac }})
    / nullif(
        {{ at }} * {{ at }} / nullif(cast(({{ n_treated }}) as {{ double }}) - 1, 0)
        + {{ ac }} * {{ ac }} / nullif(cast(({{ n_control }}) as {{ double }}) - 1, 0),
        0
    )
{%- endmacro %}
