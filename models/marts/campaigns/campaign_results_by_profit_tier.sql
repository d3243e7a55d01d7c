{#- campaign_results per profit tier as of the campaign start (profit_tiers() over the orders before the start,
    int_campaign_rfm_as_of_start; 'no_prior_purchase': contacts without a purchase before the start), with the
    roll-out decision (one multiple-testing family per campaign × arm). docs/decisions.md#campaign-roll-out-decision,
    docs/decisions.md#campaign-multiple-testing, docs/decisions.md#campaign-cuped -#}

with

comparisons as (

    select * from {{ ref('int_campaign_arm_comparisons') }}
    where group_type = 'profit_tier'

),

decisions as (

    select * from {{ ref('int_campaign_rollout_decisions') }}
    where group_type = 'profit_tier'

),

final as (

    select
        comparisons.campaign_id,
        comparisons.arm,
        comparisons.group_value as profit_tier,
        {{ drilldown.campaign_result_columns('comparisons', 'decisions', with_family=true) }}
    from comparisons
    inner join decisions
        on
            comparisons.campaign_id = decisions.campaign_id
            and comparisons.group_value = decisions.group_value
            and comparisons.arm = decisions.arm

)

select * from final
