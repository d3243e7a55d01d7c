{#- One row per campaign plan x customer it would contact: scored customers (int_customer_rfm_scores, which
    customer_rfm publishes) in a targeted segment (current segment), with probability_ordering_next_90d >=
    min_probability_ordering when set, and at most max_contacts of them, the most likely to order first (ties
    and unscored customers by customer_id, unscored last). See docs/decisions.md#campaign-forecast. -#}

with

plans as (

    select * from {{ ref('stg_shop__campaign_plans') }}

),

plan_segments as (

    select * from {{ ref('int_campaign_plan_segments') }}

),

customers as (

    select * from {{ ref('int_customer_rfm_scores') }}

),

propensities as (

    {#- customer_clv.probability_ordering_next_90d (the propensity horizon is 90 days), read from the
        intermediate that customer_clv publishes it from. #}
    select
        customer_id,
        probability_ordering as probability_ordering_next_90d
    from {{ ref('int_customer_clv_scores') }}
    where
        fit_period = 'full'
        and horizon_days = {{ drilldown.clv_propensity_horizon_days() }}

),

candidates as (

    select
        plan_segments.plan_id,
        customers.customer_id,
        customers.rfm_segment,
        propensities.probability_ordering_next_90d,
        {#- Rounded to 12 decimals (the cast) for the ranking only, so float noise in the last bits (another
            adapter, another thread count) cannot reorder customers whose probabilities are equal. -#}
        cast(propensities.probability_ordering_next_90d as decimal(28, 12)) as ranking_probability
    from plan_segments
    inner join customers
        on plan_segments.rfm_segment = customers.rfm_segment
    left join propensities
        on customers.customer_id = propensities.customer_id

),

eligible as (

    select
        candidates.plan_id,
        candidates.customer_id,
        candidates.rfm_segment,
        candidates.probability_ordering_next_90d,
        plans.max_contacts,
        row_number() over (
            partition by candidates.plan_id
            order by
                case when candidates.ranking_probability is null then 1 else 0 end asc,
                candidates.ranking_probability desc,
                candidates.customer_id asc
        ) as selection_rank
    from candidates
    inner join plans
        on candidates.plan_id = plans.plan_id
    where
        plans.min_probability_ordering is null
        or candidates.probability_ordering_next_90d >= plans.min_probability_ordering

),

final as (

    select
        plan_id,
        customer_id,
        rfm_segment,
        probability_ordering_next_90d,
        selection_rank
    from eligible
    where max_contacts is null or selection_rank <= max_contacts

)

select * from final
