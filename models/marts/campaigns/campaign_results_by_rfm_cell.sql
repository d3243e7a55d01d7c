{#- campaign_results per RFM cell as of the campaign start (rfm_cell null: no purchase before the start),
    with the roll-out decision. docs/decisions.md#campaign-roll-out-decision, docs/decisions.md#campaign-multiple-testing,
    docs/decisions.md#campaign-cuped -#}

with

comparisons as (

    select * from {{ ref('int_campaign_arm_comparisons') }}
    where group_type = 'rfm_cell'

),

decisions as (

    select * from {{ ref('int_campaign_rollout_decisions') }}
    where group_type = 'rfm_cell'

),

segment_cells as (

    select * from {{ ref('int_rfm_segment_cells') }}

),

final as (

    select
        comparisons.campaign_id,
        comparisons.arm,
        segment_cells.rfm_cell,
        coalesce(segment_cells.rfm_segment, 'no_prior_purchase') as rfm_segment,
        {{ drilldown.campaign_result_columns('comparisons', 'decisions', with_family=true) }}
    from comparisons
    inner join decisions
        on
            comparisons.campaign_id = decisions.campaign_id
            and comparisons.group_value = decisions.group_value
            and comparisons.arm = decisions.arm
    left join segment_cells
        on comparisons.group_value = segment_cells.rfm_cell

)

select * from final
