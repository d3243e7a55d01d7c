{#- Money is stored as decimal(18, 2): rounded to cents once, so sums and ranks are exact.
    is_exact_cents: true when the expression is exact to the cent and fits decimal(18, 2) already (a raw
    decimal(p, s <= 2) column, see is_cents_type; a sum of money columns): it is only cast, not rounded
    through decimal(38, 6), which cost ~0.25 s per 5M values in DuckDB (docs/decisions.md#money). -#}
{% macro money(expression, is_exact_cents=false) -%}
    {%- if is_exact_cents not in (true, false) -%}
        {{ exceptions.raise_compiler_error("drilldown.money: is_exact_cents must be true or false, got " ~ is_exact_cents) }}
    {%- endif -%}
    {%- if is_exact_cents -%}
        cast({{ expression }} as decimal(18, 2))
    {%- else -%}
        cast(round(cast({{ expression }} as decimal(38, 6)), 2) as decimal(18, 2))
    {%- endif -%}
{%- endmacro %}
