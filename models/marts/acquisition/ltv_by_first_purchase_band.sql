{#- LTV by first-purchase band x window; bands from the `first_purchase_bands` seed, every band x window
    present (zeros when a band has no customers). Customers without a completed order have no first
    purchase and no band: they are left out here (docs/decisions.md#first-purchase-band). -#}
{%- set windows = drilldown.ltv_window_months() -%}

with

ltv_summaries as (

    select * from {{ ref('int_acquisition_ltv_summaries') }}

),

first_purchase_bands as (

    select * from {{ ref('first_purchase_bands') }}

),

band_windows as (

    select * from ltv_summaries
    where group_kind = 'first_purchase_band'

),

windows as (

    {%- for months in windows %}
    select {{ months }} as window_months
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

final as (

    select
        first_purchase_bands.first_purchase_band,
        first_purchase_bands.sort_order as band_sort_order,
        first_purchase_bands.min_amount as band_min_amount,
        first_purchase_bands.max_amount as band_max_amount,
        windows.window_months,
        cast(coalesce(band_windows.customers_total, 0) as integer) as customers_total,
        cast(coalesce(band_windows.customers_counted, 0) as integer) as customers_counted,
        cast(coalesce(band_windows.customers_excluded_too_recent, 0) as integer) as customers_excluded_too_recent,
        cast(coalesce(band_windows.customers_with_purchase, 0) as integer) as customers_with_purchase,
        cast(coalesce(band_windows.repeat_customers, 0) as integer) as repeat_customers,
        band_windows.repeat_rate,
        cast(coalesce(band_windows.orders_total, 0) as bigint) as orders_total,
        band_windows.orders_per_customer,
        {{ drilldown.money('coalesce(band_windows.revenue_total, 0)') }} as revenue_total,
        band_windows.revenue_per_customer,
        cast(coalesce(band_windows.customers_margin_unknown, 0) as integer) as customers_margin_unknown,
        {{ drilldown.money('coalesce(band_windows.margin_total, 0)') }} as margin_total,
        band_windows.margin_per_customer
    from first_purchase_bands
    cross join windows
    left join band_windows
        on
            first_purchase_bands.first_purchase_band = band_windows.group_value
            and windows.window_months = band_windows.window_months

)

select * from final
