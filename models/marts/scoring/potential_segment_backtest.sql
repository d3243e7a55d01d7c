{#- Does the potential-high rule find the customers who move up? (docs/decisions.md#potential-high)
    Two rows: 'backtest' applies the rule at the CLV calibration end (var clv_backtest_holdout_days before
    the as-of date, with the calibration fit's predictions, so no look-ahead) and counts which medium-tier
    customers of that date are in the high tier at the as-of date, flagged or not; 'current' is the rule as of
    the as-of date (customers.is_potential_high), whose outcome is not known yet. Rates are null when their
    group is empty; everything but the counts is null when the fit did not converge. -#}

with

potential_scores as (

    select * from {{ ref('int_customer_potential_scores') }}

),

calibration as (

    select * from potential_scores
    where fit_period = 'calibration'

),

as_of as (

    select * from potential_scores
    where fit_period = 'full'

),

backtest_outcomes as (

    select
        calibration.customer_id,
        calibration.period_end_date,
        calibration.tier_order,
        calibration.is_potential_high,
        calibration.potential_high_cut,
        calibration.predicted_clv_horizon_days,
        as_of.period_end_date as outcome_date,
        as_of.tier_order = 1 as has_moved_up
    from calibration
    inner join as_of
        on calibration.customer_id = as_of.customer_id

),

current_rule as (

    select
        customer_id,
        period_end_date,
        tier_order,
        is_potential_high,
        potential_high_cut,
        predicted_clv_horizon_days,
        cast(null as date) as outcome_date,
        cast(null as boolean) as has_moved_up
    from as_of

),

evaluations as (

    select
        'backtest' as evaluation,
        *
    from backtest_outcomes
    union all
    select
        'current' as evaluation,
        *
    from current_rule

),

counted as (

    select
        evaluation,
        max(period_end_date) as evaluated_as_of_date,
        max(outcome_date) as outcome_date,
        max(predicted_clv_horizon_days) as predicted_clv_horizon_days,
        max(potential_high_cut) as potential_high_cut,
        sum(case when tier_order = 1 then 1 else 0 end) as high_tier_customers,
        sum(case when tier_order = 2 then 1 else 0 end) as medium_customers,
        sum(case when tier_order = 2 and is_potential_high then 1 else 0 end) as potential_high_customers,
        sum(case when tier_order = 2 and is_potential_high and has_moved_up then 1 else 0 end)
            as potential_high_moved_up,
        sum(case when tier_order = 2 and not is_potential_high then 1 else 0 end) as other_medium_customers,
        sum(case when tier_order = 2 and not is_potential_high and has_moved_up then 1 else 0 end)
            as other_medium_moved_up
    from evaluations
    group by evaluation

),

rated as (

    select
        *,
        case
            when evaluation = 'backtest' and potential_high_customers > 0
                then
                    cast(potential_high_moved_up as {{ drilldown.type_double() }})
                    / cast(potential_high_customers as {{ drilldown.type_double() }})
        end as potential_high_move_up_rate,
        case
            when evaluation = 'backtest' and other_medium_customers > 0
                then
                    cast(other_medium_moved_up as {{ drilldown.type_double() }})
                    / cast(other_medium_customers as {{ drilldown.type_double() }})
        end as other_medium_move_up_rate,
        case
            when evaluation = 'backtest' and potential_high_moved_up + other_medium_moved_up > 0
                then
                    cast(potential_high_moved_up as {{ drilldown.type_double() }})
                    / cast(potential_high_moved_up + other_medium_moved_up as {{ drilldown.type_double() }})
        end as share_of_movers_flagged
    from counted

),

final as (

    select
        cast(evaluation as {{ dbt.type_string() }}) as evaluation,
        evaluated_as_of_date,
        outcome_date,
        cast(predicted_clv_horizon_days as integer) as predicted_clv_horizon_days,
        cast({{ drilldown.project_var('potential_high_quantile') }} as {{ drilldown.type_double() }})
            as potential_high_quantile,
        cast(potential_high_cut as {{ drilldown.type_double() }}) as potential_high_cut,
        cast(high_tier_customers as integer) as high_tier_customers,
        cast(medium_customers as integer) as medium_customers,
        cast(potential_high_customers as integer) as potential_high_customers,
        cast(case when evaluation = 'backtest' then potential_high_moved_up end as integer)
            as potential_high_moved_up,
        potential_high_move_up_rate,
        cast(other_medium_customers as integer) as other_medium_customers,
        cast(case when evaluation = 'backtest' then other_medium_moved_up end as integer) as other_medium_moved_up,
        other_medium_move_up_rate,
        cast(potential_high_move_up_rate / nullif(other_medium_move_up_rate, 0) as {{ drilldown.type_double() }})
            as move_up_lift,
        share_of_movers_flagged
    from rated

)

select * from final
