{#- Each treatment arm of each campaign against the campaign's random holdout. docs/decisions.md#campaign-results,
    docs/decisions.md#campaign-cuped, docs/decisions.md#campaign-revenue-capping -#}

with

comparisons as (

    select * from {{ ref('int_campaign_arm_comparisons') }}
    where group_type = 'campaign'

),

decisions as (

    select * from {{ ref('int_campaign_rollout_decisions') }}
    where group_type = 'campaign'

),

final as (

    select
        comparisons.campaign_id,
        comparisons.arm,
        {{ drilldown.campaign_result_columns('comparisons', 'decisions') }}
    from comparisons
    inner join decisions
        on
            comparisons.campaign_id = decisions.campaign_id
            and comparisons.group_value = decisions.group_value
            and comparisons.arm = decisions.arm

)

select * from final
