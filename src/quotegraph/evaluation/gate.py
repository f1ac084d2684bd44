"""The accuracy gate: pinned floors that a change may not fall below.

``floors.json`` holds, per run, the sha256 of the dev file the floors were
measured on and a floor for each figure in ``METRICS``. A run is a dev file
under default options (``ggt-dev.jsonl``) or under a profile named after it
(``polnear-dev.jsonl --attributions``: ``Options(attributions=True)``, the
PARC profile PolNeAR is measured with). ``check`` compares a fresh measurement
with them; a figure may dip by ``EPSILON`` (noise from a different machine or
library build), no more. A changed corpus fails outright: floors measured on
other data say nothing.

    python -m quotegraph.evaluation.gate [--data DIR] [--jobs N]   # measure and check
    python -m quotegraph.evaluation.gate --pin [--allow-regression]

``--pin`` writes the fresh measurement as the new floors but never lowers one:
a dip within ``EPSILON`` keeps the old floor, a larger one is refused unless
``--allow-regression`` is given.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..options import Options
from .datasets import sha256_file
from .runner import evaluate
from .versions import environment

FLOORS = Path(__file__).with_name("floors.json")
EPSILON = 0.3
# Gate figure -> where it sits in a score dict.
METRICS = {
    "overlap_f1": ("overlap", "f1"),
    "exact_f1": ("exact", "f1"),
    "end_to_end_f1": ("end_to_end", "f1"),
    "speaker_accuracy": ("speaker_accuracy",),
}

Measurement = dict[str, dict[str, Any]]  # run name -> {"sha256": ..., metric: value}
# Profiles a run name may carry after its file name, and the options they stand for.
PROFILES = {"--attributions": {"attributions": True}}


def run_of(name: str) -> tuple[str, dict[str, Any]]:
    """A run name's dev file and the options it is measured with: ``("x.jsonl", {...})``."""
    file, _, profile = name.partition(" ")
    if profile and profile not in PROFILES:
        raise ValueError(f"{name}: unknown profile {profile!r}; known: {', '.join(PROFILES)}")
    return file, PROFILES.get(profile, {})


def entry(path: str | Path, scores: Mapping[str, Any]) -> dict[str, Any]:
    """The gate's view of one scored corpus: its sha256 and the figures in ``METRICS``."""
    out: dict[str, Any] = {"sha256": sha256_file(path)}
    for metric, keys in METRICS.items():
        value: Any = scores
        for key in keys:
            value = value[key]
        out[metric] = value
    return out


def load_floors(path: Path = FLOORS) -> dict[str, Any]:
    """The pinned floors: ``{"files": {name: {"sha256", metric...}}, "pinned_with": {...}}``."""
    return json.loads(path.read_text(encoding="utf-8"))


def measure(data_dir: str | Path, names: list[str], *, jobs: int = 1) -> Measurement:
    """Run the engine for each named run (``run_of``) over ``data_dir`` and keep the gate's figures."""
    out = {}
    for name in names:
        file, settings = run_of(name)
        path = Path(data_dir) / file
        out[name] = entry(path, evaluate(path, jobs=jobs, options=Options(**settings))[0])
    return out


def check(results: Measurement, floors: Mapping[str, Any] | None = None) -> list[str]:
    """Compare measured figures with the floors.

    results: file name -> ``entry(...)`` for each measured dev file.
    floors: the pinned floors; ``floors.json`` when omitted.
    RETURNS (list[str]): one message per failure; empty when the gate passes.
    """
    pinned = (floors if floors is not None else load_floors())["files"]
    failures = []
    for name in sorted(set(results) - set(pinned)):
        failures.append(f"{name}: no floors pinned for this file; pin them with --pin")
    for name, floor in pinned.items():
        got = results.get(name)
        if got is None:
            failures.append(f"{name}: not measured")
            continue
        if got["sha256"] != floor["sha256"]:
            failures.append(f"{name}: CORPUS CHANGED: sha256 {got['sha256']} but floors were pinned on "
                            f"{floor['sha256']}; review the change, then re-pin with --pin")
            continue
        for metric in METRICS:
            if got[metric] < floor[metric] - EPSILON:
                failures.append(f"{name}: {metric} {got[metric]:.1f} is below its floor {floor[metric]:.1f}")
    return failures


def repin(floors: Mapping[str, Any], results: Measurement, *,
          allow_regression: bool = False) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """New per-file floors from a measurement, and the regressions that forbid them.

    A figure above its floor raises it; one within ``EPSILON`` below keeps the
    old floor; one further below is a regression: listed, and only written
    when ``allow_regression``.
    RETURNS (tuple): the new ``files`` mapping and the regression messages.
    """
    old = floors.get("files", {})
    files, regressions = {}, []
    for name, got in results.items():
        prev = old.get(name, {})
        new: dict[str, Any] = {"sha256": got["sha256"]}
        for metric in METRICS:
            floor = prev.get(metric, 0.0)
            if got[metric] < floor - EPSILON:
                regressions.append(f"{name}: {metric} {got[metric]:.1f} would lower the floor {floor:.1f}")
                new[metric] = got[metric] if allow_regression else floor
            else:
                new[metric] = max(got[metric], floor)
        files[name] = new
    return files, regressions


def main(argv: list[str] | None = None) -> int:
    """Measure the dev files named in ``floors.json``, then check them or re-pin."""
    ap = argparse.ArgumentParser(prog="python -m quotegraph.evaluation.gate",
                                 description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="../shared/data", help="folder of the dev files (default: %(default)s)")
    ap.add_argument("--jobs", type=int, default=2, help="engine processes (default: %(default)s)")
    ap.add_argument("--pin", action="store_true", help="write the measurement as the new floors")
    ap.add_argument("--allow-regression", action="store_true", help="with --pin: allow lowering a floor")
    args = ap.parse_args(argv)

    floors = load_floors()
    results = measure(args.data, sorted(floors["files"]), jobs=args.jobs)
    for name, got in results.items():
        print(f"{name}: " + ", ".join(f"{m} {got[m]:.1f}" for m in METRICS))
    if not args.pin:
        failures = check(results, floors)
        for failure in failures:
            print(f"FAIL {failure}", file=sys.stderr)
        return 1 if failures else 0
    files, regressions = repin(floors, results, allow_regression=args.allow_regression)
    for message in regressions:
        print(f"{'allowed' if args.allow_regression else 'REFUSED'}: {message}", file=sys.stderr)
    if regressions and not args.allow_regression:
        print("floors.json left unchanged; pass --allow-regression to lower floors", file=sys.stderr)
        return 1
    FLOORS.write_text(json.dumps({"files": files, "pinned_with": environment(Options().model)}, indent=2) + "\n",
                      encoding="utf-8")
    print(f"pinned {FLOORS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
