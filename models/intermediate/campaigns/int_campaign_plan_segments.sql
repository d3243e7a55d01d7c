{#- One row per campaign plan x RFM segment it targets: the items of target_segments, or every segment of the
    rfm_segments seed when the list is empty (staging has checked every item is a segment there).
    See docs/decisions.md#campaign-forecast. -#}

with

plans as (

    select * from {{ ref('stg_shop__campaign_plans') }}

),

segments as (

    select * from {{ ref('rfm_segments') }}

),

listed as (

    {{ drilldown.list_tokens('plans', ['plan_id'], 'target_segments', 50) }}

),

listed_segments as (

    select distinct
        plan_id,
        token as rfm_segment
    from listed

),

all_segments as (

    select
        plans.plan_id,
        segments.rfm_segment
    from plans
    cross join segments
    where plans.target_segments is null

),

targeted as (

    select * from listed_segments
    union all
    select * from all_segments

),

final as (

    select
        targeted.plan_id,
        targeted.rfm_segment,
        segments.segment_order
    from targeted
    inner join segments
        on targeted.rfm_segment = segments.rfm_segment

)

select * from final
