{#- The date every model is computed "as of" (see docs/decisions.md#as-of-date).
    Always read from the one-row model base_as_of_date, which applies the `as_of_date` var
    or defaults to the day after the latest valid order. Nothing reads the wall clock. -#}
{% macro as_of_date() -%}
    (select as_of_date from {{ ref('base_as_of_date') }})
{%- endmacro %}

{#- The `as_of_date` var as a SQL date literal, or none when unset. Fails early on a malformed value. -#}
{% macro as_of_date_var() -%}
    {%- set value = var('as_of_date', none) -%}
    {%- if value is none or (value | string | trim) == '' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if not modules.re.match('^\d{4}-\d{2}-\d{2}$', value | string | trim) -%}
        {{ exceptions.raise_compiler_error("drilldown: var as_of_date must look like YYYY-MM-DD, got '" ~ value ~ "'") }}
    {%- endif -%}
    {{ return("cast('" ~ (value | string | trim) ~ "' as date)") }}
{%- endmacro %}
