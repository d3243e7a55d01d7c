{#- BG/NBD and Gamma-Gamma predictions per customer × fit period × horizon (docs/decisions.md#clv-models),
    the closed forms in SQL:
    - P(alive) = 1 / (1 + [x > 0] · a / (b + x − 1) · ((α + T) / (α + t_x))^(r + x));
    - P(no purchase in the next h days) = 1 − P(alive) + P(alive) · ((α + T) / (α + T + h))^(r + x),
      so probability_ordering = P(alive) · (1 − ((α + T) / (α + T + h))^(r + x));
    - E[repeat purchase days in h] = (a + b + x − 1) / (a − 1) · (1 − hypergeometric_term) · P(alive), the
      term from int_clv_terms (its 2F1 is computed in Python), and the same with the discounted weight;
    - Gamma-Gamma conditional mean spend (p · (v + x · m)) / (p · x + q − 1), the population mean p · v / (q − 1)
      for customers without repeat purchase days.
    Powers are taken in logs, clamped at e^±700 (Postgres raises on float overflow and underflow). All null when the
    period's fit did not converge. -#}

with

customer_periods as (

    select * from {{ ref('int_customer_btyd_periods') }}

),

parameters as (

    select * from {{ ref('int_clv_parameters') }}

),

horizons as (

    select * from {{ ref('int_clv_horizons') }}

),

terms as (

    select * from {{ ref('int_clv_terms') }}

),

fits as (

    select
        fit_period,
        max(case when parameter_name = 'r' then parameter_value end) as r,
        max(case when parameter_name = 'alpha' then parameter_value end) as alpha,
        max(case when parameter_name = 'a' then parameter_value end) as a,
        max(case when parameter_name = 'b' then parameter_value end) as b,
        max(case when parameter_name = 'p' then parameter_value end) as p,
        max(case when parameter_name = 'q' then parameter_value end) as q,
        max(case when parameter_name = 'v' then parameter_value end) as v
    from parameters
    group by fit_period

),

customer_fits as (

    select
        customer_periods.customer_id,
        customer_periods.fit_period,
        customer_periods.frequency,
        customer_periods.recency,
        customer_periods.t,
        customer_periods.monetary_value,
        fits.r,
        fits.alpha,
        fits.a,
        fits.b,
        fits.p,
        fits.q,
        fits.v,
        case
            when customer_periods.frequency > 0
                then
                    ln(fits.a) - ln(fits.b + customer_periods.frequency - 1)
                    + (fits.r + customer_periods.frequency)
                    * (ln(fits.alpha + customer_periods.t) - ln(fits.alpha + customer_periods.recency))
        end as log_death_odds
    from customer_periods
    inner join fits
        on customer_periods.fit_period = fits.fit_period

),

customer_values as (

    select
        customer_id,
        fit_period,
        frequency,
        t,
        r,
        alpha,
        a,
        b,
        case
            when r is null then null
            when frequency = 0 then 1.0
            when log_death_odds > 700 then 0.0
            when log_death_odds < -700 then 1.0
            else 1.0 / (1.0 + exp(log_death_odds))
        end as probability_alive,
        case
            when p is null or q <= 1 then null
            when frequency > 0 then p * (v + frequency * monetary_value) / (p * frequency + q - 1)
            else p * v / (q - 1)
        end as expected_order_value
    from customer_fits

),

customer_horizons as (

    select
        customer_values.customer_id,
        customer_values.fit_period,
        horizons.horizon_days,
        customer_values.probability_alive,
        customer_values.expected_order_value,
        (customer_values.a + customer_values.b + customer_values.frequency - 1)
        / nullif(customer_values.a - 1, 0) as expectation_scale,
        customer_values.probability_alive * (
            1.0 - exp(greatest(
                (customer_values.r + customer_values.frequency) * (
                    ln(customer_values.alpha + customer_values.t)
                    - ln(customer_values.alpha + customer_values.t + horizons.horizon_days)
                ),
                -700.0
            ))
        ) as probability_ordering,
        terms.hypergeometric_term,
        terms.discounted_repeat_weight
    from customer_values
    inner join horizons
        on customer_values.fit_period = horizons.fit_period
    left join terms
        on
            customer_values.fit_period = terms.fit_period
            and customer_values.frequency = terms.frequency
            and customer_values.t = terms.t
            and horizons.horizon_days = terms.horizon_days

),

final as (

    select
        customer_id,
        fit_period,
        horizon_days,
        cast(probability_alive as {{ drilldown.type_double() }}) as probability_alive,
        cast(
            expectation_scale * (1.0 - hypergeometric_term) * probability_alive as {{ drilldown.type_double() }}
        ) as expected_orders,
        cast(
            expectation_scale * discounted_repeat_weight * probability_alive as {{ drilldown.type_double() }}
        ) as discounted_expected_orders,
        cast(probability_ordering as {{ drilldown.type_double() }}) as probability_ordering,
        cast(expected_order_value as {{ drilldown.type_double() }}) as expected_order_value
    from customer_horizons

)

select * from final
