{#- Complementary error function erfc(x) = 1 - erf(x), 8-byte float, in plain SQL (exp, sqrt, abs only).

    For a = |x| < 2: erf(a) = 2/sqrt(pi) * a * exp(-a^2) * sum_n 2^n a^(2n) / (1*3*...*(2n+1))
    (Abramowitz & Stegun 7.1.6: every term positive, no cancellation), 30 terms.
    For 2 <= a < 26: the continued fraction erfc(a) = exp(-a^2)/sqrt(pi) / (a + (1/2)/(a + (2/2)/(a + ...)))
    (A&S 7.1.14), 40 levels, expanded into its convergent A(a)/B(a) (coefficients in
    stats_erfc_coefficients below), two polynomials with positive coefficients (flat SQL, no cancellation). For a >= 26, erfc(a) < 1e-295 and 0 is returned (Postgres raises on exp underflow).
    erfc(-a) = 2 - erfc(a).
    Measured against scipy.special.erfc: relative error below 1e-13 for every x with erfc(x) > 1e-295
    (tests/pytest/test_campaigns.py checks it on a grid). A scalar subquery: `x` is written once and |x|
    computed once (the polynomials use it ~110 times), which keeps the compiled SQL of the callers small
    (dbt parses it again for unit tests). See docs/decisions.md#statistics-in-sql. -#}
{% macro erfc(x) -%}
    {{ drilldown.stats_require('erfc', {'x': x}) }}
    {#- One step, so `x` and |x| are written (and computed) once; the polynomials use |x| ~110 times. -#}
    {{ drilldown.stats_steps([
        {'name': 'erfc_input', 'columns': [('erfc_x', '(' ~ x ~ ')'), ('erfc_a', 'abs(cast((' ~ x ~ ') as ' ~ drilldown.type_double() ~ '))')]},
    ], drilldown.stats_erfc_of('erfc_x', 'erfc_a')) }}
{%- endmacro %}

{#- erfc of x given as two names: erfc_x (x) and erfc_a (|x| as an 8-byte float). -#}
{% macro stats_erfc_of(erfc_x, erfc_a) -%}
    {%- set coefficients = drilldown.stats_erfc_coefficients() -%}
    (case
        when {{ erfc_x }} is null then null
        when {{ erfc_a }} >= 26 then 0
        when {{ erfc_a }} >= 2
            then exp(-{{ erfc_a }} * {{ erfc_a }}) / sqrt(pi())
            * ({{ drilldown.stats_polynomial(erfc_a, coefficients.denominator) }})
            / ({{ drilldown.stats_polynomial(erfc_a, coefficients.numerator) }})
        else 1 - 2 / sqrt(pi()) * {{ erfc_a }} * exp(-{{ erfc_a }} * {{ erfc_a }})
            * ({{ drilldown.stats_polynomial(erfc_a ~ ' * ' ~ erfc_a, coefficients.series) }})
    end) * (case when {{ erfc_x }} < 0 then -1 else 1 end)
    + (case when {{ erfc_x }} < 0 then 2 else 0 end)
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

{#- The coefficients erfc uses, written out: `series` (2^n / (1*3*...*(2n+1)), 30 terms) and the continued
    fraction's convergent at depth 40 as polynomials in a, `numerator` A(a) and `denominator` B(a) (index = power),
    from A_k = a A_(k-1) + (k/2) A_(k-2), A_(-1) = 1, A_0 = 0 (B: B_(-1) = 0, B_0 = 1). Computing them in Jinja
    took ~3,000 loop steps per erfc call and dominated the compile time of every model (and unit test) that uses
    the statistics macros. Printed with %.17g, so they are exactly the doubles the recurrences give;
    tests/pytest/test_campaigns.py::test_erfc_coefficients recomputes them. -#}
{% macro stats_erfc_coefficients() -%}
    {{ return({
        'series': [
            1, 0.66666666666666663, 0.26666666666666666, 0.076190476190476183, 0.016931216931216929,
            0.0030784030784030778, 0.00047360047360047353, 6.3146729813396465e-05, 7.4290270368701719e-06, 7.8200284598633391e-07,
            7.4476461522507986e-08, 6.4762140454354767e-09, 5.1809712363483809e-10, 3.8377564713691707e-11, 2.6467286009442557e-12,
            1.7075668393188747e-13, 1.0348889935265908e-14, 5.9136513915805188e-16, 3.1965683197732537e-17, 1.6392658050119249e-18,
            7.9964185610337797e-20, 3.7192644469924554e-21, 1.6530064208855358e-22, 7.0340698761086623e-24, 2.871048929023944e-25,
            1.1259015407937035e-26, 4.248685059598881e-28, 1.5449763853086839e-29, 5.4209697730129262e-31, 1.8376168722077716e-32
        ],
        'numerator': [
            0, 1.2505598504722584e+19, 0, 1.667413133963011e+20, 0,
            6.3361699090594424e+20, 0, 1.0862005558387616e+21, 0, 1.025856080514386e+21,
            0, 5.9686171957200631e+20, 0, 2.2956219983538704e+20, 0,
            6.1216586622769873e+19, 0, 1.1703170972000125e+19, 0, 1.6425503118596667e+18,
            0, 1.7207669933767936e+17, 0, 13602901133413388, 0,
            816174068004803.25, 0, 37204515920446.875, 0, 1282914342084.375,
            0, 33107466892.5, 0, 627035357.8125, 0,
            8430727.5, 0, 75952.5, 0, 410,
            0, 1
        ],
        'denominator': [
            2.43290200817664e+18, 0, 7.7170687333973705e+19, 0, 3.991770603861727e+20,
            0, 8.017316579136336e+20, 0, 8.312968499325626e+20, 0,
            5.1332073438598175e+20, 0, 2.0548061147707441e+20, 0, 5.6344349714746753e+19,
            0, 1.0989883211189344e+19, 0, 1.5653948575227302e+18, 0,
            1.6582515579313939e+17, 0, 13220512064900900, 0, 798475797161745.12,
            0, 36586766807492.344, 0, 1266815564035.3125, 0,
            32800132509.375, 0, 622876196.25, 0, 8393056.875,
            0, 75748.25, 0, 409.5, 0,
            1
        ]
    }) }}
{%- endmacro %}
