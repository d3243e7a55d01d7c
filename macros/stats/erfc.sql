{#- Complementary error function erfc(x) = 1 - erf(x), 8-byte float, in plain SQL (exp, sqrt, abs only).

    For a = |x| < 2: erf(a) = 2/sqrt(pi) * a * exp(-a^2) * sum_n 2^n a^(2n) / (1*3*...*(2n+1))
    (Abramowitz & Stegun 7.1.6: every term positive, no cancellation), 30 terms.
    For 2 <= a < 26: the continued fraction erfc(a) = exp(-a^2)/sqrt(pi) / (a + (1/2)/(a + (2/2)/(a + ...)))
    (A&S 7.1.14), 40 levels, expanded at compile time into
    its convergent A(a)/B(a), two polynomials with positive coefficients (flat SQL, no cancellation). For a >= 26, erfc(a) < 1e-295 and 0 is returned (Postgres raises on exp underflow).
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
    {%- set series = [1.0] -%}
    {%- for n in range(series_terms - 1) -%}
        {%- do series.append(series[-1] * 2.0 / (2 * n + 3)) -%}
    {%- endfor -%}
    {#- The continued fraction x + (1/2)/(x + (2/2)/(x + ... + (depth/2)/x)) as its convergent A/B, two polynomials
        in x with positive coefficients (A_k = x A_(k-1) + (k/2) A_(k-2)), so the SQL is a flat sum of positive terms. -#}
    {#- A namespace: plain `set` inside a Jinja loop does not outlive the iteration. -#}
    {%- set fraction = namespace(numerator_before=[1.0], numerator=[0.0, 1.0], denominator_before=[0.0], denominator=[1.0]) -%}
    {%- for k in range(1, fraction_depth + 1) -%}
        {%- set next_numerator = [] -%}
        {%- for coefficient in [0.0] + fraction.numerator -%}
            {%- do next_numerator.append(coefficient + (k / 2.0 * fraction.numerator_before[loop.index0] if loop.index0 < fraction.numerator_before | length else 0.0)) -%}
        {%- endfor -%}
        {%- set next_denominator = [] -%}
        {%- for coefficient in [0.0] + fraction.denominator -%}
            {%- do next_denominator.append(coefficient + (k / 2.0 * fraction.denominator_before[loop.index0] if loop.index0 < fraction.denominator_before | length else 0.0)) -%}
        {%- endfor -%}
        {%- set fraction.numerator_before = fraction.numerator -%}
        {%- set fraction.numerator = next_numerator -%}
        {%- set fraction.denominator_before = fraction.denominator -%}
        {%- set fraction.denominator = next_denominator -%}
    {%- endfor -%}
    ((case
        when ({{ x }}) is null then null
        when {{ value }} >= 26 then 0
        when {{ value }} >= 2
            then exp(-{{ value }} * {{ value }}) / sqrt(pi())
            * ({{ drilldown.stats_polynomial(value, fraction.denominator) }})
            / ({{ drilldown.stats_polynomial(value, fraction.numerator) }})
        else 1 - 2 / sqrt(pi()) * {{ value }} * exp(-{{ value }} * {{ value }})
            * ({{ drilldown.stats_polynomial(value ~ ' * ' ~ value, series) }})
    end) * (case when ({{ x }}) < 0 then -1 else 1 end)
    + (case when ({{ x }}) < 0 then 2 else 0 end))
{%- endmacro %}

{#- sum_i coefficients[i] * x^i as a flat SQL sum (zero coefficients left out). -#}
{% macro stats_polynomial(x, coefficients) -%}
    {%- set terms = [] -%}
    {%- for coefficient in coefficients -%}
        {%- if coefficient != 0 -%}
            {%- if loop.index0 == 0 -%}
                {%- do terms.append('%.17g' | format(coefficient)) -%}
            {%- else -%}
                {%- do terms.append('%.17g' | format(coefficient) ~ ' * power(' ~ x ~ ', ' ~ loop.index0 ~ ')') -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ terms | join(' + ') }}
{%- endmacro %}
