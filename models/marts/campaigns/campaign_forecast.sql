{#- Up-front forecast of each campaign plan, per RFM segment it targets and in total (rfm_segment 'all'):
    contacts, responders expected without the campaign, incremental responders, revenue, margin, cost, profit,
    ROI, the break-even lift, 95% intervals when the lift was measured, a recommendation and the holdout needed
    to confirm it. Definitions and the rules for base rates and lifts: docs/decisions.md#campaign-forecast. -#}
{%- set discount_is_cost = drilldown.project_var('campaign_discount_is_cost') -%}
{%- set alpha = drilldown.project_var('test_plan_alpha') -%}
{%- set power = drilldown.project_var('test_plan_power') -%}
{%- set double = drilldown.type_double() -%}
{#- The holdout search: each level tries 31 evenly spaced sizes inside the interval left by the level before,
    so 8 levels shrink (0, contacts / 2] 32^8 = 2^40 times (as 40 bisection steps would, in a third of the SQL). -#}
{%- set holdout_grid_points = 32 -%}
{%- set holdout_levels = 8 -%}

with

segment_rates as (

    select * from {{ ref('int_campaign_plan_segment_rates') }}

),

critical_values as (

    select
        {{ drilldown.normal_quantile(0.975) }} as z_975,
        {{ drilldown.normal_quantile(1 - alpha / 2.0) }} as z_alpha,
        {{ drilldown.normal_quantile(power) }} as z_power

),

segment_figures as (

    {#- Expected counts and money per segment; the variances of the incremental figures split into the part
        from the segment's own reference (independent across segments) and the contacts that lean on the
        reference campaign's overall figures (one estimate shared by all of them). -#}
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
        lift_basis,
        base_rate_basis,
        reference_contacts,
        reference_control_contacts,
        contacts,
        contacts * base_response_rate as expected_responders_without_campaign,
        contacts * base_revenue_per_contact as expected_revenue_without_campaign,
        contacts * response_rate_diff as expected_incremental_responders,
        contacts * revenue_per_contact_diff as incremental_revenue_exact,
        case
            when lift_basis = 'reference_segment' then power(contacts * segment_response_rate_diff_se, 2)
            when lift_basis = 'reference_campaign' then 0
        end as own_responders_variance,
        case
            when lift_basis = 'reference_segment' then power(contacts * segment_revenue_per_contact_diff_se, 2)
            when lift_basis = 'reference_campaign' then 0
        end as own_revenue_variance,
        case when lift_basis = 'reference_campaign' then contacts else 0 end as overall_based_contacts,
        overall_response_rate_diff_se,
        overall_revenue_per_contact_diff_se
    from segment_rates

),

rows_with_total as (

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
        lift_basis,
        base_rate_basis,
        reference_contacts,
        reference_control_contacts,
        contacts,
        expected_responders_without_campaign,
        expected_revenue_without_campaign,
        expected_incremental_responders,
        incremental_revenue_exact,
        sqrt(own_responders_variance + power(overall_based_contacts * overall_response_rate_diff_se, 2))
            as incremental_responders_se,
        sqrt(own_revenue_variance + power(overall_based_contacts * overall_revenue_per_contact_diff_se, 2))
            as incremental_revenue_se
    from segment_figures
    union all
    select
        plan_id,
        max(plan_name) as plan_name,
        max(start_date) as start_date,
        max(response_window_days) as response_window_days,
        max(based_on_campaign_id) as based_on_campaign_id,
        max(fixed_cost) as fixed_cost,
        max(cost_per_contact) as cost_per_contact,
        max(offer_discount_share) as offer_discount_share,
        max(margin_rate) as margin_rate,
        max(margin_rate_basis) as margin_rate_basis,
        'all' as rfm_segment,
        cast(null as integer) as segment_order,
        case when min(lift_basis) = max(lift_basis) then max(lift_basis) else 'mixed' end as lift_basis,
        case when min(base_rate_basis) = max(base_rate_basis) then max(base_rate_basis) else 'mixed' end
            as base_rate_basis,
        cast(null as bigint) as reference_contacts,
        cast(null as bigint) as reference_control_contacts,
        cast(sum(contacts) as bigint) as contacts,
        sum(expected_responders_without_campaign) as expected_responders_without_campaign,
        sum(expected_revenue_without_campaign) as expected_revenue_without_campaign,
        sum(expected_incremental_responders) as expected_incremental_responders,
        sum(incremental_revenue_exact) as incremental_revenue_exact,
        sqrt(sum(own_responders_variance) + power(sum(overall_based_contacts) * max(overall_response_rate_diff_se), 2))
            as incremental_responders_se,
        sqrt(sum(own_revenue_variance) + power(sum(overall_based_contacts) * max(overall_revenue_per_contact_diff_se), 2))
            as incremental_revenue_se
    from segment_figures
    group by plan_id

),

plan_totals as (

    select
        plan_id,
        sum(contacts) as plan_contacts
    from segment_figures
    group by plan_id

),

costs as (

    {#- Profit is linear in the incremental revenue R: (margin - discount share) x R - fixed - per contact x
        contacts - discount share x the revenue expected without the campaign. Its interval is R's, mapped. -#}
    select
        rows_with_total.*,
        critical_values.z_975,
        critical_values.z_alpha,
        critical_values.z_power,
        {% if discount_is_cost %}rows_with_total.offer_discount_share{% else %}cast(0 as {{ double }}){% endif %}
            as discount_cost_share,
        cast(rows_with_total.fixed_cost as {{ double }}) * rows_with_total.contacts
        / nullif(plan_totals.plan_contacts, 0) as fixed_cost_allocated,
        cast(rows_with_total.cost_per_contact as {{ double }}) * rows_with_total.contacts as contact_cost,
        rows_with_total.incremental_revenue_exact
        - critical_values.z_975 * rows_with_total.incremental_revenue_se as incremental_revenue_lower,
        rows_with_total.incremental_revenue_exact
        + critical_values.z_975 * rows_with_total.incremental_revenue_se as incremental_revenue_upper
    from rows_with_total
    inner join plan_totals
        on rows_with_total.plan_id = plan_totals.plan_id
    cross join critical_values

),

cost_bases as (

    {#- The cost that does not depend on the lift: fixed, per contact, and the discount on what the contacts
        would buy anyway. -#}
    select
        *,
        coalesce(fixed_cost_allocated, 0) as fixed_cost_counted,
        coalesce(fixed_cost_allocated, 0) + contact_cost
        + discount_cost_share * expected_revenue_without_campaign as baseline_cost
    from costs

),

profits as (

    select
        *,
        discount_cost_share * (expected_revenue_without_campaign + incremental_revenue_exact) as discount_cost,
        baseline_cost + discount_cost_share * incremental_revenue_exact as total_cost_exact,
        (margin_rate - discount_cost_share) * incremental_revenue_exact - baseline_cost as incremental_profit_exact,
        (margin_rate - discount_cost_share) * incremental_revenue_lower - baseline_cost as profit_at_revenue_lower,
        (margin_rate - discount_cost_share) * incremental_revenue_upper - baseline_cost as profit_at_revenue_upper,
        {#- The relative lift in revenue per contact at which profit is 0 (none when the margin does not cover
            the discount, or nothing is expected to be bought without the campaign to lift). -#}
        case
            when margin_rate > discount_cost_share and expected_revenue_without_campaign > 0
                then baseline_cost / ((margin_rate - discount_cost_share) * expected_revenue_without_campaign)
        end as break_even_relative_lift,
        cast(expected_responders_without_campaign as {{ double }}) / nullif(contacts, 0) as holdout_p_control,
        cast(expected_responders_without_campaign + expected_incremental_responders as {{ double }})
        / nullif(contacts, 0) as holdout_p_treated
    from cost_bases

),

holdout_inputs as (

    {#- The smallest control group that, with the rest of the list treated, detects the expected response lift
        (campaign_test_plan's formula at test_plan_alpha / test_plan_power), searched only when a 50/50 split is
        enough. -#}
    select
        plan_id,
        rfm_segment,
        contacts,
        holdout_p_control,
        holdout_p_treated,
        z_alpha,
        z_power
    from profits
    where
        contacts >= 2
        and holdout_p_treated > holdout_p_control
        and holdout_p_treated <= 1
        and {{ drilldown.two_proportion_sample_size('holdout_p_control', 'holdout_p_treated', '1', 'z_alpha', 'z_power') }}
        <= cast(contacts as {{ double }}) / 2

),

holdout_search_0 as (

    {#- The interval (low, high] that holds the size sought: high always detects the lift. -#}
    select
        plan_id,
        rfm_segment,
        cast(0 as {{ double }}) as low,
        cast(contacts as {{ double }}) / 2 as high
    from holdout_inputs

),

holdout_grid_series as (

    {{ dbt.generate_series(holdout_grid_points - 1) }}

),

holdout_grid_steps as (

    {#- The sizes a level tries: low + (high - low) * step / holdout_grid_points for step 1 .. points - 1. -#}
    select cast(generated_number as integer) as grid_step
    from holdout_grid_series

),

{% for level in range(1, holdout_levels + 1) %}
holdout_tried_{{ level }} as (

    select
        bracket.plan_id,
        bracket.rfm_segment,
        bracket.low,
        bracket.high,
        steps.grid_step,
        bracket.low + (bracket.high - bracket.low) * steps.grid_step / {{ holdout_grid_points }} as tried_size,
        inputs.contacts,
        inputs.holdout_p_control,
        inputs.holdout_p_treated,
        inputs.z_alpha,
        inputs.z_power
    from holdout_search_{{ level - 1 }} as bracket
    inner join holdout_inputs as inputs
        on
            bracket.plan_id = inputs.plan_id
            and bracket.rfm_segment = inputs.rfm_segment
    cross join holdout_grid_steps as steps

),

holdout_tested_{{ level }} as (

    select
        *,
        {{ drilldown.two_proportion_sample_size(
            'holdout_p_control', 'holdout_p_treated', '(contacts - tried_size) / tried_size', 'z_alpha', 'z_power'
        ) }} <= tried_size as is_detecting
    from holdout_tried_{{ level }}

),

holdout_first_detecting_{{ level }} as (

    {#- The first tried size that detects the lift (the sizes increase, and detection with them); none: high. -#}
    select
        plan_id,
        rfm_segment,
        low,
        high,
        coalesce(min(case when is_detecting then grid_step end), {{ holdout_grid_points }}) as first_step
    from holdout_tested_{{ level }}
    group by plan_id, rfm_segment, low, high

),

holdout_search_{{ level }} as (

    {#- The new interval: between the size before the first that detects and that size (the same expression
        as holdout_tried, so the same value). -#}
    select
        plan_id,
        rfm_segment,
        low + (high - low) * (first_step - 1) / {{ holdout_grid_points }} as low,
        case
            when first_step = {{ holdout_grid_points }} then high
            else low + (high - low) * first_step / {{ holdout_grid_points }}
        end as high
    from holdout_first_detecting_{{ level }}

),

{% endfor %}
final as (

    select
        profits.plan_id,
        profits.plan_name,
        profits.rfm_segment,
        profits.segment_order,
        profits.start_date,
        profits.response_window_days,
        profits.based_on_campaign_id,
        profits.lift_basis,
        profits.base_rate_basis,
        profits.reference_contacts,
        profits.reference_control_contacts,
        profits.contacts,
        profits.holdout_p_control as base_response_rate,
        profits.expected_responders_without_campaign,
        {{ drilldown.money('profits.expected_revenue_without_campaign') }} as expected_revenue_without_campaign,
        profits.expected_incremental_responders,
        profits.expected_incremental_responders - profits.z_975 * profits.incremental_responders_se
            as expected_incremental_responders_ci95_lower,
        profits.expected_incremental_responders + profits.z_975 * profits.incremental_responders_se
            as expected_incremental_responders_ci95_upper,
        profits.incremental_revenue_exact / nullif(profits.expected_revenue_without_campaign, 0)
            as expected_relative_lift,
        {{ drilldown.money('profits.incremental_revenue_exact') }} as incremental_revenue,
        {{ drilldown.money('profits.incremental_revenue_lower') }} as incremental_revenue_ci95_lower,
        {{ drilldown.money('profits.incremental_revenue_upper') }} as incremental_revenue_ci95_upper,
        profits.margin_rate,
        profits.margin_rate_basis,
        {{ drilldown.money('profits.margin_rate * profits.incremental_revenue_exact') }} as incremental_margin,
        {{ drilldown.money('profits.fixed_cost_counted') }} as fixed_cost_allocated,
        {{ drilldown.money('profits.contact_cost') }} as contact_cost,
        {{ drilldown.money('profits.discount_cost') }} as discount_cost,
        {{ drilldown.money('profits.total_cost_exact') }} as total_cost,
        {{ drilldown.money('profits.incremental_profit_exact') }} as incremental_profit,
        {{ drilldown.money('least(profits.profit_at_revenue_lower, profits.profit_at_revenue_upper)') }}
            as incremental_profit_ci95_lower,
        {{ drilldown.money('greatest(profits.profit_at_revenue_lower, profits.profit_at_revenue_upper)') }}
            as incremental_profit_ci95_upper,
        profits.incremental_profit_exact / nullif(profits.total_cost_exact, 0) as roi,
        profits.break_even_relative_lift,
        case
            when least(profits.profit_at_revenue_lower, profits.profit_at_revenue_upper) > 0 then 'send'
            when profits.incremental_profit_exact > 0 then 'send_with_holdout'
            else 'skip'
        end as recommendation,
        cast(ceil(holdout_search_{{ holdout_levels }}.high) as bigint) as holdout_contacts_needed,
        cast(ceil(holdout_search_{{ holdout_levels }}.high) as {{ double }}) / profits.contacts as holdout_share_needed
    from profits
    left join holdout_search_{{ holdout_levels }}
        on
            profits.plan_id = holdout_search_{{ holdout_levels }}.plan_id
            and profits.rfm_segment = holdout_search_{{ holdout_levels }}.rfm_segment

)

select * from final
