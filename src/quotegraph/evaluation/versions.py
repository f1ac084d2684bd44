"""What a measurement was made with: figures without versions cannot be compared or reproduced."""
from __future__ import annotations

import datetime
import platform
import subprocess
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


def dist_version(dist: str) -> str:
    """Installed version of a distribution, or "not installed"."""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def source_commit() -> str:
    """The git commit quotegraph's source is at, with "+" when it has uncommitted changes.

    The version number stays put while the engine changes daily; the commit
    says which engine a dated figure belongs to. Empty outside a git checkout.
    """
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=PACKAGE, capture_output=True, text=True,
                              check=True).stdout.strip()

    try:
        head = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--", ".")
    except (OSError, subprocess.CalledProcessError):
        return ""
    return head + ("+" if dirty else "")


def environment(model: str) -> dict[str, str]:
    """Today's date and the versions of Python, quotegraph (and its commit), spaCy and the pipeline ``model``."""
    commit = source_commit()
    return {"date": datetime.date.today().isoformat(), "python": platform.python_version(),
            "quotegraph": dist_version("quotegraph") + (f" ({commit})" if commit else ""),
            "spacy": dist_version("spacy"), "model": f"{model} {dist_version(model)}"}
