"""BG/NBD and Gamma-Gamma fitted by maximum likelihood, per fit period (docs/decisions.md#clv-models).

A dbt Python model: dbt-duckdb runs it in-process on the warehouse connection. The fit itself is
scripts/clv_fit.py (profiles.yml puts scripts/ on sys.path), which `drilldown.py run` also calls on
adapters without Python models (docs/decisions.md#clv-fit-routes). Enabled only where
drilldown.clv_fits_in_dbt() is true (see _clv__models.yml). It never fails on bad data: a fit that
cannot be made has is_converged = false and the reason in fit_note.
"""


def model(dbt, session):
    import clv_fit

    dbt.config(materialized="table")
    bg_nbd_inputs = dbt.ref("int_clv_bg_nbd_inputs").df()
    gamma_gamma_inputs = dbt.ref("int_clv_gamma_gamma_inputs").df()
    periods = dbt.ref("int_clv_fit_periods").df()
    return clv_fit.fit_tables(bg_nbd_inputs, gamma_gamma_inputs, periods)
