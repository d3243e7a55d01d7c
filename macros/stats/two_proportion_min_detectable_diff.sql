{#- Smallest increase d of the treated rate over the control rate p_c that groups of n_c and n_t detect with a
    two-sided test at level alpha and the given power: the root of
    d = z_a sqrt(pbar (1 - pbar) (1/n_c + 1/n_t)) + z_b sqrt(p_c (1 - p_c) / n_c + p_t (1 - p_t) / n_t),
    p_t = p_c + d, pbar = (n_c p_c + n_t p_t) / (n_c + n_t) — the same equation as two_proportion_sample_size
    solved for d by 6 Newton steps (each a nested subquery) from d = (z_a + z_b) sqrt(p_c (1 - p_c) (1/n_c + 1/n_t));
    convergence is quadratic, pytest checks the result against a root finder to 1e-10.
    d is searched in (0, 1 - p_c] (p_t cannot pass 1): the start is capped at 1 - p_c, and an iterate outside
    that range gives null (groups too small to detect any lift; Postgres would stop on the square root of a
    negative number, DuckDB gave NaN). Null too when a group is empty or p_c is outside [0, 1). -#}
{% macro two_proportion_min_detectable_diff(p_control, n_control, n_treated, z_alpha, z_power) -%}
    {{ drilldown.stats_require('two_proportion_min_detectable_diff', {'p_control': p_control, 'n_control': n_control, 'n_treated': n_treated, 'z_alpha': z_alpha, 'z_power': z_power}) }}
    {%- set double = drilldown.type_double() -%}
    {%- set steps = 6 -%}
    {#- f(d) = d - z_a s0(d) - z_b s1(d); s0 = sqrt(pbar (1 - pbar) (1/n_c + 1/n_t)), pbar = p_c + w d, w = n_t / (n_c + n_t);
        s1 = sqrt(p_c (1 - p_c) / n_c + p_t (1 - p_t) / n_t), p_t = p_c + d. One Newton step: d - f(d) / f'(d). -#}
    {%- set pbar = '(stat_pc + stat_w * stat_d)' -%}
    {%- set pt = '(stat_pc + stat_d)' -%}
    {%- set s0 = 'sqrt(' ~ pbar ~ ' * (1 - ' ~ pbar ~ ') * (1 / stat_nc + 1 / stat_nt))' -%}
    {%- set s1 = 'sqrt(stat_pc * (1 - stat_pc) / stat_nc + ' ~ pt ~ ' * (1 - ' ~ pt ~ ') / stat_nt)' -%}
    {%- set step -%}
        stat_d - (stat_d - stat_z_alpha * {{ s0 }} - stat_z_power * {{ s1 }})
        / (
            1
            - stat_z_alpha * (1 - 2 * {{ pbar }}) * stat_w * (1 / stat_nc + 1 / stat_nt) / (2 * {{ s0 }})
            - stat_z_power * (1 - 2 * {{ pt }}) / stat_nt / (2 * {{ s1 }})
        )
    {%- endset -%}
    {%- set inputs = [] -%}
    {%- for name, value in [('stat_pc', p_control), ('stat_nc', n_control), ('stat_nt', n_treated), ('stat_z_alpha', z_alpha), ('stat_z_power', z_power)] -%}
        {%- do inputs.append((name, 'cast((' ~ value ~ ') as ' ~ double ~ ')')) -%}
    {%- endfor -%}
    {%- set passed = [('stat_pc', 'stat_pc'), ('stat_w', 'stat_w'), ('stat_nc', 'stat_nc'), ('stat_nt', 'stat_nt'),
        ('stat_z_alpha', 'stat_z_alpha'), ('stat_z_power', 'stat_z_power')] -%}
    {%- set in_range = 'stat_d > 0 and stat_pc + stat_d <= 1' -%}
    {%- set newton_steps = [
        {'name': 'detectable_input', 'columns': inputs, 'where': 'stat_nc > 0 and stat_nt > 0 and stat_pc >= 0 and stat_pc < 1'},
        {'name': 'detectable_step_0', 'columns': [
            ('stat_d', 'least((stat_z_alpha + stat_z_power) * sqrt(stat_pc * (1 - stat_pc) * (1 / stat_nc + 1 / stat_nt)), 1 - stat_pc)'),
            ('stat_pc', 'stat_pc'), ('stat_w', 'stat_nt / (stat_nc + stat_nt)'), ('stat_nc', 'stat_nc'), ('stat_nt', 'stat_nt'),
            ('stat_z_alpha', 'stat_z_alpha'), ('stat_z_power', 'stat_z_power')], 'where': in_range},
    ] -%}
    {%- for i in range(1, steps) -%}
        {%- do newton_steps.append({'name': 'detectable_step_' ~ i, 'columns': [('stat_d', step)] + passed, 'where': in_range}) -%}
    {%- endfor -%}
    {{ drilldown.stats_steps(newton_steps, step) }}
{%- endmacro %}
