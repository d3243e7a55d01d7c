{#- The roll-out decision of each int_campaign_arm_comparisons row (same key). Per-cell and per-segment rows form one family per
    campaign x group_type x arm (the rows with enough contacts and a profit test); within it the profit test's
    p-value gets Holm's and Benjamini-Hochberg's adjustment and the Bonferroni lower bound (level 0.05 / m), and
    the decision follows var rollout_multiple_testing: under 'holm' a roll-out also needs the Bonferroni bound of
    the profit criterion above 0, so no roll-out is quoted with a family bound below 0. The whole-campaign row is a
    family of one.
    Definitions: docs/decisions.md#campaign-multiple-testing, docs/decisions.md#campaign-roll-out-decision. -#}
{%- set method = drilldown.project_var('rollout_multiple_testing') -%}
{%- set double = drilldown.type_double() -%}

with

comparisons as (

    select * from {{ ref('int_campaign_arm_comparisons') }}

),

family_members as (

    select
        *,
        has_min_contacts and rollout_p_value is not null as is_rollout_tested
    from comparisons

),

family_ranks as (

    {#- m = tests in the family; i = rank of the p-value (ties in group_value order: Holm's and BH's adjusted
        values of tied p-values are equal whatever their order). -#}
    select
        *,
        count(*) over (
            partition by campaign_id, group_type, arm, is_rollout_tested
        ) as family_size,
        row_number() over (
            partition by campaign_id, group_type, arm, is_rollout_tested
            order by rollout_p_value, group_value
        ) as p_value_rank
    from family_members

),

family_terms as (

    select
        *,
        cast(family_size - p_value_rank + 1 as {{ double }}) * rollout_p_value as holm_term
    from family_ranks

),

adjusted as (

    {#- Holm: running max of (m - i + 1) p_(i) from the smallest p; BH: running min of m / i p_(i) from the
        largest; both capped at 1. -#}
    select
        *,
        max(holm_term) over (
            partition by campaign_id, group_type, arm, is_rollout_tested
            order by p_value_rank
            rows between unbounded preceding and current row
        ) as holm_running_max,
        {{ drilldown.benjamini_hochberg(
            'rollout_p_value', 'family_size', 'p_value_rank',
            ['campaign_id', 'group_type', 'arm', 'is_rollout_tested'],
        ) }} as bh_running_min
    from family_terms

),

bonferroni as (

    select
        *,
        {{ drilldown.normal_quantile('1 - 0.025 / family_size') }} as bonferroni_z
    from adjusted
    where is_rollout_tested

),

bonferroni_bounds as (

    select
        campaign_id,
        group_type,
        group_value,
        arm,
        rollout_profit_per_contact
        - {{ drilldown.student_t_quantile('1 - 0.025 / family_size', 'rollout_df', z='bonferroni_z') }} * rollout_se
            as rollout_ci_lower_bonferroni
    from bonferroni

),

decided as (

    select
        adjusted.campaign_id,
        adjusted.group_type,
        adjusted.group_value,
        adjusted.arm,
        case when adjusted.is_rollout_tested then adjusted.family_size end as rollout_family_size,
        case when adjusted.is_rollout_tested then least(adjusted.holm_running_max, 1) end as rollout_p_value_holm,
        case when adjusted.is_rollout_tested then least(adjusted.bh_running_min, 1) end as rollout_p_value_bh,
        bonferroni_bounds.rollout_ci_lower_bonferroni,
        case
            when not adjusted.has_min_contacts then 'too_small'
            when not adjusted.is_window_complete then 'hold'
            {% if method == 'none' -%}
            when adjusted.rollout_ci95_lower > 0 then 'roll_out'
            {%- else -%}
            when adjusted.group_type = 'campaign' and adjusted.rollout_ci95_lower > 0 then 'roll_out'
            when
                adjusted.group_type <> 'campaign'
                and adjusted.is_rollout_tested
                and adjusted.rollout_profit_per_contact > 0
                and adjusted.{{ 'holm_running_max' if method == 'holm' else 'bh_running_min' }} < 0.05
                {%- if method == 'holm' %}
                and bonferroni_bounds.rollout_ci_lower_bonferroni > 0
                {%- endif %}
                then 'roll_out'
            {%- endif %}
            else 'hold'
        end as rollout_decision
    from adjusted
    left join bonferroni_bounds
        on
            adjusted.campaign_id = bonferroni_bounds.campaign_id
            and adjusted.group_type = bonferroni_bounds.group_type
            and adjusted.group_value = bonferroni_bounds.group_value
            and adjusted.arm = bonferroni_bounds.arm

),

final as (

    select
        campaign_id,
        group_type,
        group_value,
        arm,
        rollout_family_size,
        rollout_p_value_holm,
        rollout_p_value_bh,
        rollout_ci_lower_bonferroni,
        '{{ method }}' as rollout_multiple_testing,
        rollout_decision
    from decided

)

select * from final
