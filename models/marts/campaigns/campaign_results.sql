{#- Each treatment arm of each campaign against the campaign's random holdout. docs/decisions.md#campaign-results -#}

with

comparisons as (

    select * from {{ ref('int_campaign_arm_comparisons') }}
    where group_type = 'campaign'

),

final as (

    select
        comparisons.campaign_id,
        comparisons.arm,
        {{ drilldown.campaign_result_columns('comparisons') }}
    from comparisons

)

select * from final
