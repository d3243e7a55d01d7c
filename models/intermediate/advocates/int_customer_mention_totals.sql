{#- Per matched customer, the mentions of the advocate window (the last var advocate_window_days days up to the
    as-of date) summed: counts, dates, exact totals of the counts (decimals), and the per-mention sums and sums of
    squares the shrinkage needs: of ln(1 + reach), ln(1 + shares), ln(1 + engagements) (counts are heavy-tailed
    and multiplicative: shrunk on the log scale) and of sentiment (docs/decisions.md#advocate-shrinkage).
    Unmatched mentions have no customer and are not here. -#}
{%- set window_days = drilldown.project_var('advocate_window_days') -%}
{%- set double = drilldown.type_double() -%}

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
        ln(1 + cast(mentions.reach as {{ double }})) as reach_log,
        ln(1 + cast(mentions.shares as {{ double }})) as shares_log,
        ln(1 + cast(mentions.likes + mentions.shares + mentions.comments as {{ double }})) as engagements_log,
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
        sum(shares) as shares_total,
        sum(engagements) as engagements_total,
        sum(reach_log) as reach_log_total,
        sum(reach_log * reach_log) as reach_log_sum_of_squares,
        sum(shares_log) as shares_log_total,
        sum(shares_log * shares_log) as shares_log_sum_of_squares,
        sum(engagements_log) as engagements_log_total,
        sum(engagements_log * engagements_log) as engagements_log_sum_of_squares,
        cast(count(sentiment) as integer) as sentiment_mentions,
        sum(sentiment) as sentiment_total,
        sum(sentiment * sentiment) as sentiment_sum_of_squares
    from windowed
    group by customer_id

)

select * from final
