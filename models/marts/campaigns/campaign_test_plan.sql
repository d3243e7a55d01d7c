{#- How big the control group must be: per campaign x treatment arm, the control size needed to detect the
    observed lift and the target lift (var test_plan_target_lift) at the planned power and significance,
    keeping the test's treated-to-control ratio, and the smallest lift the actual sizes detect.
    docs/decisions.md#campaign-test-plan -#}
{%- set target_lift = drilldown.project_var('test_plan_target_lift') -%}
{%- set alpha = drilldown.project_var('test_plan_alpha') -%}
{%- set power = drilldown.project_var('test_plan_power') -%}
{%- set double = drilldown.type_double() -%}

with

comparisons as (

    select * from {{ ref('int_campaign_arm_comparisons') }}
    where group_type = 'campaign'

),

planning_values as (

    select
        cast({{ alpha }} as {{ double }}) as alpha,
        cast({{ power }} as {{ double }}) as power,
        cast({{ target_lift }} as {{ double }}) as target_relative_lift,
        {{ drilldown.normal_quantile(1 - alpha / 2.0) }} as z_alpha,
        {{ drilldown.normal_quantile(power) }} as z_power

),

inputs as (

    select
        comparisons.campaign_id,
        comparisons.arm,
        comparisons.has_control_group,
        comparisons.contacts,
        comparisons.control_contacts,
        comparisons.control_response_rate,
        comparisons.response_rate,
        comparisons.response_relative_lift as observed_relative_lift,
        cast(comparisons.contacts as {{ double }}) / nullif(comparisons.control_contacts, 0)
            as treated_to_control_ratio,
        planning_values.alpha,
        planning_values.power,
        planning_values.target_relative_lift,
        planning_values.z_alpha,
        planning_values.z_power
    from comparisons
    cross join planning_values

),

sizes as (

    select
        *,
        {{ drilldown.two_proportion_sample_size(
            'control_response_rate', 'response_rate', 'treated_to_control_ratio', 'z_alpha', 'z_power') }}
            as control_size_observed_lift,
        {{ drilldown.two_proportion_sample_size(
            'control_response_rate', 'control_response_rate * (1 + target_relative_lift)',
            'treated_to_control_ratio', 'z_alpha', 'z_power') }} as control_size_target_lift,
        {{ drilldown.two_proportion_min_detectable_diff(
            'control_response_rate', 'control_contacts', 'contacts', 'z_alpha', 'z_power') }}
            as min_detectable_diff
    from inputs

),

final as (

    select
        campaign_id,
        arm,
        has_control_group,
        contacts,
        control_contacts,
        treated_to_control_ratio,
        control_response_rate,
        response_rate,
        observed_relative_lift,
        target_relative_lift,
        alpha,
        power,
        cast(ceil(control_size_observed_lift) as bigint) as control_size_needed_observed_lift,
        cast(ceil(control_size_observed_lift * (1 + treated_to_control_ratio)) as bigint)
            as total_size_needed_observed_lift,
        cast(ceil(control_size_target_lift) as bigint) as control_size_needed_target_lift,
        cast(ceil(control_size_target_lift * (1 + treated_to_control_ratio)) as bigint)
            as total_size_needed_target_lift,
        min_detectable_diff,
        min_detectable_diff / nullif(control_response_rate, 0) as min_detectable_relative_lift,
        control_contacts >= ceil(control_size_target_lift) as is_powered_for_target_lift
    from sizes

)

select * from final
