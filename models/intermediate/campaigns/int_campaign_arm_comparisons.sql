{#- Every treatment arm against the control group of its campaign, once per group_type:
    group_type 'campaign' (group_value 'all'), 'rfm_cell' (the cell as of the start, 'none' = no purchase before
    the start), 'rfm_segment' and 'profit_tier' (as of the start). The four campaign_results marts read this one model, so the statistics are
    written once. Definitions: docs/decisions.md#campaign-results, #campaign-revenue-capping (revenue_cap,
    margin_cap), #campaign-cuped (*_cuped*, variance_reduction, pre_period_*) and #campaign-roll-out-decision
    (rollout_*: the profit test the decision uses; the decision itself is int_campaign_rollout_decisions'). -#}
{%- set min_contacts = drilldown.project_var('rollout_min_contacts_per_arm') -%}
{%- set discount_is_cost = drilldown.project_var('campaign_discount_is_cost') -%}
{%- set use_cuped = drilldown.project_var('use_cuped') -%}
{%- set cap_percentile = drilldown.project_var('revenue_cap_percentile') -%}
{%- set imbalance_alpha = drilldown.project_var('pre_period_imbalance_alpha') -%}
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

campaign_caps as (

    {#- Winsorising caps: the revenue_cap_percentile of all the campaign's contacts (every arm and the control),
        percentile_cont = linear interpolation between order statistics; null when capping is off. -#}
    select
        campaign_id,
        {% if cap_percentile is none -%}
        cast(null as {{ double }}) as revenue_cap,
        cast(null as {{ double }}) as margin_cap
        {%- else -%}
        percentile_cont({{ cap_percentile }}) within group (order by cast(window_revenue as {{ double }}))
            as revenue_cap,
        percentile_cont({{ cap_percentile }}) within group (order by cast(window_margin as {{ double }}))
            as margin_cap
        {%- endif %}
    from outcomes
    group by campaign_id

),

tested_outcomes as (

    {#- The values the Welch and CUPED tests read: revenue and margin capped from above (least() skips a null
        cap), the covariate as a double. -#}
    select
        outcomes.campaign_id,
        outcomes.arm,
        outcomes.is_control,
        outcomes.is_responder,
        outcomes.window_orders,
        outcomes.window_revenue,
        outcomes.window_margin,
        outcomes.window_discount,
        outcomes.window_orders_without_margin,
        outcomes.rfm_cell,
        outcomes.rfm_segment,
        outcomes.profit_tier,
        least(cast(outcomes.window_revenue as {{ double }}), campaign_caps.revenue_cap) as tested_revenue,
        least(cast(outcomes.window_margin as {{ double }}), campaign_caps.margin_cap) as tested_margin,
        cast(outcomes.pre_period_revenue as {{ double }}) as covariate
    from outcomes
    inner join campaign_caps
        on outcomes.campaign_id = campaign_caps.campaign_id

),

grouped_outcomes as (

    {% for group_type, group_value in [
        ('campaign', "'all'"),
        ('rfm_cell', "coalesce(rfm_cell, 'none')"),
        ('rfm_segment', 'rfm_segment'),
        ('profit_tier', 'profit_tier'),
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
        window_orders_without_margin,
        tested_revenue,
        tested_margin,
        covariate
    from tested_outcomes
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
        {#- Uncapped, the tested sums are the exact money sums (the same doubles as before capping existed). #}
        {% if cap_percentile is none -%}
        cast({{ drilldown.money('sum(window_revenue)') }} as {{ double }}) as tested_revenue_total,
        cast({{ drilldown.money('sum(window_margin)') }} as {{ double }}) as tested_margin_total,
        {%- else -%}
        sum(tested_revenue) as tested_revenue_total,
        sum(tested_margin) as tested_margin_total,
        {%- endif %}
        cast(sum(
            case
                when
                    tested_revenue < cast(window_revenue as {{ double }})
                    or tested_margin < cast(window_margin as {{ double }})
                    then 1
                else 0
            end
        ) as bigint) as capped_contacts,
        var_samp(tested_revenue) as revenue_variance,
        var_samp(tested_margin) as margin_variance,
        avg(covariate) as covariate_mean,
        var_samp(covariate) as covariate_variance,
        covar_samp(tested_revenue, covariate) as revenue_covariance,
        covar_samp(tested_margin, covariate) as margin_covariance
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
        treated.covariate_mean,
        treated.covariate_variance,
        treated.revenue_covariance,
        treated.margin_covariance,
        cast(treated.responders as {{ double }}) / treated.contacts as response_rate,
        treated.tested_revenue_total / treated.contacts as revenue_per_contact,
        treated.tested_margin_total / treated.contacts as margin_per_contact,
        coalesce(control.contacts, 0) as control_contacts,
        control.responders as control_responders,
        control.orders as control_orders,
        control.revenue as control_revenue,
        control.margin as control_margin,
        control.revenue_variance as control_revenue_variance,
        control.margin_variance as control_margin_variance,
        control.covariate_mean as control_covariate_mean,
        control.covariate_variance as control_covariate_variance,
        control.revenue_covariance as control_revenue_covariance,
        control.margin_covariance as control_margin_covariance,
        cast(control.responders as {{ double }}) / nullif(control.contacts, 0) as control_response_rate,
        control.tested_revenue_total / nullif(control.contacts, 0) as control_revenue_per_contact,
        control.tested_margin_total / nullif(control.contacts, 0) as control_margin_per_contact,
        treated.orders_without_margin + coalesce(control.orders_without_margin, 0) as orders_without_margin,
        treated.capped_contacts + coalesce(control.capped_contacts, 0) as capped_contacts,
        campaign_caps.revenue_cap,
        campaign_caps.margin_cap,
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
    inner join campaign_caps
        on treated.campaign_id = campaign_caps.campaign_id
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
        covariate_mean - control_covariate_mean as pre_period_revenue_diff,
        {{ drilldown.welch_se('covariate_variance', 'contacts', 'control_covariate_variance', 'control_contacts') }}
            as pre_period_welch_se,
        {{ drilldown.welch_df('covariate_variance', 'contacts', 'control_covariate_variance', 'control_contacts') }}
            as pre_period_welch_df,
        cast(control_contacts as {{ double }}) / total_contacts as observed_control_share,
        {{ drilldown.sample_ratio_chi_square('control_contacts', 'total_contacts', 'designed_control_share') }}
            as sample_ratio_chi_square
    from paired

),

pooled_covariate as (

    {#- Centred sums of squares and cross-products of the covariate over treated + control together, from each
        arm's (n - 1) x sample (co)variance plus the between-arm term n_t n_c / (n_t + n_c) x the mean
        differences (a group of one contributes 0 within). -#}
    select
        *,
        (contacts - 1) * coalesce(covariate_variance, 0)
        + (control_contacts - 1) * coalesce(control_covariate_variance, 0)
        + cast(contacts as {{ double }}) * control_contacts / (contacts + control_contacts)
        * pre_period_revenue_diff * pre_period_revenue_diff as covariate_sum_squares,
        (contacts - 1) * coalesce(revenue_covariance, 0)
        + (control_contacts - 1) * coalesce(control_revenue_covariance, 0)
        + cast(contacts as {{ double }}) * control_contacts / (contacts + control_contacts)
        * pre_period_revenue_diff * revenue_per_contact_diff as revenue_cross_products,
        (contacts - 1) * coalesce(margin_covariance, 0)
        + (control_contacts - 1) * coalesce(control_margin_covariance, 0)
        + cast(contacts as {{ double }}) * control_contacts / (contacts + control_contacts)
        * pre_period_revenue_diff * margin_per_contact_diff as margin_cross_products
    from differences

),

cuped_theta as (

    {#- theta = cov(Y, X) / var(X) pooled over both arms; 0 (no adjustment) when the covariate does not vary. -#}
    select
        *,
        coalesce(revenue_cross_products / nullif(covariate_sum_squares, 0), 0) as revenue_cuped_theta,
        coalesce(margin_cross_products / nullif(covariate_sum_squares, 0), 0) as margin_cuped_theta
    from pooled_covariate

),

cuped_adjusted as (

    {#- Per arm, the sample variance of Y - theta X = var(Y) - 2 theta cov(Y, X) + theta^2 var(X) (never below 0:
        float noise); the difference of the adjusted means. -#}
    select
        *,
        revenue_per_contact_diff - revenue_cuped_theta * pre_period_revenue_diff as revenue_per_contact_diff_cuped,
        margin_per_contact_diff - margin_cuped_theta * pre_period_revenue_diff as margin_per_contact_diff_cuped,
        case
            when revenue_variance is not null
                then greatest(
                    revenue_variance
                    - 2 * revenue_cuped_theta * revenue_covariance
                    + revenue_cuped_theta * revenue_cuped_theta * covariate_variance,
                    0
                )
        end as revenue_cuped_variance,
        case
            when control_revenue_variance is not null
                then greatest(
                    control_revenue_variance
                    - 2 * revenue_cuped_theta * control_revenue_covariance
                    + revenue_cuped_theta * revenue_cuped_theta * control_covariate_variance,
                    0
                )
        end as control_revenue_cuped_variance,
        case
            when margin_variance is not null
                then greatest(
                    margin_variance
                    - 2 * margin_cuped_theta * margin_covariance
                    + margin_cuped_theta * margin_cuped_theta * covariate_variance,
                    0
                )
        end as margin_cuped_variance,
        case
            when control_margin_variance is not null
                then greatest(
                    control_margin_variance
                    - 2 * margin_cuped_theta * control_margin_covariance
                    + margin_cuped_theta * margin_cuped_theta * control_covariate_variance,
                    0
                )
        end as control_margin_cuped_variance
    from cuped_theta

),

cuped_errors as (

    select
        *,
        {{ drilldown.welch_se('revenue_cuped_variance', 'contacts', 'control_revenue_cuped_variance', 'control_contacts') }}
            as revenue_cuped_se,
        {{ drilldown.welch_df('revenue_cuped_variance', 'contacts', 'control_revenue_cuped_variance', 'control_contacts') }}
            as revenue_cuped_df,
        {{ drilldown.welch_se('margin_cuped_variance', 'contacts', 'control_margin_cuped_variance', 'control_contacts') }}
            as margin_cuped_se,
        {{ drilldown.welch_df('margin_cuped_variance', 'contacts', 'control_margin_cuped_variance', 'control_contacts') }}
            as margin_cuped_df
    from cuped_adjusted

),

test_statistics as (

    select
        cuped_errors.*,
        critical_values.z_975,
        cuped_errors.revenue_per_contact_diff / nullif(cuped_errors.revenue_welch_se, 0) as revenue_t,
        cuped_errors.margin_per_contact_diff / nullif(cuped_errors.margin_welch_se, 0) as margin_t,
        cuped_errors.revenue_per_contact_diff_cuped / nullif(cuped_errors.revenue_cuped_se, 0) as revenue_cuped_t,
        cuped_errors.margin_per_contact_diff_cuped / nullif(cuped_errors.margin_cuped_se, 0) as margin_cuped_t,
        cuped_errors.pre_period_revenue_diff / nullif(cuped_errors.pre_period_welch_se, 0) as pre_period_t,
        {#- z: the normal quantile computed once in critical_values, not written out again per call. #}
        {{ drilldown.student_t_quantile(0.975, 'cuped_errors.revenue_welch_df', z='critical_values.z_975') }}
            as revenue_t_critical,
        {{ drilldown.student_t_quantile(0.975, 'cuped_errors.margin_welch_df', z='critical_values.z_975') }}
            as margin_t_critical,
        {{ drilldown.student_t_quantile(0.975, 'cuped_errors.revenue_cuped_df', z='critical_values.z_975') }}
            as revenue_cuped_t_critical,
        {{ drilldown.student_t_quantile(0.975, 'cuped_errors.margin_cuped_df', z='critical_values.z_975') }}
            as margin_cuped_t_critical
    from cuped_errors
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
        {{ drilldown.student_t_two_sided_p_value('test_statistics.revenue_cuped_t', 'test_statistics.revenue_cuped_df') }}
            as revenue_cuped_p_value,
        {{ drilldown.student_t_two_sided_p_value('test_statistics.margin_cuped_t', 'test_statistics.margin_cuped_df') }}
            as margin_cuped_p_value,
        {{ drilldown.student_t_two_sided_p_value('test_statistics.pre_period_t', 'test_statistics.pre_period_welch_df') }}
            as pre_period_p_value,
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
        margin_per_contact_diff + margin_t_critical * margin_welch_se as margin_per_contact_diff_ci95_upper,
        revenue_per_contact_diff_cuped - revenue_cuped_t_critical * revenue_cuped_se
            as revenue_per_contact_diff_cuped_ci95_lower,
        revenue_per_contact_diff_cuped + revenue_cuped_t_critical * revenue_cuped_se
            as revenue_per_contact_diff_cuped_ci95_upper,
        {#- 1 - adjusted / unadjusted variance of the difference, from the variances (not the rounded SEs). #}
        1 - (
            revenue_cuped_variance / contacts + control_revenue_cuped_variance / nullif(control_contacts, 0)
        ) / nullif(revenue_variance / contacts + control_revenue_variance / nullif(control_contacts, 0), 0)
            as revenue_variance_reduction,
        margin_per_contact_diff_cuped - margin_cuped_t_critical * margin_cuped_se
            as margin_per_contact_diff_cuped_ci95_lower,
        margin_per_contact_diff_cuped + margin_cuped_t_critical * margin_cuped_se
            as margin_per_contact_diff_cuped_ci95_upper,
        {#- 1 - adjusted / unadjusted variance of the difference, from the variances (not the rounded SEs). #}
        1 - (
            margin_cuped_variance / contacts + control_margin_cuped_variance / nullif(control_contacts, 0)
        ) / nullif(margin_variance / contacts + control_margin_variance / nullif(control_contacts, 0), 0)
            as margin_variance_reduction
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

rollout_test as (

    {#- The profit test the roll-out decision uses: H0 incremental profit per treated contact = 0, i.e. the
        margin lift (CUPED-adjusted when var use_cuped) minus the cost per treated contact, its Welch SE and df. -#}
    {%- set tested = 'margin_per_contact_diff_cuped' if use_cuped else 'margin_per_contact_diff' %}
    {%- set tested_se = 'margin_cuped_se' if use_cuped else 'margin_welch_se' %}
    {%- set tested_df = 'margin_cuped_df' if use_cuped else 'margin_welch_df' %}
    {%- set tested_lower = 'margin_per_contact_diff_cuped_ci95_lower' if use_cuped else 'margin_per_contact_diff_ci95_lower' %}
    select
        *,
        {{ 'true' if use_cuped else 'false' }} as rollout_uses_cuped,
        {{ tested }} - total_cost_exact / contacts as rollout_profit_per_contact,
        {{ tested_se }} as rollout_se,
        {{ tested_df }} as rollout_df,
        {{ tested_lower }} - total_cost_exact / contacts as rollout_ci95_lower,
        ({{ tested }} - total_cost_exact / contacts) / nullif({{ tested_se }}, 0) as rollout_t,
        contacts >= {{ min_contacts }} and control_contacts >= {{ min_contacts }} as has_min_contacts
    from incremental

),

rollout_p_values as (

    select
        *,
        {{ drilldown.student_t_two_sided_p_value('rollout_t', 'rollout_df') }} as rollout_p_value
    from rollout_test

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
        revenue_welch_se as revenue_per_contact_diff_se,
        revenue_cuped_theta,
        revenue_per_contact_diff_cuped,
        revenue_cuped_se as revenue_per_contact_diff_cuped_se,
        revenue_per_contact_diff_cuped_ci95_lower,
        revenue_per_contact_diff_cuped_ci95_upper,
        revenue_cuped_p_value,
        revenue_variance_reduction,
        margin_welch_se as margin_per_contact_diff_se,
        margin_cuped_theta,
        margin_per_contact_diff_cuped,
        margin_cuped_se as margin_per_contact_diff_cuped_se,
        margin_per_contact_diff_cuped_ci95_lower,
        margin_per_contact_diff_cuped_ci95_upper,
        margin_cuped_p_value,
        margin_variance_reduction,
        covariate_mean as pre_period_revenue_per_contact,
        control_covariate_mean as control_pre_period_revenue_per_contact,
        pre_period_revenue_diff,
        pre_period_p_value,
        pre_period_p_value < {{ imbalance_alpha }} as has_pre_period_imbalance,
        revenue_cap,
        margin_cap,
        capped_contacts,
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
        margin_per_contact_diff_cuped - total_cost_exact / contacts as incremental_profit_per_contact_cuped,
        margin_per_contact_diff_cuped_ci95_lower - total_cost_exact / contacts
            as incremental_profit_per_contact_cuped_ci95_lower,
        rollout_uses_cuped,
        has_min_contacts,
        rollout_profit_per_contact,
        rollout_se,
        rollout_df,
        rollout_ci95_lower,
        rollout_p_value,
        total_contacts,
        designed_control_share,
        observed_control_share,
        sample_ratio_chi_square,
        sample_ratio_p_value,
        sample_ratio_p_value < 0.001 as is_sample_ratio_mismatch,
        orders_without_margin
    from rollout_p_values

)

select * from final
