{#- What a past campaign measured, for planning the next one: per campaign x RFM segment as of its start
    ('all' = the whole campaign), every treated arm pooled against the control group: response rates and
    revenue per contact with the standard errors of their differences (unpooled two-proportion SE, Welch SE),
    as in int_campaign_arm_comparisons. See docs/decisions.md#campaign-forecast. -#}
{%- set double = drilldown.type_double() -%}

with

outcomes as (

    select * from {{ ref('int_campaign_contact_outcomes') }}

),

campaigns as (

    select * from {{ ref('stg_shop__campaigns') }}

),

grouped_outcomes as (

    select
        campaign_id,
        'all' as rfm_segment,
        is_control,
        is_responder,
        window_revenue
    from outcomes
    union all
    select
        campaign_id,
        rfm_segment,
        is_control,
        is_responder,
        window_revenue
    from outcomes

),

groups as (

    select
        campaign_id,
        rfm_segment,
        is_control,
        count(*) as contacts,
        cast(sum(case when is_responder then 1 else 0 end) as bigint) as responders,
        {{ drilldown.money('sum(window_revenue)', true) }} as revenue,
        var_samp(cast(window_revenue as {{ double }})) as revenue_variance
    from grouped_outcomes
    group by
        campaign_id,
        rfm_segment,
        is_control

),

paired as (

    select
        treated.campaign_id,
        treated.rfm_segment,
        campaigns.response_window_days as reference_window_days,
        treated.contacts,
        treated.responders,
        treated.revenue,
        treated.revenue_variance,
        coalesce(control.contacts, 0) as control_contacts,
        control.responders as control_responders,
        control.revenue as control_revenue,
        control.revenue_variance as control_revenue_variance
    from groups as treated
    inner join campaigns
        on treated.campaign_id = campaigns.campaign_id
    left join groups as control
        on
            treated.campaign_id = control.campaign_id
            and treated.rfm_segment = control.rfm_segment
            and control.is_control
    where not treated.is_control

),

final as (

    select
        campaign_id,
        rfm_segment,
        reference_window_days,
        contacts,
        control_contacts,
        cast(responders as {{ double }}) / contacts as response_rate,
        cast(control_responders as {{ double }}) / nullif(control_contacts, 0) as control_response_rate,
        cast(responders as {{ double }}) / contacts
        - cast(control_responders as {{ double }}) / nullif(control_contacts, 0) as response_rate_diff,
        {{ drilldown.two_proportion_diff_se('responders', 'contacts', 'control_responders', 'control_contacts') }}
            as response_rate_diff_se,
        cast(control_revenue as {{ double }}) / nullif(control_contacts, 0) as control_revenue_per_contact,
        cast(revenue as {{ double }}) / contacts
        - cast(control_revenue as {{ double }}) / nullif(control_contacts, 0) as revenue_per_contact_diff,
        {{ drilldown.welch_se('revenue_variance', 'contacts', 'control_revenue_variance', 'control_contacts') }}
            as revenue_per_contact_diff_se
    from paired

)

select * from final
