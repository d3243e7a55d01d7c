"""drilldown as a package (docs/decisions.md#package-inputs): the input vars are checked, and their errors name the
var, the key and the user's column. The package build itself is `make integration-test` (integration_tests/)."""

from __future__ import annotations

from pathlib import Path

import duckdb
from conftest import REPO, run_dbt


def test_column_map_errors_name_the_var_the_key_and_the_users_column(tmp_path: Path) -> None:
    """An unknown key in drilldown_orders_columns; a customers column the map names that the table does not have
    (optional in the contract, but a typo must not read as absent). dbt compile stops at the first error: two runs
    with the same vars, so the second reuses the first one's parse."""
    db_path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(db_path)) as connection:
        connection.execute("create schema shop")
        connection.execute("create table shop.orders_export (order_id varchar, buyer_id varchar, ordered_at varchar, amount varchar)")
        connection.execute("create table shop.customers_export (customer_id varchar, created varchar)")
    dbt_vars = {
        "drilldown_schema": "shop",
        "drilldown_orders_identifier": "orders_export",
        "drilldown_customers_identifier": "customers_export",
        "drilldown_orders_columns": {"customer_id": "buyer_id", "ordred_at": "created_at"},
        "drilldown_customers_columns": {"acquired_at": "signup_date"},
    }
    cases = [
        ("base_shop__orders",
         "var drilldown_orders_columns has an unknown key 'ordred_at': the columns of input 'orders' are order_id, "
         "customer_id, ordered_at, amount, gross_margin, discount, status, channel, product_category"),
        ("base_shop__customers",
         "input file 'customers' (table \"warehouse\".\"shop\".\"customers_export\") is missing required column(s): "
         "signup_date (contract column acquired_at, var drilldown_customers_columns). Columns found: created, customer_id"),
    ]  # fmt: skip
    for model, message in cases:
        result = run_dbt(["compile", "--select", model], db_path, tmp_path, dbt_vars, check=False)
        assert result.returncode != 0
        assert message in " ".join(result.stdout.split())


def test_integration_project_installs_this_repository() -> None:
    """The integration project is a separate dbt project that installs drilldown from ../ (packages.yml)."""
    import yaml

    project = REPO / "integration_tests"
    packages = yaml.safe_load((project / "packages.yml").read_text())["packages"]
    assert packages == [{"local": "../"}]
    assert yaml.safe_load((project / "dbt_project.yml").read_text())["name"] != "drilldown"
