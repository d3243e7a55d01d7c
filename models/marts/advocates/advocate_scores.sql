{#- Advocates: one row per matched customer with a mention in the advocate window. Raw and shrunk measures
    (docs/decisions.md#advocate-measures, #advocate-shrinkage), seven 1-5 scores with score_bins() (the RFM
    rules), advocate_score from the advocate_weights seed, advocate_rank and advocate_tier
    (docs/decisions.md#advocate-scores, #advocate-tiers). -#}
{%- set double = drilldown.type_double() -%}
{#- (score, column scored, higher is better, weight name in the seed) -#}
{%- set components = [
    ('frequency_score', 'mentions', true, 'frequency'),
    ('recency_score', 'mention_recency_days', false, 'recency'),
    ('reach_score', 'reach_ranked', true, 'reach'),
    ('share_score', 'shares_ranked', true, 'share'),
    ('engagement_score', 'engagements_ranked', true, 'engagement'),
    ('engagement_rate_score', 'engagement_rate_ranked', true, 'engagement_rate'),
    ('sentiment_score', 'sentiment_ranked', true, 'sentiment'),
] -%}

with

totals as (

    select * from {{ ref('int_customer_mention_totals') }}

),

priors as (

    select * from {{ ref('int_advocate_priors') }}

),

settings as (

    select * from {{ ref('advocate_weights') }}

),

tiers as (

    select * from {{ ref('int_advocate_tiers') }}

),

as_of as (

    select as_of_date from {{ ref('base_as_of_date') }}

),

raw_measures as (

    select
        totals.*,
        cast(totals.reach_total as {{ double }}) / totals.mentions as reach_mean,
        cast(totals.engagements_total as {{ double }}) / totals.mentions as engagements_mean,
        totals.reach_log_total / totals.mentions as reach_log_mean,
        totals.shares_log_total / totals.mentions as shares_log_mean,
        totals.engagements_log_total / totals.mentions as engagements_log_mean,
        case
            when totals.sentiment_mentions > 0
                then cast(totals.sentiment_total as {{ double }}) / totals.sentiment_mentions
        end as sentiment_mean,
        {{ dbt.datediff('totals.last_mention_date', 'as_of.as_of_date', 'day') }} as mention_recency_days
    from totals
    cross join as_of

),

shrunk as (

    select
        raw_measures.*,
        {{ drilldown.shrunk_mean('raw_measures.reach_log_mean', 'raw_measures.mentions', 'reach_prior') }}
            as reach_log_shrunk,
        {{ drilldown.shrunk_mean('raw_measures.shares_log_mean', 'raw_measures.mentions', 'shares_prior') }}
            as shares_log_shrunk,
        {{ drilldown.shrunk_mean('raw_measures.engagements_log_mean', 'raw_measures.mentions', 'engagements_prior') }}
            as engagements_log_shrunk,
        {{ drilldown.shrunk_mean('raw_measures.sentiment_mean', 'raw_measures.sentiment_mentions', 'sentiment_prior') }}
            as sentiment_shrunk
    from raw_measures
    left join priors as reach_prior
        on reach_prior.measure = 'reach'
    left join priors as shares_prior
        on shares_prior.measure = 'shares'
    left join priors as engagements_prior
        on engagements_prior.measure = 'engagements'
    left join priors as sentiment_prior
        on sentiment_prior.measure = 'sentiment'

),

typical_values as (

    {#- The shrunk typical post: exp(shrunk mean of ln(1 + value)) - 1. -#}
    select
        *,
        exp(reach_log_shrunk) - 1 as typical_reach_shrunk,
        exp(shares_log_shrunk) - 1 as typical_shares_shrunk,
        exp(engagements_log_shrunk) - 1 as typical_engagements_shrunk
    from shrunk

),

measures as (

    select
        customer_id,
        mentions,
        reviews,
        last_mention_date,
        cast(mention_recency_days as integer) as mention_recency_days,
        reach_mean as avg_reach,
        typical_reach_shrunk,
        case when reach_total > 0 then 1000 * cast(shares_total as {{ double }}) / cast(reach_total as {{ double }}) end
            as shares_per_1000_reach,
        case when typical_reach_shrunk > 0 then 1000 * typical_shares_shrunk / typical_reach_shrunk end
            as shares_per_1000_reach_shrunk,
        engagements_mean as engagements_per_mention,
        typical_engagements_shrunk,
        case when reach_total > 0 then 1000 * cast(engagements_total as {{ double }}) / cast(reach_total as {{ double }}) end
            as engagements_per_1000_reach,
        case when typical_reach_shrunk > 0 then 1000 * typical_engagements_shrunk / typical_reach_shrunk end
            as engagements_per_1000_reach_shrunk,
        sentiment_mean as net_sentiment,
        sentiment_shrunk as net_sentiment_shrunk
    from typical_values

),

ranking_values as (

    {#- The shrunk values cut to 6 decimals for ranking only, so float noise cannot split a tie. -#}
    select
        customer_id,
        mentions,
        mention_recency_days,
        cast(typical_reach_shrunk as decimal(28, 6)) as reach_ranked,
        cast(shares_per_1000_reach_shrunk as decimal(28, 6)) as shares_ranked,
        cast(typical_engagements_shrunk as decimal(28, 6)) as engagements_ranked,
        cast(engagements_per_1000_reach_shrunk as decimal(28, 6)) as engagement_rate_ranked,
        cast(net_sentiment_shrunk as decimal(28, 6)) as sentiment_ranked
    from measures

),

{%- for score, column, higher_is_better, weight_name in components %}
{{ score }}_bins as (

    {{ drilldown.score_bins('ranking_values', column, higher_is_better=higher_is_better, n_bins=5) }}

),

{% endfor -%}

scores as (

    select
        ranking_values.customer_id,
        cast(frequency_score_bins.score as integer) as frequency_score,
        cast(recency_score_bins.score as integer) as recency_score,
        cast(reach_score_bins.score as integer) as reach_score,
        cast(share_score_bins.score as integer) as share_score,
        cast(engagement_score_bins.score as integer) as engagement_score,
        cast(engagement_rate_score_bins.score as integer) as engagement_rate_score,
        cast(sentiment_score_bins.score as integer) as sentiment_score
    from ranking_values
    left join frequency_score_bins
        on ranking_values.mentions = frequency_score_bins.mentions
    left join recency_score_bins
        on ranking_values.mention_recency_days = recency_score_bins.mention_recency_days
    left join reach_score_bins
        on ranking_values.reach_ranked = reach_score_bins.reach_ranked
    left join share_score_bins
        on ranking_values.shares_ranked = share_score_bins.shares_ranked
    left join engagement_score_bins
        on ranking_values.engagements_ranked = engagement_score_bins.engagements_ranked
    left join engagement_rate_score_bins
        on ranking_values.engagement_rate_ranked = engagement_rate_score_bins.engagement_rate_ranked
    left join sentiment_score_bins
        on ranking_values.sentiment_ranked = sentiment_score_bins.sentiment_ranked

),

weights as (

    select
        {%- for score, column, higher_is_better, weight_name in components %}
        coalesce(max(case when name = '{{ weight_name }}' then value end), 0) as {{ weight_name }}_weight,
        {%- endfor %}
        count(*) as weight_rows
    from settings
    where kind = 'weight'

),

scored_components as (

    {#- A score that is null for every poster (no sentiment in the file) drops out of the weights. -#}
    select
        {%- for score, column, higher_is_better, weight_name in components %}
        count({{ score }}) > 0 as has_{{ score }},
        {%- endfor %}
        count(*) as posters
    from scores

),

weight_total as (

    select
        {%- for score, column, higher_is_better, weight_name in components %}
        case when scored_components.has_{{ score }} then weights.{{ weight_name }}_weight else 0 end
        +
        {%- endfor %}
        0 as weight_total
    from weights
    cross join scored_components

),

weighted as (

    {#- weighted_score: the exact (decimal) sum of weight x score; the tiers and the rank compare it, the
        float advocate_score is for reading. -#}
    select
        scores.*,
        {%- for score, column, higher_is_better, weight_name in components %}
        weights.{{ weight_name }}_weight * coalesce(scores.{{ score }}, 0)
        +
        {%- endfor %}
        0 as weighted_score,
        weight_total.weight_total
    from scores
    cross join weights
    cross join weight_total

),

tier_matches as (

    {#- The tier with the highest threshold the score reaches (thresholds compared exactly, in decimals). -#}
    select
        weighted.customer_id,
        min(tiers.advocate_tier_order) as advocate_tier_order
    from weighted
    inner join tiers
        on weighted.weighted_score >= tiers.min_advocate_score * weighted.weight_total
    group by weighted.customer_id

),

tiered as (

    select
        weighted.*,
        coalesce(measures.net_sentiment < 0, false) as is_detractor,
        tiers.advocate_tier as score_tier,
        tiers.advocate_tier_order as score_tier_order
    from weighted
    inner join measures
        on weighted.customer_id = measures.customer_id
    left join tier_matches
        on weighted.customer_id = tier_matches.customer_id
    left join tiers
        on tier_matches.advocate_tier_order = tiers.advocate_tier_order

),

detractor_tier as (

    select advocate_tier_order from tiers
    where advocate_tier = 'detractor'

),

ranked as (

    select
        tiered.*,
        case when tiered.is_detractor then 'detractor' else tiered.score_tier end as advocate_tier,
        case
            when tiered.is_detractor then detractor_tier.advocate_tier_order else tiered.score_tier_order
        end as advocate_tier_order,
        case
            when not tiered.is_detractor
                then rank() over (partition by tiered.is_detractor order by tiered.weighted_score desc)
        end as advocate_rank
    from tiered
    cross join detractor_tier

),

final as (

    select
        measures.customer_id,
        measures.mentions,
        measures.reviews,
        measures.last_mention_date,
        measures.mention_recency_days,
        measures.avg_reach,
        measures.typical_reach_shrunk,
        measures.shares_per_1000_reach,
        measures.shares_per_1000_reach_shrunk,
        measures.engagements_per_mention,
        measures.typical_engagements_shrunk,
        measures.engagements_per_1000_reach,
        measures.engagements_per_1000_reach_shrunk,
        measures.net_sentiment,
        measures.net_sentiment_shrunk,
        {%- for score, column, higher_is_better, weight_name in components %}
        ranked.{{ score }},
        {%- endfor %}
        case
            when ranked.weight_total > 0
                then cast(ranked.weighted_score as {{ double }}) / cast(ranked.weight_total as {{ double }})
        end as advocate_score,
        cast(ranked.advocate_rank as integer) as advocate_rank,
        ranked.advocate_tier,
        cast(ranked.advocate_tier_order as integer) as advocate_tier_order,
        ranked.is_detractor
    from measures
    inner join ranked
        on measures.customer_id = ranked.customer_id

)

select * from final
