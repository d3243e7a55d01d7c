{#- The potential-high rule per customer × CLV fit period (docs/decisions.md#potential-high): the profit tier
    as of the period end (profit_tiers(), as customer_profit_tiers), the predicted CLV over the period's
    longest horizon (int_clv_horizons: 'full' the longest of var clv_horizon_days, 365 days by default;
    'calibration' the holdout, the period the backtest checks) as customer_clv computes it (discounted
    expected repeat purchase days × expected order value × margin rate), and is_potential_high = in the second tier
    (medium) with a predicted CLV at least the var potential_high_quantile quantile (nearest rank; 0.5 = the
    median) of the first tier's (high) predicted CLVs in the same period. 'full' feeds customers;
    'calibration' is the rule applied at the calibration end, which potential_segment_backtest checks against
    the tiers at the as-of date. Null predictions (no converged fit) give a null flag. -#}
{%- set quantile = drilldown.project_var('potential_high_quantile') -%}

with

period_values as (

    select * from {{ ref('int_customer_period_values') }}

),

clv_scores as (

    select * from {{ ref('int_customer_clv_scores') }}

),

horizons as (

    select * from {{ ref('int_clv_horizons') }}

),

tiers as (

    select * from {{ ref('profit_tiers') }}

),

longest_horizons as (

    select
        fit_period,
        max(horizon_days) as horizon_days
    from horizons
    group by fit_period

),

scores as (

    select clv_scores.*
    from clv_scores
    inner join longest_horizons
        on
            clv_scores.fit_period = longest_horizons.fit_period
            and clv_scores.horizon_days = longest_horizons.horizon_days

),

tiered as (

    {{ drilldown.profit_tiers('period_values', 'tiers', partition_by=['fit_period']) }}

),

predicted as (

    select
        tiered.customer_id,
        tiered.fit_period,
        tiered.period_end_date,
        tiered.value_basis,
        tiered.cumulative_value,
        tiered.profit_tier,
        tiered.tier_order,
        scores.horizon_days as predicted_clv_horizon_days,
        cast(
            scores.discounted_expected_orders * scores.expected_order_value * tiered.margin_rate
            as {{ drilldown.type_double() }}
        ) as predicted_clv
    from tiered
    left join scores
        on
            tiered.customer_id = scores.customer_id
            and tiered.fit_period = scores.fit_period

),

high_tier_ranked as (

    select
        fit_period,
        predicted_clv,
        row_number() over (partition by fit_period order by predicted_clv) as value_position,
        count(*) over (partition by fit_period) as high_tier_customers
    from predicted
    where tier_order = 1 and predicted_clv is not null

),

high_tier_cuts as (

    {#- Nearest rank: the ceil(q × n)-th smallest predicted CLV of the high tier (q = 0.5: its median). #}
    select
        fit_period,
        predicted_clv as potential_high_cut
    from high_tier_ranked
    where value_position = greatest(1, cast(ceiling({{ quantile }} * high_tier_customers) as integer))

),

final as (

    select
        predicted.customer_id,
        predicted.fit_period,
        predicted.period_end_date,
        predicted.value_basis,
        predicted.cumulative_value,
        predicted.profit_tier,
        predicted.tier_order,
        predicted.predicted_clv_horizon_days,
        predicted.predicted_clv,
        high_tier_cuts.potential_high_cut,
        case
            when predicted.tier_order <> 2 then false
            when predicted.predicted_clv is null or high_tier_cuts.potential_high_cut is null then null
            else predicted.predicted_clv >= high_tier_cuts.potential_high_cut
        end as is_potential_high
    from predicted
    left join high_tier_cuts
        on predicted.fit_period = high_tier_cuts.fit_period

)

select * from final
