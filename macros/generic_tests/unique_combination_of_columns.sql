{#- Fails for every combination of the columns that appears more than once. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {%- if combination_of_columns is string or combination_of_columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("drilldown unique_combination_of_columns: combination_of_columns must be a non-empty list") }}
    {%- endif %}
    select
        {{ combination_of_columns | join(', ') }},
        count(*) as copies
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
{% endtest %}
