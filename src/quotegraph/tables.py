"""Results as rich tables, for people reading a terminal (``extract --format table``).

Machine-readable output is ``ArticleResult.to_dict()``; this module only lays
results out. Article text goes in as ``rich.text.Text``, never as markup, so
brackets in a quote ("[the company] will") print as written.
"""
from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from .model import ArticleResult, Quote

# Longer quotes keep their start and end around an ellipsis; the JSON formats keep them whole.
MAX_QUOTE_CHARS = 400
TYPE_STYLES = {"direct": "green", "partial": "yellow", "indirect": "cyan"}


def shorten(text: str, limit: int = MAX_QUOTE_CHARS) -> str:
    """``text`` on one line, cut in the middle to about ``limit`` characters if longer."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    head = limit * 3 // 4
    tail = limit - head - 3
    return f"{flat[:head].rstrip()} … {flat[-tail:].lstrip()}"


def confidence_style(confidence: float) -> str:
    """Green for confident attributions, yellow for doubtful ones, red for guesses."""
    if confidence >= 0.8:
        return "green"
    return "yellow" if confidence >= 0.5 else "red"


def _speaker(quote: Quote) -> Text:
    if not quote.speaker:
        return Text("unattributed", style="dim")
    out = Text(quote.speaker, style="bold")
    mention = quote.speaker_mention
    if mention and mention.text != quote.speaker:
        out.append(f"\n({' '.join(mention.text.split())})", style="dim")
    return out


def article_table(result: ArticleResult) -> RenderableType:
    """A header line (id, date, counts) and one row per quote."""
    header = Text.assemble(
        (str(result.id if result.id is not None else "(no id)"), "bold magenta"),
        (f"  {result.date}" if result.date else "", "magenta"),
        (f"  {len(result.quotes)} quotes, {len(result.people)} people", "dim"),
    )
    if not result.quotes:
        return Group(header, Text("no quotes found", style="dim"), Text())
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False)
    table.add_column("type", no_wrap=True)
    table.add_column("speaker", ratio=2)
    table.add_column("cue", ratio=1)
    table.add_column("quote", ratio=6)
    table.add_column("conf", justify="right", no_wrap=True)
    for quote in result.quotes:
        table.add_row(
            Text(quote.type, style=TYPE_STYLES.get(quote.type, "")),
            _speaker(quote),
            Text(quote.cue.text if quote.cue else "", style="italic"),
            Text(shorten(quote.text)),
            Text(f"{quote.confidence:.2f}", style=confidence_style(quote.confidence)),
        )
    return Group(header, table, Text())
