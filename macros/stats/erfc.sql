{#- Complementary error function erfc(x) = 1 - erf(x), 8-byte float, in plain SQL (exp, sqrt, abs only).

    For a = |x| < 2: erf(a) = 2/sqrt(pi) * a * exp(-a^2) * sum_n 2^n a^(2n) / (1*3*...*(2n+1))
    (Abramowitz & Stegun 7.1.6: every term positive, no cancellation), 30 terms in Horner form.
    For 2 <= a < 26: the continued fraction erfc(a) = exp(-a^2)/sqrt(pi) / (a + (1/2)/(a + (2/2)/(a + ...)))
    (A&S 7.1.14), 40 levels. For a >= 26, erfc(a) < 1e-295 and 0 is returned (Postgres raises on exp underflow).
    erfc(-a) = 2 - erfc(a).
    Measured against scipy.special.erfc: relative error below 1e-13 for every x with erfc(x) > 1e-295
    (tests/pytest/test_campaigns.py checks it on a grid). `x` is repeated ~75 times in the SQL:
    pass a column name or a short expression, not a big one. See docs/decisions.md#statistics-in-sql. -#}
{% macro erfc(x) -%}
    {{ drilldown.stats_require('erfc', {'x': x}) }}
    {{ return(adapter.dispatch('erfc', 'drilldown')(x)) }}
{%- endmacro %}

{% macro default__erfc(x) -%}
    {%- set series_terms = 30 -%}
    {%- set fraction_depth = 40 -%}
    {%- set value = 'abs(cast((' ~ x ~ ') as ' ~ drilldown.type_double() ~ '))' -%}
    {#- Series coefficients 2^n / (1*3*...*(2n+1)), computed at compile time. -#}
    {%- set coefficients = [1.0] -%}
    {%- for n in range(series_terms - 1) -%}
        {%- do coefficients.append(coefficients[-1] * 2.0 / (2 * n + 3)) -%}
    {%- endfor -%}
    {%- set horner -%}
        {%- for coefficient in coefficients -%}
            {{ '%.17g' | format(coefficient) }}{% if not loop.last %} + {{ value }} * {{ value }} * ({% endif %}
        {%- endfor -%}
        {%- for coefficient in coefficients[1:] %}){% endfor -%}
    {%- endset -%}
    {%- set fraction -%}
        {%- for k in range(1, fraction_depth + 1) -%}
            {{ value }} + {{ '%.17g' | format(k / 2.0) }} / ({% endfor -%}
        {{ value }}
        {%- for k in range(1, fraction_depth + 1) %}){% endfor -%}
    {%- endset -%}
    ((case
        when ({{ x }}) is null then null
        when {{ value }} >= 26 then 0
        when {{ value }} >= 2
            then exp(-{{ value }} * {{ value }}) / sqrt(pi()) / ({{ fraction }})
        else 1 - 2 / sqrt(pi()) * {{ value }} * exp(-{{ value }} * {{ value }}) * ({{ horner }})
    end) * (case when ({{ x }}) < 0 then -1 else 1 end)
    + (case when ({{ x }}) < 0 then 2 else 0 end))
{%- endmacro %}
