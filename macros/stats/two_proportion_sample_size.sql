{#- Control-group size needed to detect control rate p_c vs treated rate p_t with a two-sided test at level
    alpha and the given power, when the treated group is `ratio` times the control (n_t = ratio * n_c):
    n_c = (z_a sqrt(pbar (1 - pbar) (1 + 1/ratio)) + z_b sqrt(p_c (1 - p_c) + p_t (1 - p_t) / ratio))^2 / (p_t - p_c)^2,
    pbar = (p_c + ratio p_t) / (1 + ratio), z_a = Phi^-1(1 - alpha/2), z_b = Phi^-1(power)
    (pooled variance under the null, unpooled under the alternative; Fleiss, Statistical Methods for Rates and
    Proportions). Not rounded up here. Null when p_t = p_c or a rate is outside [0, 1]. -#}
{% macro two_proportion_sample_size(p_control, p_treated, ratio, z_alpha, z_power) -%}
    {{ drilldown.stats_require('two_proportion_sample_size', {'p_control': p_control, 'p_treated': p_treated, 'ratio': ratio, 'z_alpha': z_alpha, 'z_power': z_power}) }}
    {{ return(adapter.dispatch('two_proportion_sample_size', 'drilldown')(p_control, p_treated, ratio, z_alpha, z_power)) }}
{%- endmacro %}

{% macro default__two_proportion_sample_size(p_control, p_treated, ratio, z_alpha, z_power) -%}
    {%- set double = drilldown.type_double() -%}
    (
        select
            power(
                z_alpha * sqrt(pbar * (1 - pbar) * (1 + 1 / k))
                + z_power * sqrt(pc * (1 - pc) + pt * (1 - pt) / k),
                2
            ) / power(pt - pc, 2)
        from (
            select
                pc,
                pt,
                k,
                z_alpha,
                z_power,
                (pc + k * pt) / (1 + k) as pbar
            from (
                select
                    cast(({{ p_control }}) as {{ double }}) as pc,
                    cast(({{ p_treated }}) as {{ double }}) as pt,
                    cast(({{ ratio }}) as {{ double }}) as k,
                    cast(({{ z_alpha }}) as {{ double }}) as z_alpha,
                    cast(({{ z_power }}) as {{ double }}) as z_power
            ) as sample_size_input
            where pc between 0 and 1 and pt between 0 and 1 and pt <> pc and k > 0
        ) as sample_size_pooled
    )
{%- endmacro %}
