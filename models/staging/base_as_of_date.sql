{#- One row: the date every model is computed as of (docs/decisions.md#as-of-date). -#}
{%- set as_of_var = drilldown.as_of_date_var() -%}
{%- set as_of_expression = as_of_var or "cast(" ~ dbt.dateadd('day', 1, 'max(order_date)') ~ " as date)" -%}
{%- set as_of_rule = 'var as_of_date' if as_of_var else 'day after the latest valid order' -%}

with

valid_orders as (

    select order_date from {{ ref('base_shop__orders') }}
    where quarantine_reasons is null

),

final as (

    select
        {{ as_of_expression }} as as_of_date,
        '{{ as_of_rule }}' as as_of_date_rule,
        max(order_date) as latest_valid_order_date
    from valid_orders

)

select * from final
