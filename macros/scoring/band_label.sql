{#- Label of the band a whole number falls in, from a list of inclusive upper bounds.

    band_label('recency_days', [30, 90, 180, 365]) gives '0-30', '31-90', '91-180', '181-365', '366+'
    (lowest = 0); band_label('frequency', [1, 2, 4], lowest=1) gives '1', '2', '3-4', '5+'.
    Null in, null out. Values below `lowest` fall in the first band. The bounds usually come from vars
    (see dbt_project.yml), so the grid can be changed without SQL. See docs/decisions.md#lifecycle-grid. -#}
{% macro band_label(column, upper_bounds, lowest=0) -%}
    {{- drilldown.check_band_bounds('band_label', column, upper_bounds, lowest) -}}
    {%- set upper_bounds = upper_bounds | map('int') | list -%}
    {%- set lowest = lowest | int -%}
    case
        when ({{ column }}) is null then null
        {%- set ns = namespace(lower=lowest) %}
        {%- for upper in upper_bounds %}
        when ({{ column }}) <= {{ upper }} then '{{ ns.lower ~ ("" if ns.lower == upper else "-" ~ upper) }}'
        {%- set ns.lower = upper + 1 %}
        {%- endfor %}
        else '{{ ns.lower }}+'
    end
{%- endmacro %}

{#- The 1-based position of the band band_label() puts the value in (for sorting grids). -#}
{% macro band_number(column, upper_bounds) -%}
    {{- drilldown.check_band_bounds('band_number', column, upper_bounds, 0) -}}
    {%- set upper_bounds = upper_bounds | map('int') | list -%}
    case
        when ({{ column }}) is null then null
        {%- for upper in upper_bounds %}
        when ({{ column }}) <= {{ upper }} then {{ loop.index }}
        {%- endfor %}
        else {{ upper_bounds | length + 1 }}
    end
{%- endmacro %}

{#- Argument checks shared by band_label and band_number: bounds are whole numbers, strictly increasing,
    and the first is not below `lowest`. -#}
{% macro check_band_bounds(macro_name, column, upper_bounds, lowest) -%}
    {%- if column is none or column | string | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown." ~ macro_name ~ ": column is required") }}
    {%- endif -%}
    {%- if upper_bounds is string or upper_bounds is not iterable or upper_bounds | length == 0 -%}
        {{ exceptions.raise_compiler_error("drilldown." ~ macro_name ~ ": upper_bounds must be a non-empty list of whole numbers, got " ~ upper_bounds) }}
    {%- endif -%}
    {%- set ns = namespace(previous=lowest - 1) -%}
    {%- for upper in upper_bounds -%}
        {%- if upper is not number or upper != upper | int or upper <= ns.previous -%}
            {{ exceptions.raise_compiler_error("drilldown." ~ macro_name ~ ": upper_bounds must be increasing whole numbers >= " ~ lowest ~ ", got " ~ upper_bounds) }}
        {%- endif -%}
        {%- set ns.previous = upper -%}
    {%- endfor -%}
{%- endmacro %}
