{#- Quantile of Student's t with (fractional) df at probability p, by the Cornish-Fisher expansion in 1/df
    around the normal quantile z (Abramowitz & Stegun 26.7.5, terms to 1/df^5).
    Measured relative error against scipy.stats.t.ppf at p = 0.975: 1.5e-5 at df = 5, 3e-7 at df = 10,
    5e-10 at df = 30, about 2e-11 for df >= 100 (there the error of
    normal_quantile dominates). Null when df < 1.
    z (optional): normal_quantile(p) already computed, e.g. a column holding it; then it is used instead of
    writing normal_quantile(p) out again (~5 kB of SQL per call), with the same result. -#}
{% macro student_t_quantile(p, df, z=none) -%}
    {{ drilldown.stats_require('student_t_quantile', {'p': p, 'df': df}) }}
    {%- if z is not none -%}
        {{ drilldown.stats_require('student_t_quantile', {'z': z}) }}
    {%- endif %}
    {%- set double = drilldown.type_double() -%}
    {%- set quantile = drilldown.normal_quantile(p) if z is none else 'cast((' ~ z ~ ') as ' ~ double ~ ')' -%}
    {%- set expansion -%}
        stat_z
            + (power(stat_z, 3) + stat_z) / 4 / stat_df
            + (5 * power(stat_z, 5) + 16 * power(stat_z, 3) + 3 * stat_z) / 96 / power(stat_df, 2)
            + (3 * power(stat_z, 7) + 19 * power(stat_z, 5) + 17 * power(stat_z, 3) - 15 * stat_z) / 384 / power(stat_df, 3)
            + (79 * power(stat_z, 9) + 776 * power(stat_z, 7) + 1482 * power(stat_z, 5) - 1920 * power(stat_z, 3) - 945 * stat_z)
            / 92160 / power(stat_df, 4)
            + (27 * power(stat_z, 11) + 339 * power(stat_z, 9) + 930 * power(stat_z, 7) - 1782 * power(stat_z, 5)
                - 765 * power(stat_z, 3) + 17955 * stat_z) / 368640 / power(stat_df, 5)
    {%- endset -%}
    {{ drilldown.stats_steps([
        {'name': 't_quantile_input', 'columns': [('stat_z', quantile), ('stat_df', 'cast((' ~ df ~ ') as ' ~ double ~ ')')],
         'where': 'stat_df >= 1'},
    ], expansion) }}
{%- endmacro %}
