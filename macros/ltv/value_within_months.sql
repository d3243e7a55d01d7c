{#- Value within N months after an anchor date (docs/decisions.md#ltv-windows).

    The window of N months after an anchor date is  anchor_date <= event_date < window_end_date(anchor_date, N).
    value_within_months(value, event_date, anchor_date, months) is an aggregate: the sum of `value` over the
    rows whose event_date falls in the window, 0 when no row does. A null value inside the window is skipped
    by sum(), so count unknown values separately where it matters (margin).

    months: a whole number > 0, or a SQL expression giving one (e.g. a column). customer_value_windows (and so
    both LTV marts) and cohort_retention all use it, so "within N months" means the same thing everywhere. -#}
{% macro value_within_months(value, event_date, anchor_date, months) -%}
    {%- if value is none or value | string | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown.value_within_months: value is required (a SQL expression)") }}
    {%- endif -%}
    {%- if event_date is none or event_date | string | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown.value_within_months: event_date is required (a SQL expression)") }}
    {%- endif -%}
    {{- drilldown.ltv_check_window_args('value_within_months', anchor_date, months) -}}
    sum(
        case
            when {{ event_date }} >= {{ anchor_date }}
                and {{ event_date }} < {{ drilldown.window_end_date(anchor_date, months) }}
                then {{ value }}
            else 0
        end
    )
{%- endmacro %}
