{{ config(schema='quarantine') }}

with

mentions as (

    select * from {{ ref('base_shop__social_mentions') }}
    where quarantine_reasons is not null

),

final as (

    select
        quarantine_reasons,
        raw_mention_id as mention_id,
        raw_customer_id as customer_id,
        raw_posted_at as posted_at,
        raw_channel as channel,
        raw_reach as reach,
        raw_likes as likes,
        raw_shares as shares,
        raw_comments as comments,
        raw_sentiment as sentiment,
        raw_is_review as is_review
    from mentions

)

select * from final
