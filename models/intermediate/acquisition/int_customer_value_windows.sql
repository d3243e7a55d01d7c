{#- Per customer and LTV window: completed-order revenue, margin (where known) and orders within N months
    after acquisition, and whether the window has fully elapsed by the as-of date. Read by the mart
    customer_value_windows and by int_acquisition_ltv_summaries (docs/decisions.md#ltv-windows and
    #first-purchase-band). Built from the purchase days, not the orders: every figure is a sum of whole days
    (a window boundary is a date), so orders are read once, by int_customer_purchase_days. Purchase days after
    the longest window are skipped, except the first: they add 0 to every window. -#}
{%- set windows = drilldown.ltv_window_months() -%}
{#- The per-window sums, unpivoted to one row per window: (column prefix, output name). -#}
{%- set window_measures = [
    ('orders', 'orders'), ('repeat_orders', 'repeat_orders'), ('revenue', 'revenue'),
    ('known_margin', 'known_margin'), ('unknown_margin_orders', 'orders_with_unknown_margin'),
] -%}

with

customers as (

    select * from {{ ref('int_customers_acquired') }}

),

purchase_days as (

    select * from {{ ref('int_customer_purchase_days') }}

),

first_purchase_bands as (

    select * from {{ ref('first_purchase_bands') }}

),

customer_purchase_values as (

    select
        customers.customer_id,
        {%- for months in windows %}
        {{ drilldown.value_within_months(
            'purchase_days.orders', 'purchase_days.purchase_date', 'customers.acquired_date', months) }}
            as orders_{{ months }}m,
        {#- Repeat = a completed order on a later day than the first purchase day. #}
        {{ drilldown.value_within_months(
            'case when purchase_days.purchase_number > 1 then purchase_days.orders else 0 end',
            'purchase_days.purchase_date', 'customers.acquired_date', months) }}
            as repeat_orders_{{ months }}m,
        {{ drilldown.value_within_months(
            'purchase_days.revenue', 'purchase_days.purchase_date', 'customers.acquired_date', months) }}
            as revenue_{{ months }}m,
        {{ drilldown.value_within_months(
            'purchase_days.margin', 'purchase_days.purchase_date', 'customers.acquired_date', months) }}
            as known_margin_{{ months }}m,
        {{ drilldown.value_within_months(
            'purchase_days.orders - purchase_days.orders_with_margin',
            'purchase_days.purchase_date', 'customers.acquired_date', months) }}
            as unknown_margin_orders_{{ months }}m,
        {%- endfor %}
        {#- First purchase = every completed order on the first purchase day, summed. -#}
        sum(
            case
                when purchase_days.purchase_number = 1 then purchase_days.revenue
                else 0
            end
        ) as first_purchase_amount
    from purchase_days
    inner join customers
        on purchase_days.customer_id = customers.customer_id
    where
        customers.acquired_date is not null
        {#- A day after the longest window adds 0 to every window: only the first purchase still needs it. #}
        and (
            purchase_days.purchase_date < {{ drilldown.window_end_date('customers.acquired_date', windows[-1]) }}
            or purchase_days.purchase_number = 1
        )
    group by customers.customer_id

),

customer_bands as (

    select
        customers.customer_id,
        customers.acquisition_source,
        customers.acquired_date,
        customers.has_sale_before_recorded_acquisition,
        customers.first_completed_order_date as first_purchase_date,
        {{ drilldown.money(
            'case when customers.first_completed_order_date is not null
                then customer_purchase_values.first_purchase_amount end', true) }} as first_purchase_amount,
        {%- for months in windows %}
        coalesce(customer_purchase_values.orders_{{ months }}m, 0) as orders_{{ months }}m,
        coalesce(customer_purchase_values.repeat_orders_{{ months }}m, 0) as repeat_orders_{{ months }}m,
        coalesce(customer_purchase_values.revenue_{{ months }}m, 0) as revenue_{{ months }}m,
        coalesce(customer_purchase_values.known_margin_{{ months }}m, 0) as known_margin_{{ months }}m,
        coalesce(customer_purchase_values.unknown_margin_orders_{{ months }}m, 0)
            as unknown_margin_orders_{{ months }}m,
        {%- endfor %}
        first_purchase_bands.first_purchase_band
    from customers
    left join customer_purchase_values
        on customers.customer_id = customer_purchase_values.customer_id
    left join first_purchase_bands
        on
            customers.first_completed_order_date is not null
            and (
                first_purchase_bands.min_amount is null
                or customer_purchase_values.first_purchase_amount >= first_purchase_bands.min_amount
            )
            and (
                first_purchase_bands.max_amount is null
                or customer_purchase_values.first_purchase_amount < first_purchase_bands.max_amount
            )

),

windows as (

    {%- for months in windows %}
    select {{ months }} as window_months
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

customer_windows as (

    select
        customer_bands.customer_id,
        customer_bands.acquisition_source,
        customer_bands.acquired_date,
        customer_bands.has_sale_before_recorded_acquisition,
        customer_bands.first_purchase_date,
        customer_bands.first_purchase_amount,
        customer_bands.first_purchase_band,
        {%- for measure, alias in window_measures %}
        case windows.window_months
            {%- for months in windows %}
            when {{ months }} then customer_bands.{{ measure }}_{{ months }}m
            {%- endfor %}
        end as {{ alias }},
        {%- endfor %}
        windows.window_months,
        {{ drilldown.window_end_date('customer_bands.acquired_date', 'windows.window_months') }} as window_end_date
    from customer_bands
    cross join windows

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
        {#- Complete when the whole window lies before the as-of date (docs/decisions.md#ltv-windows). -#}
        coalesce(window_end_date <= {{ drilldown.as_of_date() }}, false) as is_window_complete,
        case
            when acquired_date is null then 'no_acquisition_date'
            when window_end_date > {{ drilldown.as_of_date() }} then 'window_incomplete'
        end as exclusion_reason,
        cast(orders as integer) as orders,
        cast(repeat_orders as integer) as repeat_orders,
        repeat_orders > 0 as is_repeat_buyer,
        {{ drilldown.money('revenue', true) }} as revenue,
        {#- Margin is unknown (null) when any completed order in the window has no gross_margin. -#}
        {{ drilldown.money('case when orders_with_unknown_margin = 0 then known_margin end', true) }} as margin,
        cast(orders_with_unknown_margin as integer) as orders_with_unknown_margin
    from customer_windows

)

select * from final
