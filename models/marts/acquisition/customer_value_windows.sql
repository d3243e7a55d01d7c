{{ config(materialized=drilldown.publishing_materialization()) }}
{#- Per customer and LTV window: completed-order revenue, margin (where known) and orders within N months
    after acquisition, and whether the window has fully elapsed by the as-of date. Computed by
    int_customer_value_windows (which int_acquisition_ltv_summaries also reads, so no intermediate reads a
    mart); this mart publishes it under its contract. See docs/decisions.md#ltv-windows and
    #first-purchase-band. -#}

with

customer_value_windows as (

    select * from {{ ref('int_customer_value_windows') }}

),

final as (

    select
        customer_id,
        acquisition_source,
        acquired_date,
        has_sale_before_recorded_acquisition,
        first_purchase_date,
        first_purchase_amount,
        first_purchase_band,
        window_months,
        window_end_date,
        is_window_complete,
        exclusion_reason,
        orders,
        repeat_orders,
        is_repeat_buyer,
        revenue,
        margin,
        orders_with_unknown_margin
    from customer_value_windows

)

select * from final
