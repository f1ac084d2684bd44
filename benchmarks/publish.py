"""Where every benchmark's report goes: printed, and kept under ``benchmarks/results/`` (or the
script's ``--out``), where the tables in the READMEs are copied from."""
from __future__ import annotations

from pathlib import Path


def publish(text: str, out: Path) -> None:
    print(text)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
