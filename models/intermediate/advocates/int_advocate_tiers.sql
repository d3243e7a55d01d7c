{#- Every advocate tier with its order (docs/decisions.md#advocate-tiers): the tiers of the advocate_weights seed
    by threshold, highest first (1 = champion by default), then 'detractor' (negative net sentiment, whatever
    the score) and 'none' (no mention in the window). min_advocate_score is null for the last two. -#}

with

settings as (

    select * from {{ ref('advocate_weights') }}

),

score_tiers as (

    select
        name as advocate_tier,
        value as min_advocate_score,
        row_number() over (order by value desc) as advocate_tier_order
    from settings
    where kind = 'tier'

),

tier_count as (

    select count(*) as score_tiers from score_tiers

),

final as (

    select
        advocate_tier,
        min_advocate_score,
        cast(advocate_tier_order as integer) as advocate_tier_order
    from score_tiers
    union all
    select
        'detractor' as advocate_tier,
        cast(null as decimal(9, 4)) as min_advocate_score,
        cast(score_tiers + 1 as integer) as advocate_tier_order
    from tier_count
    union all
    select
        'none' as advocate_tier,
        cast(null as decimal(9, 4)) as min_advocate_score,
        cast(score_tiers + 2 as integer) as advocate_tier_order
    from tier_count

)

select * from final
