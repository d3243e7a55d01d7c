{#- Per matched customer, the mentions of the advocate window (the last var advocate_window_days days up to the
    as-of date) summed: counts, dates, and the per-mention totals and sums of squares the shrinkage needs
    (docs/decisions.md#advocate-measures). Sums are exact (integers and decimals); squares are decimal(38, 0)
    (bigint on every adapter would overflow sooner). Unmatched mentions have no customer and are not here. -#}
{%- set window_days = drilldown.project_var('advocate_window_days') -%}

with

mentions as (

    select * from {{ ref('stg_shop__social_mentions') }}
    where is_matched_customer

),

as_of as (

    select as_of_date from {{ ref('base_as_of_date') }}

),

windowed as (

    select
        mentions.customer_id,
        mentions.posted_date,
        mentions.is_review,
        cast(mentions.reach as decimal(38, 0)) as reach,
        cast(mentions.shares as decimal(38, 0)) as shares,
        cast(mentions.likes + mentions.shares + mentions.comments as decimal(38, 0)) as engagements,
        mentions.sentiment
    from mentions
    cross join as_of
    where {{ dbt.datediff('mentions.posted_date', 'as_of.as_of_date', 'day') }} < {{ window_days }}

),

final as (

    select
        customer_id,
        cast(count(*) as integer) as mentions,
        cast(sum(case when is_review then 1 else 0 end) as integer) as reviews,
        max(posted_date) as last_mention_date,
        sum(reach) as reach_total,
        sum(reach * reach) as reach_sum_of_squares,
        sum(shares) as shares_total,
        sum(shares * shares) as shares_sum_of_squares,
        sum(engagements) as engagements_total,
        sum(engagements * engagements) as engagements_sum_of_squares,
        cast(count(sentiment) as integer) as sentiment_mentions,
        sum(sentiment) as sentiment_total,
        sum(sentiment * sentiment) as sentiment_sum_of_squares
    from windowed
    group by customer_id

)

select * from final
