{#- Standard normal quantile Phi^-1(p), 0 < p < 1.
    Start: Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4); then one Halley step on Phi (cubic convergence).
    Measured against scipy.stats.norm.ppf: relative error < 1e-8 for 1e-10 <= p <= 1 - 1e-10
    (about 2e-11 at p = 0.975). Written as a scalar subquery so `p` is evaluated once, each step behind
    subquery_barrier (on Postgres the steps would otherwise be inlined into each other); p outside (0, 1) gives null. -#}
{% macro normal_quantile(p) -%}
    {{ drilldown.stats_require('normal_quantile', {'p': p}) }}
    {%- set double = drilldown.type_double() -%}
    (
        select stat_x0 - stat_halley_u / (1 + stat_x0 * stat_halley_u / 2)
        from (
            select
                stat_x0,
                ({{ drilldown.normal_cdf('stat_x0') }} - stat_p) * sqrt(2 * pi()) * exp(stat_x0 * stat_x0 / 2) as stat_halley_u
            from (
                select
                    stat_p,
                    (case when stat_p < 0.5 then -1 else 1 end) * (
                        stat_t - (2.515517 + 0.802853 * stat_t + 0.010328 * stat_t * stat_t)
                        / (1 + 1.432788 * stat_t + 0.189269 * stat_t * stat_t + 0.001308 * stat_t * stat_t * stat_t)
                    ) as stat_x0
                from (
                    select
                        stat_p,
                        sqrt(-2 * ln(least(stat_p, 1 - stat_p))) as stat_t
                    from (
                        select cast(({{ p }}) as {{ double }}) as stat_p
                        {{ drilldown.subquery_barrier() }}
                    ) as quantile_input
                    where stat_p > 0 and stat_p < 1
                    {{ drilldown.subquery_barrier() }}
                ) as quantile_tail
                {{ drilldown.subquery_barrier() }}
            ) as quantile_start
            {{ drilldown.subquery_barrier() }}
        ) as quantile_step
    )
{%- endmacro %}
