{#- Smallest increase d of the treated rate over the control rate p_c that groups of n_c and n_t detect with a
    two-sided test at level alpha and the given power: the root of
    d = z_a sqrt(pbar (1 - pbar) (1/n_c + 1/n_t)) + z_b sqrt(p_c (1 - p_c) / n_c + p_t (1 - p_t) / n_t),
    p_t = p_c + d, pbar = (n_c p_c + n_t p_t) / (n_c + n_t) — the same equation as two_proportion_sample_size
    solved for d. Solved by 40 fixed-point steps from d = (z_a + z_b) sqrt(p_c (1 - p_c) (1/n_c + 1/n_t)),
    each a nested subquery (the step contracts by a factor well below 1/2 for realistic sizes; pytest checks the result against a root finder to 1e-10).
    Null when a group is empty or p_c is outside [0, 1). -#}
{% macro two_proportion_min_detectable_diff(p_control, n_control, n_treated, z_alpha, z_power) -%}
    {{ drilldown.stats_require('two_proportion_min_detectable_diff', {'p_control': p_control, 'n_control': n_control, 'n_treated': n_treated, 'z_alpha': z_alpha, 'z_power': z_power}) }}
    {{ return(adapter.dispatch('two_proportion_min_detectable_diff', 'drilldown')(p_control, n_control, n_treated, z_alpha, z_power)) }}
{%- endmacro %}

{% macro default__two_proportion_min_detectable_diff(p_control, n_control, n_treated, z_alpha, z_power) -%}
    {%- set double = drilldown.type_double() -%}
    {%- set steps = 40 -%}
    {#- One fixed-point step, with p_t capped at 1 so the square roots stay real. -#}
    {%- set step -%}
        stat_z_alpha * sqrt(
            ((stat_nc * stat_pc + stat_nt * least(stat_pc + stat_d, 1.0)) / (stat_nc + stat_nt))
            * (1 - (stat_nc * stat_pc + stat_nt * least(stat_pc + stat_d, 1.0)) / (stat_nc + stat_nt))
            * (1 / stat_nc + 1 / stat_nt)
        )
        + stat_z_power * sqrt(stat_pc * (1 - stat_pc) / stat_nc + least(stat_pc + stat_d, 1.0) * (1 - least(stat_pc + stat_d, 1.0)) / stat_nt)
    {%- endset -%}
    (
        {%- for i in range(steps) %}
        select {% if loop.first %}{{ step }}{% else %}{{ step }} as stat_d, stat_pc, stat_nc, stat_nt, stat_z_alpha, stat_z_power{% endif %}
        from (
        {%- endfor %}
            select
                (stat_z_alpha + stat_z_power) * sqrt(stat_pc * (1 - stat_pc) * (1 / stat_nc + 1 / stat_nt)) as stat_d,
                stat_pc,
                stat_nc,
                stat_nt,
                stat_z_alpha,
                stat_z_power
            from (
                select
                    cast(({{ p_control }}) as {{ double }}) as stat_pc,
                    cast(({{ n_control }}) as {{ double }}) as stat_nc,
                    cast(({{ n_treated }}) as {{ double }}) as stat_nt,
                    cast(({{ z_alpha }}) as {{ double }}) as stat_z_alpha,
                    cast(({{ z_power }}) as {{ double }}) as stat_z_power
            ) as detectable_input
            where stat_nc > 0 and stat_nt > 0 and stat_pc >= 0 and stat_pc < 1
        {%- for i in range(steps) %}
        ) as detectable_step_{{ i }}
        {%- endfor %}
    )
{%- endmacro %}
