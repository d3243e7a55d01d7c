with

mentions as (

    select * from {{ ref('base_shop__social_mentions') }}
    where quarantine_reasons is null

),

final as (

    select
        mention_id,
        customer_id,
        is_matched_customer,
        posted_at,
        posted_date,
        channel,
        reach,
        likes,
        shares,
        comments,
        sentiment,
        is_review
    from mentions

)

select * from final
