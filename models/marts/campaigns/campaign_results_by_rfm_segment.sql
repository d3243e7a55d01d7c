{#- campaign_results per RFM segment as of the campaign start ('no_prior_purchase': contacts without a
    purchase before the start), with the roll-out decision. docs/decisions.md#campaign-roll-out-decision -#}

with

comparisons as (

    select * from {{ ref('int_campaign_arm_comparisons') }}
    where group_type = 'rfm_segment'

),

final as (

    select
        comparisons.campaign_id,
        comparisons.arm,
        comparisons.group_value as rfm_segment,
        {{ drilldown.campaign_result_columns('comparisons') }}
    from comparisons

)

select * from final
