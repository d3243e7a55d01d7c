"""The local Spark session of profiles.yml's `spark` target, for the steps that run outside dbt.

dbt-spark (method: session) starts Spark inside the dbt process with the target's server_side_parameters.
The loader (load_input.load_folder_spark), the CLV fit (clv_fit.fit_spark) and the tests start their own
session with exactly the same settings, read from the same profile, so they see the same warehouse folder and
metastore (DRILLDOWN_SPARK_DIR). Derby, the metastore's database, admits one process at a time: these steps run
between dbt commands, never beside one.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import yaml

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

PROFILES = Path(__file__).resolve().parents[1] / "profiles.yml"


class SparkSetupError(Exception):
    """The Spark target cannot start: pyspark not installed, Java or DRILLDOWN_SPARK_DIR missing."""


def _env_var(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise SparkSetupError(f"environment variable {name} is not set (the Spark target needs it; see README 'Run on Spark')")
    return value


def spark_conf(profiles: Path = PROFILES) -> dict[str, str]:
    """The `spark` output's server_side_parameters, rendered as dbt renders them (env_var), plus the ANSI
    setting dbt-spark forces."""
    environment = jinja2.Environment(autoescape=False)
    environment.globals["env_var"] = _env_var
    environment.filters["as_number"] = lambda value: value
    document = yaml.safe_load(environment.from_string(profiles.read_text(encoding="utf-8")).render())
    parameters = document["drilldown"]["outputs"]["spark"]["server_side_parameters"]
    return {**{str(key): str(value) for key, value in parameters.items()}, "spark.sql.ansi.enabled": "false"}


def spark_session() -> SparkSession:
    """The session (started on first use, with Hive support: tables are in the metastore)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkSetupError("pyspark is not installed: run `make spark-setup` (installs requirements-spark.txt)") from None
    builder = SparkSession.builder.enableHiveSupport()
    for key, value in spark_conf().items():
        builder = builder.config(key, value)
    return builder.getOrCreate()
