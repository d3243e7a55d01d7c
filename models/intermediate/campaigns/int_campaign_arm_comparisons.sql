{#- Every treatment arm against the control group of its campaign, once per group_type:
    group_type 'campaign' (group_value 'all'), 'rfm_cell' (the cell as of the start, 'none' = no purchase before
    the start) and 'rfm_segment'. The three campaign_results marts read this one model, so the statistics are
    written once. Definitions: docs/decisions.md#campaign-results. -#}
{%- set min_contacts = drilldown.project_var('rollout_min_contacts_per_arm') -%}
{%- set discount_is_cost = drilldown.project_var('campaign_discount_is_cost') -%}
{%- set double = drilldown.type_double() -%}

with

outcomes as (

    select * from {{ ref('int_campaign_contact_outcomes') }}

),

campaigns as (

    select * from {{ ref('stg_shop__campaigns') }}

),

critical_values as (

    select {{ drilldown.normal_quantile(0.975) }} as z_975

),

grouped_outcomes as (

    {% for group_type, group_value in [
        ('campaign', "'all'"),
        ('rfm_cell', "coalesce(rfm_cell, 'none')"),
        ('rfm_segment', 'rfm_segment'),
    ] -%}
    select
        campaign_id,
        '{{ group_type }}' as group_type,
        {{ group_value }} as group_value,
        arm,
        is_control,
        is_responder,
        window_orders,
        window_revenue,
        window_margin,
        window_discount,
        window_orders_without_margin
    from outcomes
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

arm_groups as (

    select
        campaign_id,
        group_type,
        group_value,
        arm,
        is_control,
        count(*) as contacts,
        cast(sum(case when is_responder then 1 else 0 end) as bigint) as responders,
        cast(sum(window_orders) as bigint) as orders,
        {{ drilldown.money('sum(window_revenue)') }} as revenue,
        {{ drilldown.money('sum(window_margin)') }} as margin,
        {{ drilldown.money('sum(window_discount)') }} as discount,
        cast(sum(window_orders_without_margin) as bigint) as orders_without_margin,
        var_samp(cast(window_revenue as {{ double }})) as revenue_variance,
        var_samp(cast(window_margin as {{ double }})) as margin_variance
    from grouped_outcomes
    group by
        campaign_id,
        group_type,
        group_value,
        arm,
        is_control

),

group_totals as (

    select
        campaign_id,
        group_type,
        group_value,
        cast(sum(contacts) as bigint) as total_contacts,
        cast(sum(case when is_control then contacts else 0 end) as bigint) as control_contacts_in_group,
        cast(sum(case when is_control then 0 else contacts end) as bigint) as treated_contacts_in_group
    from arm_groups
    group by
        campaign_id,
        group_type,
        group_value

),

campaign_treated as (

    select
        campaign_id,
        treated_contacts_in_group as campaign_treated_contacts
    from group_totals
    where group_type = 'campaign'

),

designed_shares as (

    {#- The designed share must be one value per campaign; differing values give no check. -#}
    select
        campaign_id,
        case
            when min(designed_control_share) = max(designed_control_share)
                then cast(max(designed_control_share) as {{ double }})
        end as designed_control_share
    from outcomes
    group by campaign_id

),

paired as (

    select
        treated.campaign_id,
        treated.group_type,
        treated.group_value,
        treated.arm,
        campaigns.campaign_name,
        campaigns.start_date,
        campaigns.response_window_days,
        cast({{ dbt.dateadd('day', 'campaigns.response_window_days - 1', 'campaigns.start_date') }} as date)
            as window_last_date,
        cast({{ dbt.dateadd('day', 'campaigns.response_window_days', 'campaigns.start_date') }} as date)
        <= {{ drilldown.as_of_date() }} as is_window_complete,
        coalesce(control.contacts, 0) > 0 as has_control_group,
        treated.contacts,
        treated.responders,
        treated.orders,
        treated.revenue,
        treated.margin,
        treated.discount,
        treated.revenue_variance,
        treated.margin_variance,
        cast(treated.responders as {{ double }}) / treated.contacts as response_rate,
        cast(treated.revenue as {{ double }}) / treated.contacts as revenue_per_contact,
        cast(treated.margin as {{ double }}) / treated.contacts as margin_per_contact,
        coalesce(control.contacts, 0) as control_contacts,
        control.responders as control_responders,
        control.orders as control_orders,
        control.revenue as control_revenue,
        control.margin as control_margin,
        control.revenue_variance as control_revenue_variance,
        control.margin_variance as control_margin_variance,
        cast(control.responders as {{ double }}) / nullif(control.contacts, 0) as control_response_rate,
        cast(control.revenue as {{ double }}) / nullif(control.contacts, 0) as control_revenue_per_contact,
        cast(control.margin as {{ double }}) / nullif(control.contacts, 0) as control_margin_per_contact,
        treated.orders_without_margin + coalesce(control.orders_without_margin, 0) as orders_without_margin,
        group_totals.total_contacts,
        designed_shares.designed_control_share,
        campaign_treated.campaign_treated_contacts,
        campaigns.fixed_cost,
        campaigns.cost_per_contact
    from arm_groups as treated
    inner join campaigns
        on treated.campaign_id = campaigns.campaign_id
    inner join group_totals
        on
            treated.campaign_id = group_totals.campaign_id
            and treated.group_type = group_totals.group_type
            and treated.group_value = group_totals.group_value
    inner join campaign_treated
        on treated.campaign_id = campaign_treated.campaign_id
    inner join designed_shares
        on treated.campaign_id = designed_shares.campaign_id
    left join arm_groups as control
        on
            treated.campaign_id = control.campaign_id
            and treated.group_type = control.group_type
            and treated.group_value = control.group_value
            and control.is_control
    where not treated.is_control

),

differences as (

    select
        *,
        response_rate - control_response_rate as response_rate_diff,
        {{ drilldown.two_proportion_z('responders', 'contacts', 'control_responders', 'control_contacts') }}
            as response_z,
        {{ drilldown.two_proportion_diff_se('responders', 'contacts', 'control_responders', 'control_contacts') }}
            as response_diff_se,
        revenue_per_contact - control_revenue_per_contact as revenue_per_contact_diff,
        {{ drilldown.welch_se('revenue_variance', 'contacts', 'control_revenue_variance', 'control_contacts') }}
            as revenue_welch_se,
        {{ drilldown.welch_df('revenue_variance', 'contacts', 'control_revenue_variance', 'control_contacts') }}
            as revenue_welch_df,
        margin_per_contact - control_margin_per_contact as margin_per_contact_diff,
        {{ drilldown.welch_se('margin_variance', 'contacts', 'control_margin_variance', 'control_contacts') }}
            as margin_welch_se,
        {{ drilldown.welch_df('margin_variance', 'contacts', 'control_margin_variance', 'control_contacts') }}
            as margin_welch_df,
        cast(control_contacts as {{ double }}) / total_contacts as observed_control_share,
        {{ drilldown.sample_ratio_chi_square('control_contacts', 'total_contacts', 'designed_control_share') }}
            as sample_ratio_chi_square
    from paired

),

test_statistics as (

    select
        differences.*,
        critical_values.z_975,
        differences.revenue_per_contact_diff / nullif(differences.revenue_welch_se, 0) as revenue_t,
        differences.margin_per_contact_diff / nullif(differences.margin_welch_se, 0) as margin_t,
        {#- z: the normal quantile computed once in critical_values, not written out again per call. #}
        {{ drilldown.student_t_quantile(0.975, 'differences.revenue_welch_df', z='critical_values.z_975') }}
            as revenue_t_critical,
        {{ drilldown.student_t_quantile(0.975, 'differences.margin_welch_df', z='critical_values.z_975') }}
            as margin_t_critical
    from differences
    cross join critical_values

),

p_values as (

    select
        test_statistics.*,
        test_statistics.response_rate_diff - test_statistics.z_975 * test_statistics.response_diff_se
            as response_rate_diff_ci95_lower,
        test_statistics.response_rate_diff + test_statistics.z_975 * test_statistics.response_diff_se
            as response_rate_diff_ci95_upper,
        {{ drilldown.normal_two_sided_p_value('test_statistics.response_z') }} as response_p_value,
        {{ drilldown.student_t_two_sided_p_value('test_statistics.revenue_t', 'test_statistics.revenue_welch_df') }}
            as revenue_p_value,
        {{ drilldown.student_t_two_sided_p_value('test_statistics.margin_t', 'test_statistics.margin_welch_df') }}
            as margin_p_value,
        {{ drilldown.chi_square_1df_p_value('test_statistics.sample_ratio_chi_square') }} as sample_ratio_p_value
    from test_statistics

),

costs as (

    select
        *,
        {#- The fixed cost is split across the arms (and groups) by treated contacts. -#}
        cast(fixed_cost as {{ double }}) * contacts / campaign_treated_contacts as fixed_cost_allocated,
        cost_per_contact * contacts as contact_cost,
        {% if discount_is_cost %}discount{% else %}cast(0 as decimal(18, 2)){% endif %} as discount_cost,
        revenue_per_contact_diff - revenue_t_critical * revenue_welch_se as revenue_per_contact_diff_ci95_lower,
        revenue_per_contact_diff + revenue_t_critical * revenue_welch_se as revenue_per_contact_diff_ci95_upper,
        margin_per_contact_diff - margin_t_critical * margin_welch_se as margin_per_contact_diff_ci95_lower,
        margin_per_contact_diff + margin_t_critical * margin_welch_se as margin_per_contact_diff_ci95_upper
    from p_values

),

incremental as (

    select
        *,
        fixed_cost_allocated + cast(contact_cost as {{ double }}) + cast(discount_cost as {{ double }})
            as total_cost_exact,
        response_rate_diff * contacts as incremental_responders,
        revenue_per_contact_diff * contacts as incremental_revenue_exact,
        margin_per_contact_diff * contacts as incremental_margin_exact
    from costs

),

final as (

    select
        campaign_id,
        group_type,
        group_value,
        arm,
        campaign_name,
        start_date,
        response_window_days,
        window_last_date,
        is_window_complete,
        has_control_group,
        contacts,
        responders,
        orders,
        revenue,
        margin,
        response_rate,
        revenue_per_contact,
        margin_per_contact,
        control_contacts,
        control_responders,
        control_orders,
        control_revenue,
        control_margin,
        control_response_rate,
        control_revenue_per_contact,
        control_margin_per_contact,
        response_rate_diff,
        response_rate_diff_ci95_lower,
        response_rate_diff_ci95_upper,
        response_rate_diff / nullif(control_response_rate, 0) as response_relative_lift,
        response_z,
        response_p_value,
        response_p_value < 0.05 as is_response_lift_significant,
        revenue_per_contact_diff,
        revenue_per_contact_diff_ci95_lower,
        revenue_per_contact_diff_ci95_upper,
        revenue_t,
        revenue_welch_df,
        revenue_t_critical,
        revenue_p_value,
        margin_per_contact_diff,
        margin_per_contact_diff_ci95_lower,
        margin_per_contact_diff_ci95_upper,
        margin_p_value,
        incremental_responders,
        {{ drilldown.money('incremental_revenue_exact') }} as incremental_revenue,
        {{ drilldown.money('incremental_margin_exact') }} as incremental_margin,
        {{ drilldown.money('fixed_cost_allocated') }} as fixed_cost_allocated,
        {{ drilldown.money('contact_cost') }} as contact_cost,
        {{ drilldown.money('discount_cost') }} as discount_cost,
        {{ drilldown.money('total_cost_exact') }} as total_cost,
        {{ drilldown.money('incremental_margin_exact - total_cost_exact') }} as incremental_profit,
        (incremental_margin_exact - total_cost_exact) / nullif(total_cost_exact, 0) as roi,
        incremental_margin_exact - total_cost_exact > 0 as is_profitable,
        margin_per_contact_diff - total_cost_exact / contacts as incremental_profit_per_contact,
        margin_per_contact_diff_ci95_lower - total_cost_exact / contacts
            as incremental_profit_per_contact_ci95_lower,
        case
            when contacts < {{ min_contacts }} or control_contacts < {{ min_contacts }} then 'too_small'
            when not is_window_complete then 'hold'
            when margin_per_contact_diff_ci95_lower - total_cost_exact / contacts > 0 then 'roll_out'
            else 'hold'
        end as rollout_decision,
        total_contacts,
        designed_control_share,
        observed_control_share,
        sample_ratio_chi_square,
        sample_ratio_p_value,
        sample_ratio_p_value < 0.001 as is_sample_ratio_mismatch,
        orders_without_margin
    from incremental

)

select * from final
