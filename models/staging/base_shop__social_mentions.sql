{#- Every raw social mention row, typed, with the reasons it cannot be used (null when it can).
    social_mentions is optional as a whole. A mention without a customer_id, or with one that is neither in
    the customers file nor in the orders, is valid but unmatched (is_matched_customer = false): kept, counted
    in data_reconciliation, never dropped. Mentions posted after the as-of date are quarantined whether or not
    the as_of_date var is set (the default as-of date comes from the orders, not from the mentions). -#}
{%- set input = drilldown.input_source('raw_social_mentions') -%}
{%- set kinds = input['kinds'] -%}
{%- set counts = ['reach', 'likes', 'shares', 'comments'] -%}
{%- set checks = [
    ("null_mention_id", "mention_id is null"),
    ("duplicate_mention_id", "mention_id is not null and mention_id_copy_number > 1"),
    ("null_posted_at", "posted_at_value is null"),
    ("unparseable_posted_at", "posted_at_value is not null and posted_at is null"),
] -%}
{%- for name in counts -%}
{%- do checks.append(("invalid_" ~ name, name ~ "_parsed is null or " ~ name ~ "_parsed < 0")) -%}
{%- endfor -%}
{%- do checks.extend([
    ("invalid_sentiment", "(sentiment_value is not null and sentiment_parsed is null) or sentiment_parsed < -1 or sentiment_parsed > 1"),
    ("invalid_is_review", "is_review_value is not null and is_review_parsed is null"),
    ("posted_after_as_of_date", "is_after_as_of_date"),
]) -%}

with

source as (

    {#- Every column of the input contract (_staging__sources.yml) as raw_<name>, from the user's table and
        columns (vars drilldown_*), null when an optional column is absent; no row when the input is not read. -#}
    {{ drilldown.input_source_select(input) }}

),

known_customers as (

    select customer_id from {{ ref('stg_shop__customers') }}
    union
    select customer_id from {{ ref('stg_shop__orders') }}

),

as_of as (

    select as_of_date from {{ ref('base_as_of_date') }}

),

trimmed as (

    {#- Each raw value ready to check and parse, computed once (a typed Parquet column is used as it is). -#}
    select
        {{ drilldown.trimmed_text('raw_mention_id', kinds.get('mention_id')) }} as mention_id,
        {{ drilldown.trimmed_text('raw_customer_id', kinds.get('customer_id')) }} as customer_id,
        {{ drilldown.trimmed_raw('raw_posted_at', kinds.get('posted_at')) }} as posted_at_value,
        coalesce(lower({{ drilldown.trimmed_text('raw_channel', kinds.get('channel')) }}), 'unknown') as channel,
        {%- for name in counts %}
        {{ drilldown.trimmed_raw('raw_' ~ name, kinds.get(name)) }} as {{ name }}_value,
        {%- endfor %}
        {{ drilldown.trimmed_raw('raw_sentiment', kinds.get('sentiment')) }} as sentiment_value,
        {{ drilldown.trimmed_raw('raw_is_review', kinds.get('is_review')) }} as is_review_value,
        raw_mention_id,
        raw_customer_id,
        raw_posted_at,
        raw_channel,
        raw_reach,
        raw_likes,
        raw_shares,
        raw_comments,
        raw_sentiment,
        raw_is_review
    from source

),

typed as (

    select
        trimmed.*,
        {{ drilldown.parse_raw('trimmed.posted_at_value', 'timestamp', kinds.get('posted_at')) }} as posted_at,
        {%- for name in counts %}
        {{ drilldown.parse_raw('trimmed.' ~ name ~ '_value', 'integer', kinds.get(name)) }} as {{ name }}_parsed,
        {%- endfor %}
        {{ drilldown.parse_raw('trimmed.sentiment_value', 'decimal', kinds.get('sentiment')) }} as sentiment_parsed,
        {{ drilldown.parse_raw('trimmed.is_review_value', 'boolean', kinds.get('is_review')) }} as is_review_parsed
    from trimmed

),

ranked as (

    select
        typed.*,
        known_customers.customer_id is not null as is_matched_customer,
        cast(typed.posted_at as date) > as_of.as_of_date as is_after_as_of_date,
        {#- Duplicate rule: the earliest copy of a mention_id is kept. -#}
        row_number() over (
            partition by typed.mention_id
            order by typed.posted_at, typed.customer_id, typed.raw_posted_at, typed.raw_reach, typed.raw_likes
        ) as mention_id_copy_number
    from typed
    cross join as_of
    left join known_customers
        on typed.customer_id = known_customers.customer_id

),

checked as (

    select
        mention_id,
        customer_id,
        is_matched_customer,
        posted_at,
        cast(posted_at as date) as posted_date,
        channel,
        {%- for name in counts %}
        cast({{ name }}_parsed as bigint) as {{ name }},
        {%- endfor %}
        cast(sentiment_parsed as decimal(9, 6)) as sentiment,
        coalesce(is_review_parsed, false) as is_review,
        raw_mention_id,
        raw_customer_id,
        raw_posted_at,
        raw_channel,
        raw_reach,
        raw_likes,
        raw_shares,
        raw_comments,
        raw_sentiment,
        raw_is_review,
        {{ drilldown.concat_reasons(checks, input) }} as quarantine_reasons
    from ranked

),

final as (

    {#- The raw values as text, for the quarantine table, only on quarantined rows. -#}
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
        is_review,
        {{ drilldown.raw_text_when_quarantined(['mention_id', 'customer_id', 'posted_at', 'channel', 'reach', 'likes', 'shares', 'comments', 'sentiment', 'is_review']) }},
        quarantine_reasons
    from checked

)

select * from final
