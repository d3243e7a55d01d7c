{#- The two periods the CLV models are fitted on (docs/decisions.md#clv-backtest): 'full' ends on the
    as-of date and scores customer_clv; 'calibration' ends var clv_backtest_holdout_days earlier and is
    scored against the holdout in clv_backtest. One row per period, also when it has no customers. -#}
{%- set holdout_days = drilldown.clv_backtest_holdout_days() %}

with

as_of as (

    select as_of_date from {{ ref('base_as_of_date') }}

),

final as (

    select
        'full' as fit_period,
        as_of_date as period_end_date,
        cast(null as integer) as holdout_days
    from as_of
    union all
    select
        'calibration' as fit_period,
        cast({{ dbt.dateadd('day', -holdout_days, 'as_of_date') }} as date) as period_end_date,
        {{ holdout_days }} as holdout_days
    from as_of

)

select * from final
