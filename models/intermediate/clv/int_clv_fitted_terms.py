"""The Gauss hypergeometric term of the BG/NBD expected orders, per fit period x distinct (frequency, T) x
horizon, and its discounted 30-day-step sum (docs/decisions.md#clv-models). Everything else in the
predictions is a closed form computed in SQL (int_customer_clv_scores). A dbt Python model on DuckDB;
`drilldown.py run` writes the same table elsewhere (docs/decisions.md#clv-fit-routes).
"""


def model(dbt, session):
    import clv_fit

    dbt.config(materialized="table")
    bg_nbd_inputs = dbt.ref("int_clv_bg_nbd_inputs").df()
    parameters = dbt.ref("int_clv_fitted_parameters").df()
    horizons = dbt.ref("int_clv_horizons").df()
    return clv_fit.term_table(bg_nbd_inputs, parameters, horizons)
