{#- Money is stored as decimal(18, 2): rounded to cents once, so sums and ranks are exact. -#}
{% macro money(expression) -%}
    {{ return(adapter.dispatch('money', 'drilldown')(expression)) }}
{%- endmacro %}

{% macro default__money(expression) -%}
    cast(round(cast({{ expression }} as decimal(38, 6)), 2) as decimal(18, 2))
{%- endmacro %}
