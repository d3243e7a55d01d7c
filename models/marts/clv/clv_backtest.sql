{#- Whether to trust the CLV model on this data (docs/decisions.md#clv-backtest): the same BG/NBD fit on
    the calibration period (ending var clv_backtest_holdout_days before the as-of date), its predictions
    for the holdout against what the calibration customers actually did there.
    - backtest_section 'frequency': per calibration frequency 0 … 6, 7+ (Fader's validation chart),
      mean predicted vs actual repeat purchase days in the holdout;
    - 'propensity_decile': per decile of the predicted probability of ordering in the holdout (10 = most
      likely), mean predicted probability vs the share who ordered (the calibration curve);
    - 'total': all calibration customers, with the totals, the mean absolute error and correlation of
      predicted vs actual repeat purchase days, the top decile's lift over the average order rate, and the
      AUC of the predicted probability (Mann-Whitney, ties counted half).
    Predictions are null when the calibration fit did not converge. -#}

with

customer_periods as (

    select * from {{ ref('int_customer_btyd_periods') }}
    where fit_period = 'calibration'

),

scores as (

    select * from {{ ref('int_customer_clv_scores') }}
    where fit_period = 'calibration'

),

fit_period as (

    select * from {{ ref('int_clv_fit_periods') }}
    where fit_period = 'calibration'

),

bg_nbd_fit as (

    select min(case when is_converged then 1 else 0 end) = 1 as is_converged
    from {{ ref('int_clv_parameters') }}
    where fit_period = 'calibration' and model_name = 'bg_nbd'

),

calibration_customers as (

    select
        customer_periods.customer_id,
        customer_periods.frequency,
        case when customer_periods.frequency >= 7 then 7 else customer_periods.frequency end as frequency_bucket,
        cast(customer_periods.holdout_repeat_purchase_days as {{ drilldown.type_double() }}) as actual_orders,
        cast(case when customer_periods.holdout_repeat_purchase_days > 0 then 1 else 0 end as {{ drilldown.type_double() }}) as has_ordered,
        scores.expected_orders as predicted_orders,
        scores.probability_ordering as predicted_probability
    from customer_periods
    inner join scores
        on customer_periods.customer_id = scores.customer_id

),

propensity_deciles as (

    {{ drilldown.score_bins('calibration_customers', 'predicted_probability', higher_is_better=true, n_bins=10) }}

),

scored as (

    select
        calibration_customers.*,
        cast(propensity_deciles.score as integer) as propensity_decile,
        rank() over (
            partition by calibration_customers.predicted_probability is null
            order by calibration_customers.predicted_probability
        ) as probability_rank,
        count(*) over (partition by calibration_customers.predicted_probability) as probability_ties
    from calibration_customers
    left join propensity_deciles
        on calibration_customers.predicted_probability = propensity_deciles.predicted_probability

),

by_frequency as (

    select
        'frequency' as backtest_section,
        case
            when frequency_bucket = 7 then '7+'
            else cast(frequency_bucket as {{ dbt.type_string() }})
        end as bucket,
        frequency_bucket as bucket_sort_order,
        count(*) as customers,
        avg(predicted_orders) as predicted_repeat_purchase_days,
        avg(actual_orders) as actual_repeat_purchase_days,
        avg(predicted_probability) as predicted_order_probability,
        avg(has_ordered) as actual_order_rate
    from scored
    group by frequency_bucket

),

by_decile as (

    select
        'propensity_decile' as backtest_section,
        cast(propensity_decile as {{ dbt.type_string() }}) as bucket,
        propensity_decile as bucket_sort_order,
        count(*) as customers,
        avg(predicted_orders) as predicted_repeat_purchase_days,
        avg(actual_orders) as actual_repeat_purchase_days,
        avg(predicted_probability) as predicted_order_probability,
        avg(has_ordered) as actual_order_rate
    from scored
    where propensity_decile is not null
    group by propensity_decile

),

overall as (

    select
        count(*) as customers,
        avg(predicted_orders) as predicted_repeat_purchase_days,
        avg(actual_orders) as actual_repeat_purchase_days,
        avg(predicted_probability) as predicted_order_probability,
        avg(has_ordered) as actual_order_rate,
        sum(predicted_orders) as total_predicted_repeat_purchase_days,
        sum(actual_orders) as total_actual_repeat_purchase_days,
        avg(abs(predicted_orders - actual_orders)) as mean_absolute_error,
        corr(predicted_orders, actual_orders) as correlation,
        sum(case when predicted_probability is not null then has_ordered end) as positives,
        sum(case when predicted_probability is not null then 1.0 - has_ordered end) as negatives,
        sum(
            case
                when predicted_probability is not null and has_ordered = 1.0
                    then probability_rank + (probability_ties - 1) / 2.0
            end
        ) as positive_rank_sum
    from scored

),

top_decile as (

    select actual_order_rate from by_decile
    where bucket_sort_order = 10

),

total as (

    select
        'total' as backtest_section,
        'all' as bucket,
        0 as bucket_sort_order,
        overall.customers,
        overall.predicted_repeat_purchase_days,
        overall.actual_repeat_purchase_days,
        overall.predicted_order_probability,
        overall.actual_order_rate,
        overall.total_predicted_repeat_purchase_days,
        overall.total_actual_repeat_purchase_days,
        overall.mean_absolute_error,
        overall.correlation,
        top_decile.actual_order_rate / nullif(overall.actual_order_rate, 0) as top_decile_lift,
        (overall.positive_rank_sum - overall.positives * (overall.positives + 1) / 2.0)
        / nullif(overall.positives * overall.negatives, 0) as auc
    from overall
    left join top_decile
        on 1 = 1

),

sections as (

    select
        *,
        cast(null as {{ drilldown.type_double() }}) as total_predicted_repeat_purchase_days,
        cast(null as {{ drilldown.type_double() }}) as total_actual_repeat_purchase_days,
        cast(null as {{ drilldown.type_double() }}) as mean_absolute_error,
        cast(null as {{ drilldown.type_double() }}) as correlation,
        cast(null as {{ drilldown.type_double() }}) as top_decile_lift,
        cast(null as {{ drilldown.type_double() }}) as auc
    from by_frequency
    union all
    select
        *,
        cast(null as {{ drilldown.type_double() }}) as total_predicted_repeat_purchase_days,
        cast(null as {{ drilldown.type_double() }}) as total_actual_repeat_purchase_days,
        cast(null as {{ drilldown.type_double() }}) as mean_absolute_error,
        cast(null as {{ drilldown.type_double() }}) as correlation,
        cast(null as {{ drilldown.type_double() }}) as top_decile_lift,
        cast(null as {{ drilldown.type_double() }}) as auc
    from by_decile
    union all
    select * from total

),

final as (

    select
        sections.backtest_section,
        sections.bucket,
        cast(sections.bucket_sort_order as integer) as bucket_sort_order,
        cast(sections.customers as integer) as customers,
        cast(sections.predicted_repeat_purchase_days as {{ drilldown.type_double() }}) as predicted_repeat_purchase_days,
        cast(sections.actual_repeat_purchase_days as {{ drilldown.type_double() }}) as actual_repeat_purchase_days,
        cast(sections.predicted_order_probability as {{ drilldown.type_double() }}) as predicted_order_probability,
        cast(sections.actual_order_rate as {{ drilldown.type_double() }}) as actual_order_rate,
        cast(sections.total_predicted_repeat_purchase_days as {{ drilldown.type_double() }})
            as total_predicted_repeat_purchase_days,
        cast(sections.total_actual_repeat_purchase_days as {{ drilldown.type_double() }})
            as total_actual_repeat_purchase_days,
        cast(sections.mean_absolute_error as {{ drilldown.type_double() }}) as mean_absolute_error,
        cast(sections.correlation as {{ drilldown.type_double() }}) as correlation,
        cast(sections.top_decile_lift as {{ drilldown.type_double() }}) as top_decile_lift,
        cast(sections.auc as {{ drilldown.type_double() }}) as auc,
        fit_period.period_end_date as calibration_end_date,
        cast(fit_period.holdout_days as integer) as holdout_days,
        coalesce(bg_nbd_fit.is_converged, false) as is_converged
    from sections
    cross join fit_period
    cross join bg_nbd_fit

)

select * from final
