{#- One row per customer × CLV fit period (int_clv_fit_periods: 'full' ends on the as-of date,
    'calibration' var clv_backtest_holdout_days earlier) with a completed order up to the period end: the
    customer's totals up to that date and the two values read from them, each defined once:
    - margin_rate (with clv_value_basis) turns predicted revenue into predicted CLV
      (docs/decisions.md#clv-models): var clv_margin_rate when set; else the customer's own margin share
      when every order has a margin and revenue > 0; else the share over all such customers of the
      period; else 1 (revenue);
    - cumulative_value (with value_basis) is what the profit tiers rank (docs/decisions.md#profit-tiers):
      margin when every completed order has one, else revenue.
    The 'full' rows equal int_customer_orders_summarised's totals. -#}
{%- set margin_rate_var = drilldown.clv_margin_rate() %}

with

purchase_days as (

    select * from {{ ref('int_customer_purchase_days') }}

),

fit_periods as (

    select * from {{ ref('int_clv_fit_periods') }}

),

period_totals as (

    select
        purchase_days.customer_id,
        fit_periods.fit_period,
        fit_periods.period_end_date,
        sum(purchase_days.orders) as completed_orders,
        sum(purchase_days.revenue) as revenue_total,
        sum(purchase_days.margin) as margin_total,
        sum(purchase_days.orders_with_margin) as orders_with_margin
    from purchase_days
    inner join fit_periods
        on purchase_days.purchase_date <= fit_periods.period_end_date
    group by
        purchase_days.customer_id,
        fit_periods.fit_period,
        fit_periods.period_end_date

),

flagged as (

    select
        *,
        orders_with_margin = completed_orders as has_complete_margin
    from period_totals

),

overall_margin as (

    select
        fit_period,
        sum(cast(margin_total as {{ drilldown.type_double() }}))
        / nullif(sum(cast(revenue_total as {{ drilldown.type_double() }})), 0) as margin_rate
    from flagged
    where has_complete_margin and revenue_total > 0
    group by fit_period

),

final as (

    select
        flagged.customer_id,
        flagged.fit_period,
        flagged.period_end_date,
        cast(flagged.completed_orders as integer) as completed_orders,
        {{ drilldown.money('flagged.revenue_total', true) }} as revenue_total,
        {{ drilldown.money('flagged.margin_total', true) }} as margin_total,
        flagged.has_complete_margin,
        {%- if margin_rate_var is not none %}
        cast({{ margin_rate_var }} as {{ drilldown.type_double() }}) as margin_rate,
        cast('margin' as {{ dbt.type_string() }}) as clv_value_basis,
        {%- else %}
        cast(
            case
                when flagged.has_complete_margin and flagged.revenue_total > 0
                    then
                        cast(flagged.margin_total as {{ drilldown.type_double() }})
                        / cast(flagged.revenue_total as {{ drilldown.type_double() }})
                when overall_margin.margin_rate is not null then overall_margin.margin_rate
                else 1.0
            end as {{ drilldown.type_double() }}
        ) as margin_rate,
        cast(
            case
                when flagged.has_complete_margin and flagged.revenue_total > 0 then 'margin'
                when overall_margin.margin_rate is not null then 'margin'
                else 'revenue'
            end as {{ dbt.type_string() }}
        ) as clv_value_basis,
        {%- endif %}
        cast(
            case when flagged.has_complete_margin then 'margin' else 'revenue' end as {{ dbt.type_string() }}
        ) as value_basis,
        {{ drilldown.money(
            'case when flagged.has_complete_margin then flagged.margin_total else flagged.revenue_total end', true
        ) }} as cumulative_value
    from flagged
    left join overall_margin
        on flagged.fit_period = overall_margin.fit_period

)

select * from final
