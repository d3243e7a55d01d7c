{#- Control-group size needed to detect control rate p_c vs treated rate p_t with a two-sided test at level
    alpha and the given power, when the treated group is `ratio` times the control (n_t = ratio * n_c):
    n_c = (z_a sqrt(pbar (1 - pbar) (1 + 1/ratio)) + z_b sqrt(p_c (1 - p_c) + p_t (1 - p_t) / ratio))^2 / (p_t - p_c)^2,
    pbar = (p_c + ratio p_t) / (1 + ratio), z_a = Phi^-1(1 - alpha/2), z_b = Phi^-1(power)
    (pooled variance under the null, unpooled under the alternative; Fleiss, Statistical Methods for Rates and
    Proportions). Not rounded up here. Null when p_t = p_c or a rate is outside [0, 1]. -#}
{% macro two_proportion_sample_size(p_control, p_treated, ratio, z_alpha, z_power) -%}
    {{ drilldown.stats_require('two_proportion_sample_size', {'p_control': p_control, 'p_treated': p_treated, 'ratio': ratio, 'z_alpha': z_alpha, 'z_power': z_power}) }}
    {%- set double = drilldown.type_double() -%}
    {%- set inputs = [] -%}
    {%- for name, value in [('stat_pc', p_control), ('stat_pt', p_treated), ('stat_k', ratio), ('stat_z_alpha', z_alpha), ('stat_z_power', z_power)] -%}
        {%- do inputs.append((name, 'cast((' ~ value ~ ') as ' ~ double ~ ')')) -%}
    {%- endfor -%}
    {{ drilldown.stats_steps([
        {'name': 'sample_size_input', 'columns': inputs,
         'where': 'stat_pc between 0 and 1 and stat_pt between 0 and 1 and stat_pt <> stat_pc and stat_k > 0'},
        {'name': 'sample_size_pooled', 'columns': [('stat_pc', 'stat_pc'), ('stat_pt', 'stat_pt'), ('stat_k', 'stat_k'),
            ('stat_z_alpha', 'stat_z_alpha'), ('stat_z_power', 'stat_z_power'), ('stat_pbar', '(stat_pc + stat_k * stat_pt) / (1 + stat_k)')]},
    ], 'power(stat_z_alpha * sqrt(stat_pbar * (1 - stat_pbar) * (1 + 1 / stat_k))'
        ~ ' + stat_z_power * sqrt(stat_pc * (1 - stat_pc) + stat_pt * (1 - stat_pt) / stat_k), 2) / power(stat_pt - stat_pc, 2)') }}
{%- endmacro %}
