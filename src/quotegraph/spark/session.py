"""The SparkSession quotegraph's jobs run in, and the checks that make a missing Spark a one-line error.

Run by ``quotegraph spark ...`` on a laptop, a job gets a local Spark
(``local[*]``, or ``--master``) bound to the loopback interface with its web
UI off: nothing listens on the network. Run by ``spark-submit``, it takes the
session spark-submit configured (master, executors, memory) and changes
nothing. Either way the Python workers run the interpreter that runs the
driver, so they import the same quotegraph and the same spaCy model.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Messages, SparkError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

LOOPBACK = "127.0.0.1"
# Shuffle partitions per local core: one, so that small jobs are not cut into Spark's default 200 tasks;
# extraction cuts its own work finer (``extract.TASKS_PER_CORE``).
PARTITIONS_PER_CORE = 1
_LOCAL_CORES = re.compile(r"local\[(\d+|\*)")


def require_pyspark() -> None:
    """Raise ``SparkError`` (E080) when pyspark is not installed."""
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise SparkError(Messages.E080) from exc


def java() -> str:
    """The ``java`` Spark will start: ``$JAVA_HOME/bin/java``, else the one on PATH; ``SparkError`` (E081) if none."""
    home = os.environ.get("JAVA_HOME")
    found = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if not found or not os.access(found, os.X_OK):
        raise SparkError(Messages.E081)
    return found


def submitted() -> bool:
    """Whether spark-submit started this Python (it hands the driver its JVM's gateway port)."""
    return "PYSPARK_GATEWAY_PORT" in os.environ


def local_cores(master: str) -> int | None:
    """How many cores a ``local[N]`` master runs on (``local[*]``: this machine's); None when not local."""
    if master == "local":
        return 1
    found = _LOCAL_CORES.match(master)
    if not found:
        return None
    return (os.cpu_count() or 1) if found[1] == "*" else int(found[1])


def session(*, master: str | None = None, app: str = "quotegraph") -> SparkSession:
    """The active SparkSession, or a new one.

    master (str): where to run: ``local[2]``, ``spark://host:7077``, ``yarn``...;
        None keeps what spark-submit set, else runs locally on every core (``local[*]``).
    A local session binds to loopback (``SPARK_LOCAL_IP``), runs without its web UI
    and shuffles into ``PARTITIONS_PER_CORE`` partitions a core.
    Raises ``SparkError`` when pyspark (E080) or Java (E081) is missing.
    """
    require_pyspark()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.appName(app)
    if submitted() and master is None:
        return builder.getOrCreate()
    java()
    master = master or "local[*]"
    # Workers run this interpreter, so they import this quotegraph (and find its model).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = builder.master(master)
    cores = local_cores(master)
    if cores is not None:
        os.environ["SPARK_LOCAL_IP"] = LOOPBACK
        builder = (builder.config("spark.driver.host", LOOPBACK)
                   .config("spark.driver.bindAddress", LOOPBACK)
                   .config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.shuffle.partitions", str(PARTITIONS_PER_CORE * cores))
                   .config("spark.default.parallelism", str(PARTITIONS_PER_CORE * cores)))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
