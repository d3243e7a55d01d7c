{#- One text column listing every rule a row breaks ('null_customer_id; negative_amount'), null when none.
    checks: a list of (reason_code, sql_condition) pairs. input (optional): drilldown.input_source() of the
    table; a reason code about a contract column the user's table holds under another name (var
    drilldown_<entity>_columns) names that column too: 'unparseable_ordered_at (created_at)'. -#}
{% macro concat_reasons(checks, input=none) -%}
    {%- if checks is string or checks | length == 0 -%}
        {{ exceptions.raise_compiler_error("drilldown.concat_reasons: checks must be a non-empty list of (reason, condition) pairs") }}
    {%- endif -%}
    {%- set column_map = input['column_map'] if input is mapping else {} -%}
    {%- set named = [] -%}
    {%- for reason, condition in checks -%}
        {%- do named.append((drilldown.reason_naming_user_column(reason, column_map), condition)) -%}
    {%- endfor -%}
    {{ return(adapter.dispatch('concat_reasons', 'drilldown')(named)) }}
{%- endmacro %}

{#- A reason code ending in _<contract column> gets ' (<user column>)' when the column map renames that column
    (the longest matching contract column wins: 'negative_line_amount' is about line_amount, not amount). -#}
{% macro reason_naming_user_column(reason, column_map) -%}
    {%- set ns = namespace(column=none) -%}
    {%- for name in column_map if reason.endswith('_' ~ name) and (ns.column is none or name | length > ns.column | length) -%}
        {%- set ns.column = name -%}
    {%- endfor -%}
    {{ return(reason ~ (' (' ~ column_map[ns.column] ~ ')' if ns.column is not none and column_map[ns.column] != ns.column else '')) }}
{%- endmacro %}

{#- The string is only built for rows that break a rule (most rows break none, and building it for
    every row was a large share of the base models' cost): a row whose conditions are all false or null
    gets null either way. -#}
{% macro default__concat_reasons(checks) -%}
    case
        when
        {%- for reason, condition in checks %}
            {% if not loop.first %}or {% endif %}({{ condition }})
        {%- endfor %}
            then nullif(concat_ws('; '
            {%- for reason, condition in checks %},
                case when {{ condition }} then '{{ reason }}' end
            {%- endfor %}
            ), '')
    end
{%- endmacro %}

{#- The raw values of a quarantined row as text, for its quarantine table: `raw_<name>` for each name, null on
    valid rows (printing every valid row's values to text cost a third of base_shop__orders at 5M orders).
    names: the contract column names; the relation must have raw_<name> and quarantine_reasons. -#}
{% macro raw_text_when_quarantined(names) -%}
    {%- if names is string or names | length == 0 -%}
        {{ exceptions.raise_compiler_error("drilldown.raw_text_when_quarantined: names must be a non-empty list") }}
    {%- endif -%}
    {{ return(adapter.dispatch('raw_text_when_quarantined', 'drilldown')(names)) }}
{%- endmacro %}

{% macro default__raw_text_when_quarantined(names) -%}
    {%- for name in names %}
        case
            when quarantine_reasons is not null then cast(raw_{{ name }} as {{ dbt.type_string() }})
        end as raw_{{ name }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
