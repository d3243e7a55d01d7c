"""Issue 19: metadata for BI and analysts — dbt docs catalog, mart meta and descriptions, exposures, semantic layer.

`dbt docs generate` runs on a copy of the demo warehouse; its catalog (what the database holds) must list every
mart with exactly the columns its YAML documents. The semantic layer is queried with MetricFlow's own CLI
(`mf query`) and checked against pandas on the mart it reads.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, query, run_dbt
from dbt_runner import dbt_env

MF = Path(sys.executable).parent / "mf"
MART_META_KEYS = ("grain", "primary_key", "refresh")


def mart_nodes(manifest: dict) -> dict[str, dict]:
    """The models of the marts schema (the tables BI reads), by name."""
    return {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == "marts"
    }


def assert_catalog_lists_every_mart(target_dir: Path) -> int:
    """Every mart of manifest.json is in catalog.json with the columns its YAML lists; returns the mart count."""
    manifest = json.loads((target_dir / "manifest.json").read_text())
    catalog = json.loads((target_dir / "catalog.json").read_text())
    marts = mart_nodes(manifest)
    for name, node in marts.items():
        entry = catalog["nodes"].get(node["unique_id"])
        assert entry is not None, f"catalog.json has no {name}"
        assert entry["metadata"]["schema"] == "marts"
        documented = {column.lower() for column in node["columns"]}
        in_database = {column.lower() for column in entry["columns"]}
        assert in_database == documented, f"{name}: database {in_database ^ documented} differ from the YAML"
    return len(marts)


@pytest.fixture(scope="module")
def docs_target(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work_dir = tmp_path_factory.mktemp("docs")
    db_path = work_dir / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse, db_path)
    run_dbt(["docs", "generate", "--static"], db_path, work_dir)
    return work_dir / "target"


def test_catalog_lists_every_mart_with_its_columns(docs_target: Path) -> None:
    assert assert_catalog_lists_every_mart(docs_target) >= 27
    site = (docs_target / "static_index.html").read_text()
    assert len(site) > 100_000 and "customer_rfm" in site  # the one-file site embeds manifest and catalog


def test_every_mart_has_meta_and_every_column_a_description(docs_target: Path) -> None:
    manifest = json.loads((docs_target / "manifest.json").read_text())
    missing = []
    for name, node in mart_nodes(manifest).items():
        meta = node["config"].get("meta") or {}
        missing += [f"{name}: meta.{key}" for key in MART_META_KEYS if not meta.get(key)]
        if not node["description"].strip():
            missing.append(f"{name}: description")
        missing += [f"{name}.{column}: description" for column, spec in node["columns"].items() if not spec["description"].strip()]
        # The primary key names real columns and is what the uniqueness test checks.
        missing += [f"{name}: primary_key {key} is not a column" for key in meta.get("primary_key", []) if key not in node["columns"]]
    assert missing == []


def test_exposures_name_what_the_report_reads(docs_target: Path) -> None:
    manifest = json.loads((docs_target / "manifest.json").read_text())
    marts = mart_nodes(manifest)
    exposures = {exposure["name"]: exposure for exposure in manifest["exposures"].values()}
    assert set(exposures) == {"html_report", "excel_export", "customer_bi"}

    def read_by(exposure: str) -> set[str]:
        return {manifest["nodes"][unique_id]["name"] for unique_id in exposures[exposure]["depends_on"]["nodes"]}

    charted = set(re.findall(r'mart="([a-z_]+)"', (REPO / "scripts" / "charts.py").read_text()))
    assert read_by("html_report") == charted
    assert read_by("excel_export") == set(marts)  # the export writes every table of the marts schema
    assert read_by("customer_bi") == {"customers"}
    assert all(exposure["owner"]["email"] for exposure in exposures.values())


def _mf_query(db_path: Path, work_dir: Path, metrics: str, group_by: str) -> pd.DataFrame:
    """`mf query` as an analyst runs it. mf reads target/semantic_manifest.json under its working directory, so it
    runs in a scratch project root (links to this project's files) with its own freshly parsed manifest."""
    root = work_dir / "project"
    root.mkdir()
    for item in ("dbt_project.yml", "models", "macros", "seeds", "tests", "analyses", "scripts"):
        (root / item).symlink_to(REPO / item)
    env = dbt_env(db_path)
    subprocess.run([str(MF.parent / "dbt"), "parse", "--quiet"], cwd=root, env=env, check=True, capture_output=True)
    out = work_dir / "mf.csv"
    result = subprocess.run(
        [str(MF), "query", "--metrics", metrics, "--group-by", group_by, "--csv", str(out)],
        cwd=root, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0 and out.exists(), result.stdout[-3000:] + result.stderr[-3000:]
    return pd.read_csv(out, keep_default_na=False, na_values=[""])


def test_semantic_layer_metrics_equal_sql_on_the_marts(demo_warehouse: Path, tmp_path: Path) -> None:
    db_path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse, db_path)
    got = _mf_query(db_path, tmp_path, "customers,revenue_per_customer", "customer__rfm_segment")
    customers = query(demo_warehouse, "select rfm_segment, revenue_total from marts.customers")
    customers["revenue_total"] = customers["revenue_total"].astype(float)
    expected = customers.groupby(customers["rfm_segment"].fillna(""), dropna=False)["revenue_total"].agg(["size", "mean"])
    got["customer__rfm_segment"] = got["customer__rfm_segment"].fillna("")
    got = got.set_index("customer__rfm_segment").sort_index()
    expected = expected.sort_index()
    assert list(got.index) == list(expected.index) and len(got) >= 10
    assert got["customers"].tolist() == expected["size"].tolist()
    assert got["revenue_per_customer"].to_numpy() == pytest.approx(expected["mean"].to_numpy(), rel=1e-9)


LAYERS = ("staging", "intermediate", "marts")


def test_each_layer_reads_only_its_own_and_earlier_layers() -> None:
    """The folder tree is the data flow: staging reads sources (and staging), an intermediate model reads
    staging and intermediate models, never a mart (issue 14). Read from the SQL's ref() calls."""
    layer_of = {path.stem: path.relative_to(REPO / "models").parts[0] for path in (REPO / "models").rglob("*.sql")}
    assert {"staging", "intermediate", "marts"} <= set(layer_of.values())
    backwards = []
    for path in (REPO / "models").rglob("*.sql"):
        layer = layer_of[path.stem]
        for ref in re.findall(r"ref\(\s*['\"]([a-z0-9_]+)['\"]\s*\)", path.read_text()):
            read = layer_of.get(ref)
            if read in LAYERS and layer in LAYERS and LAYERS.index(read) > LAYERS.index(layer):
                backwards.append(f"{path.relative_to(REPO)} ({layer}) reads {ref} ({read})")
    assert backwards == []


def test_only_the_publishing_marts_are_views_on_duckdb(demo_warehouse: Path) -> None:
    """The marts that publish one upstream model as it is are views on DuckDB (no second copy of the rows), every
    other mart a table (docs/decisions.md#marts-that-publish-an-intermediate); test_postgres checks the tables there."""
    kinds = query(demo_warehouse, "select table_name, table_type from information_schema.tables where table_schema = 'marts'")
    views = sorted(kinds.loc[kinds["table_type"] == "VIEW", "table_name"])
    assert views == ["customer_btyd_summary", "customer_rfm", "customer_value_windows", "recent_repeaters"]
    assert len(kinds) >= 27
