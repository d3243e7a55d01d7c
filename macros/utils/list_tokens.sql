{#- A user-typed list ('[at_risk; lost]', '"loyal" | champions', 'a, b') as lower-case text with `,` between
    the items: `;` and `|` become `,`, brackets and quotes are dropped; null when nothing is left. The items
    still carry their spaces: list_tokens() trims each one. -#}
{% macro normalized_list(expression) -%}
    {%- set text = 'lower(cast(' ~ expression ~ ' as ' ~ dbt.type_string() ~ '))' -%}
    {%- set ns = namespace(sql=text) -%}
    {%- for separator in [';', '|'] -%}
        {%- set ns.sql = "replace(" ~ ns.sql ~ ", '" ~ separator ~ "', ',')" -%}
    {%- endfor -%}
    {%- for dropped in ['[', ']', '"', "''"] -%}
        {%- set ns.sql = "replace(" ~ ns.sql ~ ", '" ~ dropped ~ "', '')" -%}
    {%- endfor -%}
    nullif(trim({{ ns.sql }}), '')
{%- endmacro %}

{#- The number of `,`-separated parts of a normalized_list() value (empty parts included). -#}
{% macro list_part_count(list_column) -%}
    (length({{ list_column }}) - length(replace({{ list_column }}, ',', '')) + 1)
{%- endmacro %}

{#- One row per non-empty item of a normalized_list() column: the key columns, part_number and the trimmed
    token. Items are cut with dbt.split_part over the fixed part numbers 1..max_parts (no recursive CTE, no
    array functions: the same SQL on DuckDB and Postgres); a list with more parts than max_parts loses the
    rest, so callers flag such rows (list_part_count() > max_parts). Spark: posexplode(split()) in one pass
    (Spark inlines the relation into each of the max_parts union branches: 50 copies of a staging model's plan
    took 40-100 s to optimize).
    relation: a CTE or relation name; key_columns: a list of column names; list_column: the list. -#}
{% macro list_tokens(relation, key_columns, list_column, max_parts) -%}
    {%- if key_columns is string or key_columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("drilldown.list_tokens: key_columns must be a non-empty list of column names") }}
    {%- endif -%}
    {%- if max_parts is not number or max_parts < 1 -%}
        {{ exceptions.raise_compiler_error("drilldown.list_tokens: max_parts must be a whole number >= 1, got " ~ max_parts) }}
    {%- endif -%}
    {{ return(adapter.dispatch('list_tokens', 'drilldown')(relation, key_columns, list_column, max_parts)) }}
{%- endmacro %}

{% macro default__list_tokens(relation, key_columns, list_column, max_parts) -%}
    select
        {{ key_columns | join(', ') }},
        part_number,
        token
    from (
        {%- for part in range(1, max_parts + 1) %}
        select
            {{ key_columns | join(', ') }},
            {{ part }} as part_number,
            trim({{ dbt.split_part(list_column, "','", part) }}) as token
        from {{ relation }}
        where {{ list_column }} is not null and {{ drilldown.list_part_count(list_column) }} >= {{ part }}
        {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}
    ) as list_parts
    where token <> ''
{%- endmacro %}

{% macro spark__list_tokens(relation, key_columns, list_column, max_parts) -%}
    select
        {{ key_columns | join(', ') }},
        part_number,
        token
    from (
        select
            {{ key_columns | join(', ') }},
            list_part.pos + 1 as part_number,
            trim(list_part.part) as token
        from {{ relation }}
        lateral view posexplode(split({{ list_column }}, ',')) list_part as pos, part
        where {{ list_column }} is not null
    ) as list_parts
    where token <> '' and part_number <= {{ max_parts }}
{%- endmacro %}
