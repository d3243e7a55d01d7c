{#- The empirical-Bayes prior of each per-mention measure of the advocate window (docs/decisions.md#advocate-shrinkage):
    Bühlmann–Straub method of moments, on ln(1 + value) per mention for reach, shares and engagements (heavy-tailed
    counts) and on the sentiment itself, over the matched posters with at least two values (all posters with one
    when nobody has two: then nothing can be estimated and the rule is 'none'). One row per measure that has
    data (reach, shares, engagements; sentiment when any mention has one): posters and mentions it is estimated
    from, the overall mean per mention (the prior mean), the within-poster and between-poster variances, the
    prior's weight in mentions (k = within / between) and the rule applied (credibility; none: raw means; full:
    everyone gets the prior mean). -#}
{%- set double = drilldown.type_double() -%}
{#- (measure, count column, column prefix of its per-mention total and sum of squares) -#}
{%- set measures = [
    ('reach', 'mentions', 'reach_log'),
    ('shares', 'mentions', 'shares_log'),
    ('engagements', 'mentions', 'engagements_log'),
    ('sentiment', 'sentiment_mentions', 'sentiment'),
] -%}

with

totals as (

    select * from {{ ref('int_customer_mention_totals') }}

),

poster_measures as (

    {#- One row per poster x measure with at least one value: n, the total and the within-poster sum of squares
        (sum of squares - total^2 / n, at least 0: float noise cannot make it negative). -#}
    {% for measure, count_column, prefix in measures -%}
    select
        '{{ measure }}' as measure,
        cast({{ count_column }} as {{ double }}) as value_count,
        cast({{ prefix }}_total as {{ double }}) as value_total,
        greatest(
            cast({{ prefix }}_sum_of_squares as {{ double }})
            - cast({{ prefix }}_total as {{ double }}) * cast({{ prefix }}_total as {{ double }})
            / cast({{ count_column }} as {{ double }}),
            0
        ) as within_sum_of_squares
    from totals
    where {{ count_column }} > 0
    {% if not loop.last -%}
    union all
    {% endif -%}
    {%- endfor %}

),

repeat_posters as (

    select
        measure,
        max(value_count) >= 2 as has_repeat_poster
    from poster_measures
    group by measure

),

estimation_posters as (

    {#- One value cannot tell a lucky post from a real difference (a single viral post would set the prior
        itself): the prior is learned from the posters with two or more values, and applied to everyone. -#}
    select poster_measures.*
    from poster_measures
    inner join repeat_posters
        on poster_measures.measure = repeat_posters.measure
    where poster_measures.value_count >= 2 or not repeat_posters.has_repeat_poster

),

overall as (

    select
        measure,
        count(*) as posters,
        sum(value_count) as value_count,
        sum(value_total) / sum(value_count) as prior_mean,
        sum(within_sum_of_squares) as within_sum_of_squares,
        sum(value_count * value_count) as value_count_squares
    from estimation_posters
    group by measure

),

between_posters as (

    select
        poster_measures.measure,
        sum(
            poster_measures.value_count
            * (poster_measures.value_total / poster_measures.value_count - overall.prior_mean)
            * (poster_measures.value_total / poster_measures.value_count - overall.prior_mean)
        ) as between_sum_of_squares
    from estimation_posters as poster_measures
    inner join overall
        on poster_measures.measure = overall.measure
    group by poster_measures.measure

),

variances as (

    select
        overall.measure,
        overall.posters,
        overall.value_count,
        overall.prior_mean,
        case
            when overall.value_count > overall.posters
                then overall.within_sum_of_squares / (overall.value_count - overall.posters)
        end as within_variance,
        between_posters.between_sum_of_squares,
        overall.value_count_squares
    from overall
    inner join between_posters
        on overall.measure = between_posters.measure

),

estimated as (

    select
        measure,
        posters,
        value_count,
        prior_mean,
        within_variance,
        case
            when posters >= 2 and within_variance is not null
                then
                    (between_sum_of_squares - (posters - 1) * within_variance)
                    / (value_count - value_count_squares / value_count)
        end as between_variance
    from variances

),

final as (

    select
        measure,
        cast(posters as integer) as posters,
        cast(value_count as integer) as mentions,
        prior_mean,
        within_variance,
        between_variance,
        case
            when within_variance is null or within_variance <= 0 then 'none'
            when between_variance is null or between_variance <= 0 then 'full'
            else 'credibility'
        end as shrinkage_rule,
        cast(case
            when within_variance is null or within_variance <= 0 then 0
            when between_variance > 0 then within_variance / between_variance
        end as {{ double }}) as prior_mentions
    from estimated

)

select * from final
