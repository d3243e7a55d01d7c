{{ config(materialized=drilldown.publishing_materialization()) }}
{#- Recent Repeaters: 2+ completed orders, the last within var recent_repeater_max_days of the as-of date,
    most frequent first, then most recent. See docs/decisions.md#lifecycle-grid. -#}

with

lifecycle as (

    select * from {{ ref('customer_lifecycle') }}

),

final as (

    select
        customer_id,
        last_order_date,
        recency_days,
        frequency,
        lifecycle_cell
    from lifecycle
    where is_recent_repeater

)

select * from final
order by frequency desc, recency_days asc, customer_id asc
