"""The input contract is written once (models/staging/_staging__sources.yml): the loader, the base models and
the README all read it, and these tests fail when they diverge."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import REPO, build_folder, rows
from dbt_runner import dbt_command, dbt_env
from load_input import CONTRACT_PATH, ENTITIES, InputError, contract_markdown, load_folder, read_input_contract

DIRTY = REPO / "tests" / "fixtures" / "dirty"

# What dbt's macro drilldown.input_contract() sees for every table of source `shop` (one dbt compile).
CONTRACT_AS_DBT_SEES_IT = (
    "{%- set out = {} -%}"
    "{%- for node in graph.sources.values() if node.source_name == 'shop' -%}"
    "{%- do out.update({node.name: drilldown.input_contract('shop', node.name)}) -%}"
    "{%- endfor -%}"
    "{{ tojson(out) }}"
)


def test_loader_and_dbt_models_read_the_same_contract(tmp_path: Path) -> None:
    db_path = tmp_path / "warehouse.duckdb"
    command = dbt_command(["compile", "--quiet", "--inline", CONTRACT_AS_DBT_SEES_IT], tmp_path, None, json_log=False)
    result = subprocess.run(command, cwd=REPO, env=dbt_env(db_path), capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    seen_by_dbt = json.loads(result.stdout.strip().splitlines()[-1])
    seen_by_loader = {
        entity.table: {
            "entity": entity.name,
            "is_optional_file": entity.is_optional,
            "required": list(entity.required_columns),
            "optional": list(entity.optional_columns),
            "columns": [*entity.required_columns, *entity.optional_columns],
        }
        for entity in ENTITIES
    }
    for contract in seen_by_dbt.values():  # the yml may interleave required and optional columns
        contract["columns"] = contract["required"] + contract["optional"]
    assert seen_by_dbt == seen_by_loader
    # The loader writes raw.raw_<entity>, the table the source declares.
    assert [entity.table for entity in ENTITIES] == [f"raw_{entity.name}" for entity in ENTITIES]
    assert [entity.name for entity in ENTITIES][0] == "orders" and not ENTITIES[0].is_optional


@pytest.mark.parametrize("entity", [entity.name for entity in ENTITIES])
def test_base_models_take_their_columns_from_the_contract(entity: str) -> None:
    """No base model writes a column list of its own: it selects the contract's columns through input_source(),
    the one macro that applies the package vars (table, switch, column map)."""
    table = next(item.table for item in ENTITIES if item.name == entity)
    sql = (REPO / "models" / "staging" / f"base_shop__{entity}.sql").read_text()
    assert f"drilldown.input_source('{table}')" in sql
    assert "drilldown.input_source_select(input)" in sql
    assert "input) }} as quarantine_reasons" in sql  # reasons name the user's columns
    assert "source(" not in sql.replace("input_source(", "").replace("input_source_select(", "")
    assert "column_or_null(" not in sql


def test_readme_table_is_generated_from_the_contract() -> None:
    readme = (REPO / "README.md").read_text()
    match = re.search(r"<!-- input-contract:[^\n]*-->\n(.*?)<!-- /input-contract -->", readme, re.S)
    assert match, "README.md lost its generated input-contract table markers"
    assert match.group(1) == contract_markdown(ENTITIES), f"regenerate README's table:\n{contract_markdown(ENTITIES)}"


def test_malformed_contract_names_the_file_and_column(tmp_path: Path) -> None:
    text = CONTRACT_PATH.read_text().replace("config: {meta: {required: false}}", "config: {meta: {}}", 1)
    broken = tmp_path / "sources.yml"
    broken.write_text(text)
    with pytest.raises(ValueError, match=r"sources\.yml: source table 'shop\.raw_orders': column 'gross_margin' needs"):
        read_input_contract(broken)


@pytest.mark.parametrize(("entity", "column"), [(e.name, c) for e in ENTITIES for c in e.required_columns])
def test_loader_stops_on_every_missing_required_column(entity: str, column: str, tmp_path: Path) -> None:
    data_dir = tmp_path / "input"
    shutil.copytree(DIRTY, data_dir)
    path = data_dir / f"{entity}.csv"
    with duckdb.connect() as connection:
        connection.execute(
            f"copy (select * exclude ({column}) from read_csv('{path}', all_varchar = true)) "
            f"to '{tmp_path / 'cut.csv'}' (header true)"
        )
    shutil.move(tmp_path / "cut.csv", path)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as connection, pytest.raises(InputError) as error:
        load_folder(connection, data_dir)
    assert str(error.value).startswith(f"{path}: missing required column(s) {column} ")


def test_files_with_only_the_required_columns_load_and_build(tmp_path: Path) -> None:
    """Every optional column of the contract may be absent: the loader accepts the files and staging builds."""
    data_dir = tmp_path / "input"
    data_dir.mkdir()
    with duckdb.connect() as connection:
        for entity in ENTITIES:
            source = DIRTY / f"{entity.name}.csv"
            columns = ", ".join(entity.required_columns)
            connection.execute(
                f"copy (select {columns} from read_csv('{source}', all_varchar = true)) "
                f"to '{data_dir / (entity.name + '.csv')}' (header true)"
            )
    # "+": the staging models and the seeds they read (the plans check target_segments against rfm_segments).
    _, db_path = build_folder(data_dir, tmp_path / "work", select=["+path:models/staging"])
    reconciliation = rows(
        db_path, "select entity, rows_read, is_reconciled from quarantine.data_reconciliation order by 1"
    )
    assert [entity for entity, _, _ in reconciliation] == sorted(entity.name for entity in ENTITIES)
    assert all(rows_read > 0 and is_reconciled for _, rows_read, is_reconciled in reconciliation)
    # Absent optional columns are nulls (or their documented defaults), not errors.
    assert rows(db_path, "select distinct status, gross_margin, discount, channel from staging.stg_shop__orders") == [
        ("completed", None, 0, None)
    ]
    assert rows(db_path, "select distinct acquisition_source, region from staging.stg_shop__customers") == [("unknown", None)]
