{#- Two-proportion z statistic (treated minus control) with the pooled standard error of the null hypothesis
    p_t = p_c: z = (x_t/n_t - x_c/n_c) / sqrt(p (1 - p) (1/n_t + 1/n_c)), p = (x_t + x_c) / (n_t + n_c).
    Null (never a division by zero) when a group is empty or nobody / everybody responded in both. -#}
{% macro two_proportion_z(successes_treated, n_treated, successes_control, n_control) -%}
    {{ drilldown.stats_require('two_proportion_z', {'successes_treated': successes_treated, 'n_treated': n_treated, 'successes_control': successes_control, 'n_control': n_control}) }}
    {%- set double = drilldown.type_double() -%}
    {%- set xt = 'cast((' ~ successes_treated ~ ') as ' ~ double ~ ')' -%}
    {%- set nt = 'cast((' ~ n_treated ~ ') as ' ~ double ~ ')' -%}
    {%- set xc = 'cast((' ~ successes_control ~ ') as ' ~ double ~ ')' -%}
    {%- set nc = 'cast((' ~ n_control ~ ') as ' ~ double ~ ')' -%}
    ({{ xt }} / nullif({{ nt }}, 0) - {{ xc }} / nullif({{ nc }}, 0))
    / nullif(sqrt(
        ({{ xt }} + {{ xc }}) / nullif({{ nt }} + {{ nc }}, 0)
        * (1 - ({{ xt }} + {{ xc }}) / nullif({{ nt }} + {{ nc }}, 0))
        * (1 / nullif({{ nt }}, 0) + 1 / nullif({{ nc }}, 0))
    ), 0)
{%- endmacro %}

{#- Unpooled standard error of a difference of two proportions, for its confidence interval:
    sqrt(p_t (1 - p_t) / n_t + p_c (1 - p_c) / n_c). Null when a group is empty. -#}
{% macro two_proportion_diff_se(successes_treated, n_treated, successes_control, n_control) -%}
    {{ drilldown.stats_require('two_proportion_diff_se', {'successes_treated': successes_treated, 'n_treated': n_treated, 'successes_control': successes_control, 'n_control': n_control}) }}
    {%- set double = drilldown.type_double() -%}
    {%- set pt = 'cast((' ~ successes_treated ~ ') as ' ~ double ~ ') / nullif(cast((' ~ n_treated ~ ') as ' ~ double ~ '), 0)' -%}
    {%- set pc = 'cast((' ~ successes_control ~ ') as ' ~ double ~ ') / nullif(cast((' ~ n_control ~ ') as ' ~ double ~ '), 0)' -%}
    sqrt(
        ({{ pt }}) * (1 - ({{ pt }})) / nullif(cast(({{ n_treated }}) as {{ double }}), 0)
        + ({{ pc }}) * (1 - ({{ pc }})) / nullif(cast(({{ n_control }}) as {{ double }}), 0)
    )
{%- endmacro %}
