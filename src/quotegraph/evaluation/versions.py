"""What a measurement was made with: figures without versions cannot be compared or reproduced."""
from __future__ import annotations

import datetime
import platform
from importlib import metadata


def dist_version(dist: str) -> str:
    """Installed version of a distribution, or "not installed"."""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def environment(model: str) -> dict[str, str]:
    """Today's date and the versions of Python, quotegraph, spaCy and the spaCy pipeline ``model``."""
    return {"date": datetime.date.today().isoformat(), "python": platform.python_version(),
            "quotegraph": dist_version("quotegraph"), "spacy": dist_version("spacy"),
            "model": f"{model} {dist_version(model)}"}
