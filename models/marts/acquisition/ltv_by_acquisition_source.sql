{#- LTV by acquisition source x window, with acquisition cost and payback where the optional
    `acquisition_costs` seed has rows (docs/decisions.md#ltv-windows, #acquisition-costs). -#}

with

ltv_summaries as (

    select * from {{ ref('int_acquisition_ltv_summaries') }}

),

acquisition_costs as (

    select * from {{ ref('acquisition_costs') }}

),

source_windows as (

    select * from ltv_summaries
    where group_kind = 'acquisition_source'

),

source_costs as (

    select
        coalesce(lower(nullif(trim(acquisition_source), '')), 'unknown') as acquisition_source,
        sum(spend) as acquisition_spend,
        sum(new_customers) as paid_new_customers
    from acquisition_costs
    group by coalesce(lower(nullif(trim(acquisition_source), '')), 'unknown')

),

valued as (

    select
        source_windows.group_value as acquisition_source,
        source_windows.window_months,
        source_windows.customers_total,
        source_windows.customers_counted,
        source_windows.customers_excluded_too_recent,
        source_windows.customers_without_acquisition_date,
        source_windows.customers_with_purchase,
        source_windows.repeat_customers,
        source_windows.repeat_rate,
        source_windows.orders_total,
        source_windows.orders_per_customer,
        source_windows.revenue_total,
        source_windows.revenue_per_customer,
        source_windows.customers_margin_unknown,
        source_windows.margin_total,
        source_windows.margin_per_customer,
        {{ drilldown.money('source_costs.acquisition_spend') }} as acquisition_spend,
        cast(source_costs.paid_new_customers as integer) as paid_new_customers,
        {{ drilldown.money('source_costs.acquisition_spend / nullif(source_costs.paid_new_customers, 0)') }}
            as cost_per_new_customer,
        {#- Value per customer: margin when every counted customer's margin is known, else revenue. -#}
        case
            when source_windows.customers_counted = 0 then null
            when source_windows.customers_margin_unknown = 0 then 'margin'
            else 'revenue'
        end as value_basis,
        {{ drilldown.money(
            'case
                when source_windows.customers_counted = 0 then null
                when source_windows.customers_margin_unknown = 0 then source_windows.margin_per_customer
                else source_windows.revenue_per_customer
            end') }} as value_per_customer
    from source_windows
    left join source_costs
        on source_windows.group_value = source_costs.acquisition_source

),

final as (

    select
        *,
        cast(value_per_customer as {{ drilldown.type_double() }})
        / nullif(cost_per_new_customer, 0) as value_to_cost_ratio,
        {#- The shortest window whose value per customer covers the cost per new customer. -#}
        min(
            case
                when cost_per_new_customer is not null and value_per_customer >= cost_per_new_customer
                    then window_months
            end
        ) over (partition by acquisition_source) as payback_window_months
    from valued

)

select * from final
