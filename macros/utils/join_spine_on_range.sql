{#- Every row of `relation` with every row of `spine` whose whole-number key lies in the row's range:
    lower <= spine.spine_key < upper (an empty range gives no row). Selects relation.* and spine.*, so
    give the two relations distinct column names.

    join_spine_on_range('intervals', 'months', 'month_index', 'start_month_index', 'end_month_index')
    spreads each interval over the months it covers. The default is a range join, which works everywhere;
    DuckDB generates the keys of each range with generate_series and joins the spine on equality, which
    is several times cheaper on millions of rows. Both give the same rows: the keys that are not in the
    spine drop out of the inner join. Keep ranges short (clamp them to the spine): DuckDB makes a row per key. -#}
{% macro join_spine_on_range(relation, spine, spine_key, lower, upper) -%}
    {%- for name, value in [('relation', relation), ('spine', spine), ('spine_key', spine_key), ('lower', lower), ('upper', upper)] -%}
        {%- if value is none or value is not string or value | trim == '' -%}
            {{ exceptions.raise_compiler_error("drilldown.join_spine_on_range: " ~ name ~ " is required (a relation or column name), got " ~ value) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(adapter.dispatch('join_spine_on_range', 'drilldown')(relation, spine, spine_key, lower, upper)) }}
{%- endmacro %}

{% macro default__join_spine_on_range(relation, spine, spine_key, lower, upper) -%}
    select
        {{ relation }}.*,
        {{ spine }}.*
    from {{ relation }}
    inner join {{ spine }}
        on
            {{ relation }}.{{ lower }} <= {{ spine }}.{{ spine_key }}
            and {{ relation }}.{{ upper }} > {{ spine }}.{{ spine_key }}
{%- endmacro %}

{% macro duckdb__join_spine_on_range(relation, spine, spine_key, lower, upper) -%}
    select
        ranged.* exclude (spine_key_in_range),
        {{ spine }}.*
    from (
        select
            *,
            unnest(generate_series({{ lower }}, {{ upper }} - 1)) as spine_key_in_range
        from {{ relation }}
    ) as ranged
    inner join {{ spine }}
        on ranged.spine_key_in_range = {{ spine }}.{{ spine_key }}
{%- endmacro %}
