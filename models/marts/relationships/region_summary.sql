{#- Regions at a glance, one row per region x acquisition source (null region = 'unknown'): customers, all-time
    completed revenue and the 12-month value per source; repeated on every row of the region, its totals, the
    RFM segment mix, the 12-month value and repeat rate, the campaign lift pooled over every campaign's contacts
    and region_cluster, a tercile rule on 12-month value and repeat rate. See docs/decisions.md#region-summary. -#}
{%- set double = drilldown.type_double() %}
{%- set tiers = {1: 'low', 2: 'mid', 3: 'high'} %}

with

customers as (

    select * from {{ ref('int_customers_acquired') }}

),

customer_orders as (

    select * from {{ ref('int_customer_orders_summarised') }}

),

rfm as (

    select * from {{ ref('customer_rfm') }}

),

value_windows as (

    select * from {{ ref('int_customer_value_windows') }}
    where window_months = 12

),

contact_outcomes as (

    select * from {{ ref('int_campaign_contact_outcomes') }}

),

customer_regions as (

    select
        customers.customer_id,
        coalesce(customers.region, 'unknown') as region,
        customers.acquisition_source,
        rfm.rfm_segment,
        coalesce(customer_orders.revenue_total, 0) as revenue_total,
        coalesce(value_windows.is_window_complete, false) as is_counted_12m,
        value_windows.revenue as revenue_12m,
        value_windows.is_repeat_buyer as is_repeat_buyer_12m
    from customers
    left join customer_orders
        on customers.customer_id = customer_orders.customer_id
    left join rfm
        on customers.customer_id = rfm.customer_id
    left join value_windows
        on customers.customer_id = value_windows.customer_id

),

region_sources as (

    select
        region,
        acquisition_source,
        count(*) as customers,
        sum(revenue_total) as revenue_total,
        sum(case when is_counted_12m then 1 else 0 end) as customers_counted_12m,
        sum(case when is_counted_12m then revenue_12m else 0 end) as revenue_12m,
        sum(case when is_counted_12m and is_repeat_buyer_12m then 1 else 0 end) as repeat_customers_12m
    from customer_regions
    group by
        region,
        acquisition_source

),

region_segments as (

    select
        region,
        count(*) as region_customers,
        sum(case when rfm_segment is not null then 1 else 0 end) as customers_with_segment,
        sum(case when rfm_segment = 'champions' then 1 else 0 end) as champions,
        sum(case when rfm_segment = 'loyal' then 1 else 0 end) as loyal,
        sum(case when rfm_segment = 'at_risk' then 1 else 0 end) as at_risk,
        sum(case when rfm_segment = 'lost' then 1 else 0 end) as lost,
        sum(case when is_counted_12m then 1 else 0 end) as region_customers_counted_12m,
        sum(case when is_counted_12m then revenue_12m else 0 end) as region_revenue_12m,
        sum(case when is_counted_12m and is_repeat_buyer_12m then 1 else 0 end) as region_repeat_customers_12m
    from customer_regions
    group by region

),

{# Contacts of customers outside the spine (unknown customers) count in the 'unknown' region. #}
region_contacts as (

    select
        coalesce(customers.region, 'unknown') as region,
        sum(case when contact_outcomes.is_control then 0 else 1 end) as contacts,
        sum(case when contact_outcomes.is_control then 1 else 0 end) as control_contacts,
        sum(case when not contact_outcomes.is_control and contact_outcomes.is_responder then 1 else 0 end)
            as responders,
        sum(case when contact_outcomes.is_control and contact_outcomes.is_responder then 1 else 0 end)
            as control_responders
    from contact_outcomes
    left join customers
        on contact_outcomes.customer_id = customers.customer_id
    group by coalesce(customers.region, 'unknown')

),

region_measures as (

    select
        region_segments.region,
        region_segments.region_customers,
        region_segments.customers_with_segment,
        cast(region_segments.champions as {{ double }}) / nullif(region_segments.customers_with_segment, 0)
            as champions_share,
        cast(region_segments.loyal as {{ double }}) / nullif(region_segments.customers_with_segment, 0)
            as loyal_share,
        cast(region_segments.at_risk as {{ double }}) / nullif(region_segments.customers_with_segment, 0)
            as at_risk_share,
        cast(region_segments.lost as {{ double }}) / nullif(region_segments.customers_with_segment, 0)
            as lost_share,
        region_segments.region_customers_counted_12m,
        region_segments.region_revenue_12m / nullif(region_segments.region_customers_counted_12m, 0)
            as region_revenue_per_customer_12m,
        cast(region_segments.region_repeat_customers_12m as {{ double }})
        / nullif(region_segments.region_customers_counted_12m, 0) as region_repeat_rate_12m,
        coalesce(region_contacts.contacts, 0) as contacts,
        coalesce(region_contacts.control_contacts, 0) as control_contacts,
        cast(region_contacts.responders as {{ double }}) / nullif(region_contacts.contacts, 0) as response_rate,
        cast(region_contacts.control_responders as {{ double }}) / nullif(region_contacts.control_contacts, 0)
            as control_response_rate
    from region_segments
    left join region_contacts
        on region_segments.region = region_contacts.region

),

{# Terciles among the regions with counted customers: ntile(3) by value (ties by region name). #}
region_tiers as (

    select
        region,
        ntile(3) over (order by region_revenue_per_customer_12m asc, region asc) as value_tier,
        ntile(3) over (order by region_repeat_rate_12m asc, region asc) as repeat_tier
    from region_measures
    where region_customers_counted_12m > 0

),

region_clusters as (

    select
        region_measures.*,
        case
            when region_tiers.region is null then 'not enough history'
            else
                case region_tiers.value_tier
                    {%- for tier, label in tiers.items() %}
                    when {{ tier }} then '{{ label }} value / '
                    {%- endfor %}
                end
                || case region_tiers.repeat_tier
                    {%- for tier, label in tiers.items() %}
                    when {{ tier }} then '{{ label }} repeat'
                    {%- endfor %}
                end
        end as region_cluster
    from region_measures
    left join region_tiers
        on region_measures.region = region_tiers.region

),

final as (

    select
        region_sources.region,
        region_sources.acquisition_source,
        cast(region_sources.customers as integer) as customers,
        {{ drilldown.money('region_sources.revenue_total', true) }} as revenue_total,
        cast(region_sources.customers_counted_12m as integer) as customers_counted_12m,
        {{ drilldown.money('region_sources.revenue_12m / nullif(region_sources.customers_counted_12m, 0)') }}
            as revenue_per_customer_12m,
        cast(region_sources.repeat_customers_12m as {{ double }})
        / nullif(region_sources.customers_counted_12m, 0) as repeat_rate_12m,
        cast(region_clusters.region_customers as integer) as region_customers,
        cast(region_clusters.customers_with_segment as integer) as customers_with_segment,
        region_clusters.champions_share,
        region_clusters.loyal_share,
        region_clusters.at_risk_share,
        region_clusters.lost_share,
        cast(region_clusters.region_customers_counted_12m as integer) as region_customers_counted_12m,
        {{ drilldown.money('region_clusters.region_revenue_per_customer_12m') }} as region_revenue_per_customer_12m,
        region_clusters.region_repeat_rate_12m,
        cast(region_clusters.contacts as integer) as contacts,
        cast(region_clusters.control_contacts as integer) as control_contacts,
        region_clusters.response_rate,
        region_clusters.control_response_rate,
        region_clusters.response_rate - region_clusters.control_response_rate as response_rate_diff,
        region_clusters.region_cluster
    from region_sources
    inner join region_clusters
        on region_sources.region = region_clusters.region

)

select * from final
