{#- Two-sided p-value of Student's t with (possibly fractional) df >= 1, by Hill's normalising transformation
    (G. W. Hill 1970, CACM Algorithm 395): a = df - 1/2, b = 48 a^2, y = a ln(1 + t^2/df),
    z = (((((-0.4y - 3.3)y - 24)y - 85.5) / (0.8y^2 + 100 + b) + y + 3) / b + 1) sqrt(y), p = erfc(z / sqrt(2)).
    Measured relative error against scipy (exact incomplete beta), for |t| <= 10: about 1e-7 at df = 30,
    1e-8 at df = 50, below 3e-9 for df >= 100 (worse for tiny df: 7e-6 at df = 10, 3e-4 at df = 5).
    `t` and `df` are repeated: pass columns. Null when t or df is null or df < 1. -#}
{% macro student_t_two_sided_p_value(t, df) -%}
    {{ drilldown.stats_require('student_t_two_sided_p_value', {'t': t, 'df': df}) }}
    {%- set double = drilldown.type_double() -%}
    {{ drilldown.stats_steps([
        {'name': 't_input', 'columns': [('stat_t', 'cast((' ~ t ~ ') as ' ~ double ~ ')'), ('stat_df', 'cast((' ~ df ~ ') as ' ~ double ~ ')')],
         'where': 'stat_t is not null and stat_df >= 1'},
        {'name': 't_ratio', 'columns': [('stat_df', 'stat_df'), ('stat_ratio', 'stat_t * stat_t / stat_df')]},
        {'name': 't_hill', 'columns': [('stat_b', '48 * (stat_df - 0.5) * (stat_df - 0.5)'), ('stat_y',
            '(stat_df - 0.5) * (case when stat_ratio > 1e-6 then ln(1 + stat_ratio) else stat_ratio * (1 - stat_ratio / 2) end)')]},
        {'name': 't_normalised', 'columns': [('stat_hill_z',
            '(((((-0.4 * stat_y - 3.3) * stat_y - 24.0) * stat_y - 85.5) / (0.8 * stat_y * stat_y + 100.0 + stat_b) + stat_y + 3.0)'
            ~ ' / stat_b + 1.0) * sqrt(stat_y)')]},
    ], drilldown.erfc('stat_hill_z / sqrt(2)')) }}
{%- endmacro %}
