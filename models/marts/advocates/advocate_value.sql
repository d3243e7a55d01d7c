{#- Do advocates buy more, and which valuable customers never post? Customers of the `customers` mart per advocate
    tier x RFM segment ('none' = no completed order) and per tier ('all'): customers, revenue, predicted CLV
    over the longest horizon, silent high-value customers (docs/decisions.md#advocate-value). Empty when the
    build has no mention (advocate_tier is null then). -#}
{%- set double = drilldown.type_double() -%}
{%- set horizon_days = drilldown.clv_horizon_days() | last -%}

with

customers as (

    select * from {{ ref('customers') }}
    where advocate_tier is not null

),

tiers as (

    select * from {{ ref('int_advocate_tiers') }}

),

segments as (

    select * from {{ ref('rfm_segments') }}

),

customer_groups as (

    select
        customer_id,
        advocate_tier,
        coalesce(rfm_segment, 'none') as rfm_segment,
        revenue_total,
        predicted_clv_next_{{ horizon_days }}d as predicted_clv,
        is_silent_high_value
    from customers

),

grouped as (

    {% for segment_expression in ['rfm_segment', "'all'"] -%}
    select
        advocate_tier,
        {{ segment_expression }} as rfm_segment,
        count(*) as customers,
        sum(revenue_total) as revenue_total,
        count(predicted_clv) as customers_with_prediction,
        sum(predicted_clv) as predicted_clv,
        sum(case when is_silent_high_value then 1 else 0 end) as silent_high_value_customers
    from customer_groups
    group by advocate_tier{{ ', rfm_segment' if segment_expression == 'rfm_segment' }}
    {% if not loop.last -%}
    union all
    {% endif -%}
    {%- endfor %}

),

tier_sizes as (

    select
        advocate_tier,
        count(*) as tier_customers
    from customer_groups
    group by advocate_tier

),

final as (

    select
        grouped.advocate_tier,
        tiers.advocate_tier_order,
        grouped.rfm_segment,
        segments.segment_order,
        cast(grouped.customers as integer) as customers,
        cast(grouped.customers as {{ double }}) / tier_sizes.tier_customers as share_of_tier,
        {{ drilldown.money('grouped.revenue_total', true) }} as revenue_total,
        {{ drilldown.money('grouped.revenue_total / cast(grouped.customers as ' ~ double ~ ')') }} as revenue_per_customer,
        cast(grouped.customers_with_prediction as integer) as customers_with_prediction,
        cast({{ horizon_days }} as integer) as predicted_clv_horizon_days,
        grouped.predicted_clv,
        case
            when grouped.customers_with_prediction > 0 then grouped.predicted_clv / grouped.customers_with_prediction
        end as predicted_clv_per_customer,
        cast(grouped.silent_high_value_customers as integer) as silent_high_value_customers
    from grouped
    inner join tier_sizes
        on grouped.advocate_tier = tier_sizes.advocate_tier
    left join tiers
        on grouped.advocate_tier = tiers.advocate_tier
    left join segments
        on grouped.rfm_segment = segments.rfm_segment

)

select * from final
