{#- Per campaign plan x targeted RFM segment: the contacts selected and where the forecast's rates come from,
    with the rates themselves: the base response rate and revenue per contact without the campaign, the lift
    (response-rate and revenue-per-contact differences) and, for measured lifts, their standard errors.
    Measured (based_on_campaign_id): the segment's own treated-vs-control figures in the reference campaign when
    both arms had at least rollout_min_contacts_per_arm contacts, else the whole reference campaign's. Assumed:
    the segment's history rates (int_campaign_plan_history_rates) times the lift. docs/decisions.md#campaign-forecast -#}
{%- set min_contacts = drilldown.project_var('rollout_min_contacts_per_arm') -%}
{%- set double = drilldown.type_double() -%}

with

plans as (

    select * from {{ ref('stg_shop__campaign_plans') }}

),

plan_segments as (

    select * from {{ ref('int_campaign_plan_segments') }}

),

plan_contacts as (

    select * from {{ ref('int_campaign_plan_contacts') }}

),

reference_lifts as (

    select * from {{ ref('int_campaign_reference_lifts') }}

),

history_rates as (

    select * from {{ ref('int_campaign_plan_history_rates') }}

),

orders as (

    select * from {{ ref('stg_shop__orders') }}
    where is_completed

),

orders_margin_share as (

    {#- The default margin rate: the completed orders' gross margin over their revenue, where both are known. -#}
    select
        cast(sum(gross_margin) as {{ double }}) / nullif(cast(sum(amount) as {{ double }}), 0) as margin_share
    from orders
    where gross_margin is not null

),

segment_contacts as (

    select
        plan_id,
        rfm_segment,
        count(*) as contacts
    from plan_contacts
    group by
        plan_id,
        rfm_segment

),

plan_rows as (

    select
        plans.plan_id,
        plans.plan_name,
        plans.start_date,
        plans.response_window_days,
        plans.based_on_campaign_id,
        plans.assumed_relative_lift,
        plans.fixed_cost,
        plans.cost_per_contact,
        cast(plans.offer_discount_pct as {{ double }}) / 100 as offer_discount_share,
        coalesce(cast(plans.margin_rate as {{ double }}), orders_margin_share.margin_share, 1) as margin_rate,
        case
            when plans.margin_rate is not null then 'plan'
            when orders_margin_share.margin_share is not null then 'orders'
            else 'revenue'
        end as margin_rate_basis,
        plan_segments.rfm_segment,
        plan_segments.segment_order,
        cast(coalesce(segment_contacts.contacts, 0) as bigint) as contacts
    from plans
    inner join plan_segments
        on plans.plan_id = plan_segments.plan_id
    left join segment_contacts
        on
            plan_segments.plan_id = segment_contacts.plan_id
            and plan_segments.rfm_segment = segment_contacts.rfm_segment
    cross join orders_margin_share

),

with_sources as (

    {#- The segment's own reference figures when both its arms had enough contacts, else the reference
        campaign's overall figures; for an assumed lift, the segment's history when it had enough customers,
        else every scored customer's. -#}
    select
        plan_rows.*,
        reference_segment.contacts >= {{ min_contacts }}
        and reference_segment.control_contacts >= {{ min_contacts }} as is_reference_segment_used,
        history_segment.customers >= {{ min_contacts }} as is_history_segment_used,
        reference_overall.control_contacts as overall_control_contacts,
        reference_overall.response_rate_diff_se as overall_response_rate_diff_se,
        reference_overall.revenue_per_contact_diff_se as overall_revenue_per_contact_diff_se,
        reference_segment.contacts as segment_reference_contacts,
        reference_segment.control_contacts as segment_reference_control_contacts,
        reference_segment.control_response_rate as segment_control_response_rate,
        reference_segment.control_revenue_per_contact as segment_control_revenue_per_contact,
        reference_segment.response_rate_diff as segment_response_rate_diff,
        reference_segment.response_rate_diff_se as segment_response_rate_diff_se,
        reference_segment.revenue_per_contact_diff as segment_revenue_per_contact_diff,
        reference_segment.revenue_per_contact_diff_se as segment_revenue_per_contact_diff_se,
        reference_overall.contacts as overall_reference_contacts,
        reference_overall.control_response_rate as overall_control_response_rate,
        reference_overall.control_revenue_per_contact as overall_control_revenue_per_contact,
        reference_overall.response_rate_diff as overall_response_rate_diff,
        reference_overall.revenue_per_contact_diff as overall_revenue_per_contact_diff,
        history_segment.response_rate as segment_history_response_rate,
        history_segment.revenue_per_customer as segment_history_revenue_per_customer,
        history_overall.response_rate as overall_history_response_rate,
        history_overall.revenue_per_customer as overall_history_revenue_per_customer
    from plan_rows
    left join reference_lifts as reference_segment
        on
            plan_rows.based_on_campaign_id = reference_segment.campaign_id
            and plan_rows.rfm_segment = reference_segment.rfm_segment
    left join reference_lifts as reference_overall
        on
            plan_rows.based_on_campaign_id = reference_overall.campaign_id
            and reference_overall.rfm_segment = 'all'
    left join history_rates as history_segment
        on
            plan_rows.assumed_relative_lift is not null
            and plan_rows.response_window_days = history_segment.window_days
            and plan_rows.rfm_segment = history_segment.rfm_segment
    left join history_rates as history_overall
        on
            plan_rows.assumed_relative_lift is not null
            and plan_rows.response_window_days = history_overall.window_days
            and history_overall.rfm_segment = 'all'

),

segment_bases as (

    select
        plan_id,
        plan_name,
        start_date,
        response_window_days,
        based_on_campaign_id,
        fixed_cost,
        cost_per_contact,
        offer_discount_share,
        margin_rate,
        margin_rate_basis,
        rfm_segment,
        segment_order,
        contacts,
        overall_response_rate_diff_se,
        overall_revenue_per_contact_diff_se,
        case
            when assumed_relative_lift is not null then 'assumed'
            when coalesce(overall_control_contacts, 0) = 0 then 'no_reference_control'
            when is_reference_segment_used then 'reference_segment'
            else 'reference_campaign'
        end as lift_basis,
        case
            when assumed_relative_lift is not null and is_history_segment_used then 'segment_history'
            when assumed_relative_lift is not null then 'all_customers_history'
            when coalesce(overall_control_contacts, 0) = 0 then 'no_reference_control'
            when is_reference_segment_used then 'reference_segment_control'
            else 'reference_campaign_control'
        end as base_rate_basis,
        case when is_reference_segment_used then segment_reference_contacts else overall_reference_contacts end
            as reference_contacts,
        case
            when is_reference_segment_used then segment_reference_control_contacts else overall_control_contacts
        end as reference_control_contacts,
        case
            when assumed_relative_lift is not null and is_history_segment_used then segment_history_response_rate
            when assumed_relative_lift is not null then overall_history_response_rate
            when is_reference_segment_used then segment_control_response_rate
            else overall_control_response_rate
        end as base_response_rate,
        case
            when assumed_relative_lift is not null and is_history_segment_used
                then segment_history_revenue_per_customer
            when assumed_relative_lift is not null then overall_history_revenue_per_customer
            when is_reference_segment_used then segment_control_revenue_per_contact
            else overall_control_revenue_per_contact
        end as base_revenue_per_contact,
        assumed_relative_lift,
        case when is_reference_segment_used then segment_response_rate_diff else overall_response_rate_diff end
            as measured_response_rate_diff,
        case
            when is_reference_segment_used then segment_revenue_per_contact_diff else overall_revenue_per_contact_diff
        end as measured_revenue_per_contact_diff,
        case when is_reference_segment_used then segment_response_rate_diff_se end as segment_response_rate_diff_se,
        case
            when is_reference_segment_used then segment_revenue_per_contact_diff_se
        end as segment_revenue_per_contact_diff_se
    from with_sources

),

segment_lifts as (

    select
        *,
        coalesce(assumed_relative_lift * base_response_rate, measured_response_rate_diff) as response_rate_diff,
        coalesce(assumed_relative_lift * base_revenue_per_contact, measured_revenue_per_contact_diff)
            as revenue_per_contact_diff
    from segment_bases

),

final as (

    select * from segment_lifts

)

select * from final
