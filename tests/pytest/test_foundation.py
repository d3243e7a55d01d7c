"""Issue 3: staging, quarantine, reconciliation and the file-level contract."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import BUILD_ARGS, REPO, build_folder, query, rows, run_dbt
from load_input import InputError, load_folder

DIRTY = REPO / "tests" / "fixtures" / "dirty"


def test_demo_reconciles_and_nothing_is_lost(demo_warehouse: Path, demo_raw: dict) -> None:
    reconciliation = query(demo_warehouse, "select * from quarantine.data_reconciliation order by entity")
    assert reconciliation["is_reconciled"].all()
    by_entity = reconciliation.set_index("entity")
    for entity, frame in demo_raw.items():
        assert by_entity.loc[entity, "rows_read"] == len(frame)
        assert by_entity.loc[entity, "rows_staged"] + by_entity.loc[entity, "rows_quarantined"] == len(frame)
    # The demo files are clean: everything is staged.
    assert by_entity["rows_quarantined"].sum() == 0


def test_demo_as_of_date_is_day_after_latest_order(demo_warehouse: Path, demo_raw: dict) -> None:
    latest = demo_raw["orders"]["ordered_at"].str[:10].max()
    as_of = query(demo_warehouse, "select cast(as_of_date as varchar) as d from staging.base_as_of_date")["d"][0]
    assert latest == "2025-12-31"
    assert as_of == "2026-01-01"


def test_demo_money_is_exact_to_the_cent(demo_warehouse: Path, demo_raw: dict) -> None:
    from decimal import Decimal

    expected = sum(Decimal(value) for value in demo_raw["orders"]["amount"])
    staged = query(demo_warehouse, "select cast(sum(amount) as varchar) as total from staging.stg_shop__orders")
    assert Decimal(staged["total"][0]) == expected


def test_dirty_rows_are_quarantined_with_their_reasons(dirty_warehouse: Path) -> None:
    orders = query(dirty_warehouse, "select order_id, ordered_at, quarantine_reasons from quarantine.quarantine_orders")
    reasons = {(row.order_id, row.ordered_at): row.quarantine_reasons for row in orders.itertuples()}
    assert reasons == {
        ("3", "2025-13-45"): "unparseable_ordered_at",
        ("4", "2025-03-01"): "null_customer_id",
        ("2", "2025-02-11"): "duplicate_order_id",  # the later copy of order 2
        ("5", "2025-03-03"): "negative_amount",
        ("8", "2025-03-06"): "unparseable_gross_margin",
    }
    staged = query(dirty_warehouse, "select order_id, status, cast(amount as varchar) as amount from staging.stg_shop__orders order by order_id")
    assert staged["order_id"].tolist() == ["1", "2", "6", "7"]
    # A negative amount on a return is allowed; status case is normalised.
    assert staged.set_index("order_id").loc["6", "amount"] == "-15.00"
    assert staged.set_index("order_id").loc["7", "status"] == "completed"


def test_dirty_contacts_customers_campaigns(dirty_warehouse: Path) -> None:
    contacts = query(dirty_warehouse, "select campaign_id, customer_id, quarantine_reasons from quarantine.quarantine_campaign_contacts")
    assert sorted(contacts.itertuples(index=False, name=None)) == sorted(
        [
            ("spring", "c", "contact_in_multiple_arms"),
            ("spring", "c", "contact_in_multiple_arms"),
            ("spring", "d", "duplicate_contact"),
            ("nope", "a", "unknown_campaign"),
            ("spring", "e", "invalid_is_control"),
        ]
    )
    campaigns = query(dirty_warehouse, "select campaign_id, quarantine_reasons from quarantine.quarantine_campaigns")
    assert campaigns.values.tolist() == [["broken", "unparseable_starts_at; invalid_response_window_days"]]
    customers = rows(dirty_warehouse, "select customer_id, quarantine_reasons from quarantine.quarantine_customers order by 2")
    assert customers == [("b", "duplicate_customer_id"), (None, "null_customer_id")]
    plans = rows(dirty_warehouse, "select plan_id, plan_name, quarantine_reasons from quarantine.quarantine_campaign_plans order by 1")
    assert plans == [
        (
            "guess",
            "Guess",
            "unknown_target_segment; invalid_min_probability_ordering; invalid_max_contacts; invalid_cost_per_contact;"
            " invalid_fixed_cost; invalid_offer_discount_pct; invalid_margin_rate; invalid_assumed_relative_lift;"
            " both_lift_sources; unknown_based_on_campaign",
        ),
        ("next_spring", "Copy", "duplicate_plan_id"),  # the later copy
    ]
    # Brackets, `;` and spaces in the list are tolerated; the staged list is lower-case and `,`-separated.
    assert rows(dirty_warehouse, "select plan_id, target_segments from staging.stg_shop__campaign_plans") == [
        ("next_spring", "at_risk,lost")
    ]


def test_dirty_reconciles(dirty_warehouse: Path) -> None:
    reconciliation = query(dirty_warehouse, "select entity, rows_read, rows_staged, rows_quarantined from quarantine.data_reconciliation order by entity")
    assert reconciliation.values.tolist() == [
        ["campaign_contacts", 8, 3, 5],
        ["campaign_plans", 3, 1, 2],
        ["campaigns", 2, 1, 1],
        ["customers", 4, 2, 2],
        ["order_lines", 10, 3, 7],
        ["orders", 9, 4, 5],
        ["social_mentions", 9, 3, 6],
    ]


def test_as_of_var_quarantines_later_orders(tmp_path: Path) -> None:
    _, db_path = build_folder(DIRTY, tmp_path, dbt_vars={"as_of_date": "2025-03-04"})
    quarantined = rows(db_path, "select order_id, quarantine_reasons from quarantine.quarantine_orders where quarantine_reasons like '%after%' order by 1")
    # Every reason a row breaks is listed, not just the first.
    assert quarantined == [("7", "ordered_after_as_of_date"), ("8", "unparseable_gross_margin; ordered_after_as_of_date")]
    as_of = query(db_path, "select cast(as_of_date as varchar) from staging.base_as_of_date").iloc[0, 0]
    assert as_of == "2025-03-04"


def test_missing_required_column_names_file_and_column(tmp_path: Path) -> None:
    data_dir = tmp_path / "input"
    shutil.copytree(DIRTY, data_dir)
    (data_dir / "orders.csv").write_text("order_id,customer_id,ordered_at\n1,a,2025-01-01\n")
    with duckdb.connect(str(tmp_path / "w.duckdb")) as connection, pytest.raises(InputError) as error:
        load_folder(connection, data_dir)
    assert "orders.csv" in str(error.value)
    assert "missing required column(s) amount" in str(error.value)


def test_parquet_is_read_in_place_and_csv_copied(tmp_path: Path) -> None:
    """raw.raw_<entity> of a Parquet file is a view over it (no copy); of a CSV file a table. Reloading the same
    warehouse from the other format replaces either kind, and an entity absent on reload loses its raw object."""
    parquet_dir, csv_dir = tmp_path / "parquet", tmp_path / "csv"
    shutil.copytree(DIRTY, csv_dir)
    parquet_dir.mkdir()
    with duckdb.connect() as connection:
        for name in ("orders", "customers"):
            csv_file = str(DIRTY / f"{name}.csv")
            connection.execute(f"copy (select * from read_csv('{csv_file}', all_varchar = true)) to '{parquet_dir / (name + '.parquet')}' (format parquet)")
    expected_orders = len((DIRTY / "orders.csv").read_text().strip().splitlines()) - 1
    db_path = tmp_path / "w.duckdb"

    def raw_kinds() -> dict[str, str]:
        return dict(rows(db_path, "select table_name, table_type from information_schema.tables where table_schema = 'raw'"))

    with duckdb.connect(str(db_path)) as connection:
        loaded = load_folder(connection, parquet_dir)
    assert loaded["orders"] == expected_orders
    assert raw_kinds() == {"raw_orders": "VIEW", "raw_customers": "VIEW"}
    # The view reads the file by its absolute path: another working directory sees the same rows.
    assert rows(db_path, "select count(*) from raw.raw_orders") == [(expected_orders,)]
    with duckdb.connect(str(db_path)) as connection:
        load_folder(connection, csv_dir)
    assert raw_kinds()["raw_orders"] == "BASE TABLE" and raw_kinds()["raw_customers"] == "BASE TABLE"
    with duckdb.connect(str(db_path)) as connection:
        assert load_folder(connection, parquet_dir)["orders"] == expected_orders
    assert raw_kinds() == {"raw_orders": "VIEW", "raw_customers": "VIEW"}  # the CSV-only tables are gone too


def test_missing_required_column_stops_dbt_too(tmp_path: Path) -> None:
    """The staging models check the contract themselves, for raw tables loaded by other means."""
    work_dir = tmp_path / "work"
    work_dir.mkdir()
    db_path = work_dir / "warehouse.duckdb"
    with duckdb.connect(str(db_path)) as connection:
        load_folder(connection, DIRTY)
        connection.execute("alter table raw.raw_orders drop column amount")
    result = run_dbt(BUILD_ARGS, db_path, work_dir, check=False)
    assert result.returncode != 0
    assert "input file 'orders'" in result.stdout
    assert "missing required column(s): amount" in result.stdout


def test_customers_file_is_optional(tmp_path: Path) -> None:
    data_dir = tmp_path / "input"
    data_dir.mkdir()
    shutil.copy(DIRTY / "orders.csv", data_dir / "orders.csv")
    _, db_path = build_folder(data_dir, tmp_path / "work")
    spine = rows(db_path, "select customer_id, acquisition_source, cast(acquired_date as varchar) from intermediate.int_customers_acquired order by 1")
    # Without a customers file: acquired = first completed order; c has only a return, so no acquisition date.
    assert spine == [("a", "unknown", "2025-01-05"), ("b", "unknown", "2025-03-05"), ("c", "unknown", None)]
    # Without social_mentions there is nothing to judge advocacy by: null tiers (not 'none'), an empty advocate_value.
    assert rows(db_path, "select count(*), count(advocate_tier), count(is_silent_high_value) from marts.customers") == [(3, 0, 0)]
    assert rows(db_path, "select count(*) from marts.advocate_value") == [(0,)]
    assert rows(db_path, "select rows_read, rows_unmatched, is_reconciled from quarantine.data_reconciliation where entity = 'social_mentions'") == [(0, 0, True)]


def test_typed_parquet_input_is_staged_like_its_text(tmp_path: Path) -> None:
    """A typed Parquet file skips the text round trip (source_column_kind): same rows as the CSV of it."""
    typed_rows = (
        "select * from (values"
        " (1, 'a', timestamp '2025-01-05 00:00:00', 50.0::double, 20.00::decimal(12, 2), 'completed'),"
        " (2, 'a', timestamp '2025-02-10 14:30:00', 75.5::double, 30.00, 'completed'),"
        " (2, 'a', timestamp '2025-02-11 00:00:00', 80.0::double, 31.00, 'completed'),"
        " (3, 'b', timestamp '2025-03-01 00:00:00', 'nan'::double, 1.00, 'completed'),"
        " (4, 'b', timestamp '2025-03-02 00:00:00', 'inf'::double, 1.00, 'completed'),"
        " (5, 'c', timestamp '2025-03-03 00:00:00', -10.0::double, -4.00, 'completed'),"
        " (6, 'c', null, 12.25::double, null, 'returned'),"
        " (7, 'd', timestamp '2025-03-05 08:00:00', null, 16.00, 'Completed'),"
        " (null, 'd', timestamp '2025-03-06 00:00:00', 1e-7::double, 1.00, 'completed')"
        ") as t(order_id, customer_id, ordered_at, amount, gross_margin, status)"
    )
    reasons_by_format = {}
    for name, options in (("parquet", "format parquet"), ("csv", "format csv, header true")):
        folder = tmp_path / name
        folder.mkdir()
        for other in ("customers.csv", "campaigns.csv", "campaign_contacts.csv"):
            shutil.copy(DIRTY / other, folder / other)
        with duckdb.connect() as connection:
            connection.execute(f"copy ({typed_rows}) to '{folder / ('orders.' + name)}' ({options})")
        _, db_path = build_folder(folder, tmp_path / f"{name}-build", select=["+stg_shop__orders", "quarantine_orders"])
        kinds = rows(db_path, "select data_type from information_schema.columns where table_name = 'raw_orders' and column_name = 'amount'")
        assert kinds == [("DOUBLE",) if name == "parquet" else ("VARCHAR",)]
        quarantined = rows(db_path, "select order_id, amount, quarantine_reasons from quarantine.quarantine_orders order by 1, 3")
        staged = rows(db_path, "select order_id, customer_id, cast(ordered_at as varchar), cast(amount as varchar), cast(gross_margin as varchar), status from staging.stg_shop__orders order by 1")
        reasons_by_format[name] = ([(order_id, reasons) for order_id, _, reasons in quarantined], staged)
        if name == "parquet":
            # NaN and infinity are unparseable amounts, as their text is; the quarantine shows the raw value as text.
            assert quarantined == [
                ("2", "80.0", "duplicate_order_id"),
                ("3", "nan", "unparseable_amount"),
                ("4", "inf", "unparseable_amount"),
                ("5", "-10.0", "negative_amount"),
                ("6", "12.25", "null_ordered_at"),
                ("7", None, "null_amount"),
                (None, "1e-07", "null_order_id"),
            ]
            assert staged == [("1", "a", "2025-01-05 00:00:00", "50.00", "20.00", "completed"),
                              ("2", "a", "2025-02-10 14:30:00", "75.50", "30.00", "completed")]  # fmt: skip
    assert reasons_by_format["parquet"] == reasons_by_format["csv"]


def test_unit_test_names_fit_postgres_identifiers() -> None:
    """dbt names a unit test's relation after the test; Postgres refuses identifiers over 63 characters."""
    import yaml

    too_long = [
        (str(path.relative_to(REPO)), test["name"])
        for path in sorted((REPO / "models").rglob("*.yml"))
        for test in (yaml.safe_load(path.read_text()) or {}).get("unit_tests") or []
        if len(test["name"]) > 63
    ]
    assert too_long == []
