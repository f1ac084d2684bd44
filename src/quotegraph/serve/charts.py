"""Charts as SVG geometry, drawn on the server: no script, no library, nothing from a CDN.

Each function turns a series into the coordinates of what to draw (bars,
points, labels, axis ticks) in a plain dict; ``templates/charts.html`` writes
them out as inline SVG, with every label escaped like any other text. The
Content-Security-Policy allows no inline styles, so sizes are SVG attributes
and colours are classes of ``static/style.css``.
"""
from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

GENDERS = ("female", "male", "unknown")  # in stacking order; any other value is drawn as "other"
LABEL_CHARS = 26


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"


def _nice_max(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least ``value``."""
    if value <= 0:
        return 1
    power = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def bars(items: Sequence[tuple[str, float, str | None]], *, width: int = 640, row: int = 26,
         label_width: int = 200) -> dict[str, Any]:
    """Horizontal bars, one per (label, value, link or None), longest first as given."""
    top = max((v for _, v, _ in items), default=0) or 1
    span = width - label_width - 60
    rows = [{"label": _short(label), "full": label, "value": value, "href": href, "y": i * row,
             "width": round(max(value / top * span, 1.5 if value else 0), 1), "x": label_width,
             "text_x": round(label_width + value / top * span + 6, 1)}
            for i, (label, value, href) in enumerate(items)]
    return {"width": width, "height": max(row * len(rows), row), "row": row, "rows": rows,
            "label_x": label_width - 8}


def _days(first: str, last: str) -> list[str]:
    start, end = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
    return [(start + datetime.timedelta(days=i)).isoformat() for i in range((end - start).days + 1)]


def _valid_day(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def per_period(points: Sequence[Sequence[Any]], *, max_columns: int = 120) -> list[tuple[str, int]]:
    """Counts per ISO day with the empty days between filled in, or per month when the days are too
    many to draw (or are not all full dates)."""
    points = [(str(d), int(n)) for d, n in points if d]
    if not points:
        return []
    if all(len(d) == 10 and _valid_day(d) for d, _ in points):
        days = _days(points[0][0], points[-1][0])
        if len(days) <= max_columns:
            counts = dict(points)
            return [(d, counts.get(d, 0)) for d in days]
    months: dict[str, int] = {}
    for d, n in points:
        months[d[:7]] = months.get(d[:7], 0) + n
    return sorted(months.items())


def columns(points: Sequence[tuple[str, float]], *, width: int = 640, height: int = 200) -> dict[str, Any]:
    """Vertical columns over periods (days or months) in order, with a value axis and a few period labels."""
    left, bottom, top_pad = 40, 24, 10
    plot_w, plot_h = width - left - 8, height - bottom - top_pad
    top = _nice_max(max((v for _, v in points), default=0))
    step = plot_w / max(len(points), 1)
    gap = max(min(step * 0.2, 4), step - 48)  # columns at most 48 wide, however few
    label_every = max(1, len(points) // 5)
    cols = []
    for i, (period, value) in enumerate(points):
        h = value / top * plot_h
        cols.append({"period": period, "value": value, "x": round(left + i * step + gap / 2, 1),
                     "y": round(top_pad + plot_h - h, 1), "width": round(max(step - gap, 1), 1),
                     "height": round(h, 1), "label": period if i % label_every == 0 else None,
                     "label_x": round(left + i * step + step / 2, 1)})
    ticks = [{"value": _tick(top * f), "y": round(top_pad + plot_h - f * plot_h, 1)} for f in (0, 0.5, 1)]
    return {"width": width, "height": height, "columns": cols, "ticks": ticks, "left": left,
            "base": top_pad + plot_h, "right": width - 8, "label_y": height - 6}


def _tick(value: float) -> str:
    return f"{value:g}" if value < 10_000 else f"{value / 1000:g}k"


def stacked_shares(rows: Sequence[Sequence[Any]], *, width: int = 640, row: int = 26,
                   label_width: int = 150) -> dict[str, Any]:
    """For each (label, {gender: people}) a bar of 100% split by gender, with the shares as titles."""
    span = width - label_width - 50
    out = []
    for i, (label, counts) in enumerate(rows):
        total = sum(counts.values())
        x = float(label_width)
        parts = []
        keys = [g for g in GENDERS if g in counts] + sorted(g for g in counts if g not in GENDERS)
        for gender in keys:
            share = counts[gender] / total if total else 0
            w = share * span
            parts.append({"gender": gender, "kind": gender if gender in GENDERS else "other",
                          "people": counts[gender], "share": share, "x": round(x, 1), "width": round(w, 1)})
            x += w
        out.append({"label": _short(str(label)), "full": str(label), "y": i * row, "total": total, "parts": parts,
                    "text_x": label_width + span + 6})
    return {"width": width, "height": max(row * len(out), row), "row": row, "rows": out,
            "label_x": label_width - 8}


def timeline(occurrences: Sequence[dict[str, Any]], *, width: int = 640, row: int = 30,
             label_width: int = 170) -> dict[str, Any]:
    """Each occurrence as a dot: a row per outlet (in order of first appearance), across by date.

    Dates place the dots in proportion; undated occurrences sit at the right end, apart.
    """
    outlets = list(dict.fromkeys(o["outlet"] or "unknown outlet" for o in occurrences))
    dated = sorted({o["date"] for o in occurrences if o["date"] and _valid_day(o["date"][:10])})
    first = datetime.date.fromisoformat(dated[0][:10]) if dated else None
    last = datetime.date.fromisoformat(dated[-1][:10]) if dated else None
    days = max(((last - first).days if first and last else 0), 1)
    left, right = label_width + 12, width - 30
    dots = []
    for o in occurrences:
        y = outlets.index(o["outlet"] or "unknown outlet") * row + row / 2
        if o["date"] and first and _valid_day(o["date"][:10]):
            x = left + (datetime.date.fromisoformat(o["date"][:10]) - first).days / days * (right - left)
            if first == last:
                x = (left + right) / 2
        else:
            x = width - 10
        dots.append({**o, "cx": round(x, 1), "cy": round(y, 1)})
    height = max(row * len(outlets), row) + 22
    axis = [{"x": left, "label": dated[0]}] if dated else []
    if len(dated) > 1:
        axis.append({"x": right, "label": dated[-1]})
    return {"width": width, "height": height, "row": row, "dots": dots, "axis_y": height - 6,
            "lanes": [{"label": _short(o), "full": o, "y": i * row + row / 2} for i, o in enumerate(outlets)],
            "axis": axis, "left": left, "right": right, "label_x": label_width}
