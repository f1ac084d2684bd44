"""What the web pages and the API read from a SQLite corpus beyond the query commands: pages of
search results with facets, the latest and most repeated quotes, one article with its spans,
and counts over time, outlets and gender for the charts.

A mixin of ``SqliteStore`` beside ``SqliteQueries``; the same rules hold: every query is
parameterised, user text reaches FTS5 only as quoted literals and ``LIKE`` only escaped, and
results are plain dicts and lists whose shapes the docstrings give (``quotegraph.store.base``
lists the methods every store implements).
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from typing import Any

from .queries import OCCURRENCE, _alone, _occurrence, _parts, fts_words, majority_gender, occurrence_filters

SORTS = ("relevance", "date", "occurrences")
# Matching occurrences ``search_quotes`` returns per quote (``matched`` counts them all).
MATCHES_SHOWN = 5
# Values each facet lists at most, and the matching occurrences the facets count at most: a common
# word matches most of a large corpus, and counting all of it would cost more than the search.
FACET_VALUES = 8
FACET_OCCURRENCES = 20_000
# Marks around matched words in ``highlight``: control characters article text has no use for.
HIT_START, HIT_END = "\x02", "\x03"


def _marked(text: str) -> list[list[Any]]:
    """``text`` with FTS5's hit marks as [piece, matched] pairs."""
    pieces: list[list[Any]] = []
    for i, part in enumerate(text.replace(HIT_END, HIT_START).split(HIT_START)):
        if part:
            pieces.append([part, i % 2 == 1])
    return pieces


class SqliteBrowse:
    """The browsing side of ``SqliteStore``."""

    db: sqlite3.Connection

    def _matching(self, words: str | None, filters: dict[str, str | None], *,
                  needs: frozenset[str] = frozenset()) -> tuple[str, tuple[Any, ...]] | None:
        """The matching occurrences as a query of (quote, rank, occurrence, date, speaker, outlet, type), or
        None when ``words`` holds no word and no filter is set (everything would match).

        Only the tables the filters and ``needs`` read are joined (``q`` quotes, ``a`` articles, ``c``
        clusters); a column whose table is not joined is NULL. Common words match thousands of
        occurrences, so every join left out counts.
        """
        query = fts_words(words or "")
        where, params, tables = occurrence_filters(**filters)
        tables |= needs
        if "a" in tables:
            tables.add("q")
        if query:
            occurrence, rank = "quotes_fts.rowid", "quotes_fts.rank"
            source = "quotes_fts" + (" JOIN quotes q ON q.id = quotes_fts.rowid" if "q" in tables else "")
            where, params = f"quotes_fts MATCH ? AND {where}", (query, *params)
        elif any(filters.values()):
            occurrence, rank, source = "q.id", "0", "quotes q"
            tables.add("q")
        else:
            return None
        joins = source + (" JOIN articles a ON a.id = q.article" if "a" in tables else "")
        joins += f" LEFT JOIN cluster_members m ON m.quote = {occurrence}"
        joins += " LEFT JOIN clusters c ON c.id = m.cluster" if "c" in tables else ""
        date, outlet = ("a.date", "a.outlet") if "a" in tables else ("NULL", "NULL")
        speaker = "coalesce(c.speaker, q.speaker)" if "c" in tables else "NULL"
        type_ = "q.type" if "q" in tables else "NULL"
        return f"""
            SELECT coalesce(m.cluster, {occurrence}) AS quote, {rank} AS rank, {occurrence} AS occurrence,
                   {date} AS date, {speaker} AS speaker, {outlet} AS outlet, {type_} AS type
            FROM {joins} WHERE {where}""", params

    def search_quotes(self, words: str | None, *, speaker: str | None = None, outlet: str | None = None,
                      since: str | None = None, until: str | None = None, type: str | None = None,
                      sort: str = "relevance", offset: int = 0, limit: int = 20) -> dict[str, Any]:
        """One page of the quotes with an occurrence holding every word of ``words`` (any words when it is
        empty, then a filter is needed) and passing the filters of ``search_clusters``.

        sort: ``relevance`` (best match first; by date without words), ``date`` (latest matching
            occurrence first) or ``occurrences`` (most repeated first).
        RETURNS (dict): ``total`` (matching quotes) and ``quotes``: ``cluster_summaries`` each with
            ``matched`` (its matching occurrences) and ``matches``, the first ``MATCHES_SHOWN`` of them
            as in ``search_clusters``, each with ``marked``: its text as [piece, matched word] pairs.
        """
        filters = {"speaker": speaker, "outlet": outlet, "since": since, "until": until, "type": type}
        by_date = sort == "date" or not fts_words(words or "")
        found = self._matching(words, filters, needs=frozenset({"a"} if by_date else ()))
        if found is None:
            return {"total": 0, "quotes": []}
        matching, params = found
        if sort == "occurrences":
            order = "(SELECT count(*) FROM cluster_members cm WHERE cm.cluster = {p}quote) DESC, {p}first"
        elif by_date:
            order = "{p}last IS NULL, {p}last DESC, {p}first DESC"
        else:
            order = "{p}rank, {p}first"
        # The total comes with the page (a window over the groups), so the matches are found once; the
        # CROSS JOINs keep SQLite's order: the page's matches first, then their rows, not every match's.
        rows = self.db.execute(f"""
            WITH matching AS MATERIALIZED ({matching}),
                 page AS MATERIALIZED (SELECT quote, min(rank) AS rank, min(occurrence) AS first, max(date) AS last,
                                 count(*) AS matched, count(*) OVER () AS total
                          FROM matching GROUP BY quote ORDER BY {order.format(p="")} LIMIT ? OFFSET ?)
            SELECT page.quote, page.matched, page.total, {OCCURRENCE}
            FROM page CROSS JOIN matching ON matching.quote = page.quote
            CROSS JOIN quotes q ON q.id = matching.occurrence CROSS JOIN articles a ON a.id = q.article
            ORDER BY {order.format(p="page.")}, matching.rank, q.id""",
            (*params, limit, offset)).fetchall()
        if rows:
            total = rows[0][2]
        else:  # a page past the end: count them alone
            total = self.db.execute(f"SELECT count(DISTINCT quote) FROM ({matching})", params).fetchone()[0]
        matches: dict[int, list[dict[str, Any]]] = {}
        matched: dict[int, int] = {}
        for quote, count, _, *occurrence in rows:
            matched[quote] = count
            shown = matches.setdefault(quote, [])
            if len(shown) < MATCHES_SHOWN:
                shown.append(_occurrence(occurrence))
        self._mark([m for found in matches.values() for m in found], words)
        summaries = {s["id"]: s for s in self.cluster_summaries(list(matches))}
        return {"total": total,
                "quotes": [{**summaries.get(i, _alone(found[0])), "matched": matched[i], "matches": found}
                           for i, found in matches.items()]}

    def _mark(self, occurrences: list[dict[str, Any]], words: str | None) -> None:
        """Give each occurrence ``marked``: its text with the words FTS5 matched flagged."""
        query = fts_words(words or "")
        marked: dict[int, str] = {}
        if query:
            for part in _parts([o["key"] for o in occurrences]):
                marked.update(self.db.execute(f"""
                    SELECT rowid, highlight(quotes_fts, 0, ?, ?) FROM quotes_fts
                    WHERE quotes_fts MATCH ? AND rowid IN ({", ".join("?" * len(part))})""",
                    (HIT_START, HIT_END, query, *part)).fetchall())
        for o in occurrences:
            o["marked"] = _marked(marked[o["key"]]) if o["key"] in marked else [[o["text"], False]]

    def search_facets(self, words: str | None, *, speaker: str | None = None, outlet: str | None = None,
                      since: str | None = None, until: str | None = None,
                      type: str | None = None) -> dict[str, Any]:
        """How many of the quotes ``search_quotes`` finds have each speaker, outlet, type and month.

        RETURNS (dict): ``speaker``, ``outlet``, ``type``, ``month`` (YYYY-MM), each a list of
            [value, quotes] pairs: the ``FACET_VALUES`` commonest speakers and outlets, most first,
            every type, and the latest ``FACET_VALUES`` months, latest first; and ``sampled``: true
            when more than ``FACET_OCCURRENCES`` occurrences match, and the counts cover the first
            ``FACET_OCCURRENCES`` of them (in storage order) only.
        """
        filters = {"speaker": speaker, "outlet": outlet, "since": since, "until": until, "type": type}
        found = self._matching(words, filters, needs=frozenset({"q", "a", "c"}))
        facets: dict[str, Any] = {"speaker": [], "outlet": [], "type": [], "month": [], "sampled": False}
        if found is None:
            return facets
        matching, params = found
        # One statement, so the matches are found once for the four counts.
        rows = self.db.execute(f"""
            WITH matching AS MATERIALIZED (SELECT * FROM ({matching}) LIMIT {FACET_OCCURRENCES + 1}),
                 counted AS MATERIALIZED (SELECT * FROM matching LIMIT {FACET_OCCURRENCES})
            SELECT 'sampled', NULL, count(*) > {FACET_OCCURRENCES} FROM matching
            UNION ALL SELECT 'speaker', speaker, count(DISTINCT quote) FROM counted WHERE speaker IS NOT NULL GROUP BY 2
            UNION ALL SELECT 'outlet', outlet, count(DISTINCT quote) FROM counted WHERE outlet IS NOT NULL GROUP BY 2
            UNION ALL SELECT 'type', type, count(DISTINCT quote) FROM counted GROUP BY 2
            UNION ALL SELECT 'month', substr(date, 1, 7), count(DISTINCT quote) FROM counted
                      WHERE date IS NOT NULL GROUP BY 2""", params).fetchall()
        for name, value, n in rows:
            if name == "sampled":
                facets["sampled"] = bool(n)
            else:
                facets[name].append([value, n])
        for name in ("speaker", "outlet", "type", "month"):
            values = facets[name]
            values.sort(key=(lambda vn: vn[0]) if name == "month" else (lambda vn: (-vn[1], vn[0])),
                        reverse=name == "month")
            del values[FACET_VALUES:]
        return facets

    def latest_quotes(self, limit: int = 10) -> list[dict[str, Any]]:
        """The quotes of the latest dated articles, latest first: ``cluster_summaries`` with ``last_date``,
        the date of their latest occurrence. Reads articles from the newest back, so it stays fast."""
        rows = self.db.execute("""
            SELECT m.cluster, a.date FROM articles a JOIN quotes q ON q.article = a.id
            JOIN cluster_members m ON m.quote = q.id
            WHERE a.date IS NOT NULL ORDER BY a.date DESC, a.id DESC, q.id""")
        latest: dict[int, str] = {}
        for cluster, date in rows:
            latest.setdefault(cluster, date)
            if len(latest) >= limit:
                break
        return [{**s, "last_date": latest[s["id"]]} for s in self.cluster_summaries(list(latest))]

    def most_repeated_quotes(self, limit: int = 10) -> list[dict[str, Any]]:
        """The quotes with the most occurrences, most first (then the lowest id): ``cluster_summaries``."""
        ids = [c for (c,) in self.db.execute("""
            SELECT cluster FROM cluster_members GROUP BY cluster HAVING count(*) > 1
            ORDER BY count(*) DESC, cluster LIMIT ?""", (limit,))]
        return self.cluster_summaries(ids)

    def article_view(self, article_id: int) -> dict[str, Any] | None:
        """One article by its number, with every span: ``id``, ``key``, ``url``, ``title``, ``outlet``,
        ``date``, ``text``, ``quotes`` and ``people`` in the data contract's fields (offsets into ``text``),
        each quote also with ``key`` (its occurrence key), ``quote`` (its cluster id or None),
        ``variant`` and ``person`` (its speaker's merged person id or None), each person with
        ``person`` (its merged person id or None). None when there is no such article."""
        row = self.db.execute("SELECT id, key, url, title, outlet, date, text FROM articles WHERE id = ?",
                              (article_id,)).fetchone()
        if row is None:
            return None
        people = [
            {"id": pid, "name": name, "kind": kind, "gender": gender, "descriptors": json.loads(descriptors),
             "age": age, "handles": json.loads(handles), "mentions": json.loads(mentions), "person": merged}
            for pid, name, kind, gender, descriptors, age, handles, mentions, merged in self.db.execute("""
                SELECT p.pid, p.name, p.kind, p.gender, p.descriptors, p.age, p.handles, p.mentions, mm.merged
                FROM people p LEFT JOIN merged_people_members mm ON mm.person = p.id
                WHERE p.article = ? ORDER BY p.id""", (article_id,))]
        merged = {p["id"]: p["person"] for p in people}
        quotes = []
        for r in self.db.execute("""
                SELECT q.id, q.start_char, q.end_char, q.spans, q.text, q.type, q.speaker, q.speaker_id,
                       q.mention_start, q.mention_end, q.mention_text, q.cue_start, q.cue_end, q.cue_text,
                       q.channel, q.confidence, q.evidence, m.cluster, m.variant
                FROM quotes q LEFT JOIN cluster_members m ON m.quote = q.id
                WHERE q.article = ? ORDER BY q.start_char, q.id""", (article_id,)):
            quotes.append({
                "key": r[0], "start": r[1], "end": r[2], "spans": json.loads(r[3]), "text": r[4], "type": r[5],
                "speaker": r[6], "speaker_id": r[7],
                "speaker_mention": {"start": r[8], "end": r[9], "text": r[10]} if r[10] is not None else None,
                "cue": {"start": r[11], "end": r[12], "text": r[13]} if r[13] is not None else None,
                "channel": r[14], "confidence": r[15], "evidence": r[16], "quote": r[17], "variant": r[18],
                "person": merged.get(r[7])})
        return {"id": row[0], "key": row[1], "url": row[2], "title": row[3], "outlet": row[4], "date": row[5],
                "text": row[6], "quotes": quotes, "people": people}

    def person_activity(self, person_id: int) -> dict[str, list[list[Any]]]:
        """When and where a merged person is quoted: ``by_day`` ([article date, occurrences], in date order,
        undated occurrences left out) and ``by_outlet`` ([outlet, occurrences], most first)."""
        rows = self.db.execute("""
            SELECT a.date, a.outlet, count(*)
            FROM merged_people_members mm JOIN people p ON p.id = mm.person
            JOIN quotes q ON q.article = p.article AND q.speaker_id = p.pid JOIN articles a ON a.id = q.article
            WHERE mm.merged = ? GROUP BY 1, 2""", (person_id,)).fetchall()
        days: Counter[str] = Counter()
        outlets: Counter[str] = Counter()
        for day, outlet, n in rows:
            if day:
                days[day] += n
            if outlet:
                outlets[outlet] += n
        return {"by_day": [[d, n] for d, n in sorted(days.items())],
                "by_outlet": [[o, n] for o, n in sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))]}

    def occurrences_by_day(self, *, outlet: str | None = None) -> list[list[Any]]:
        """Quote occurrences per article date, [YYYY-MM-DD, occurrences] in date order (undated left out);
        ``outlet``: only that outlet's articles (its exact name)."""
        return [list(r) for r in self.db.execute("""
            SELECT a.date, count(*) FROM articles a JOIN quotes q ON q.article = a.id
            WHERE a.date IS NOT NULL AND (? IS NULL OR a.outlet = ?) GROUP BY a.date ORDER BY a.date""",
            (outlet, outlet))]

    def outlets(self) -> list[dict[str, Any]]:
        """Every outlet: ``outlet``, ``articles``, ``occurrences`` (quotes in them), most quoting first."""
        return [{"outlet": o, "articles": a, "occurrences": n} for o, a, n in self.db.execute("""
            SELECT a.outlet, count(DISTINCT a.id), count(q.id) FROM articles a LEFT JOIN quotes q ON q.article = a.id
            WHERE a.outlet IS NOT NULL GROUP BY a.outlet ORDER BY 3 DESC, 1""")]

    def quoted_people_by_gender(self, *, by: str = "month", outlet: str | None = None) -> list[list[Any]]:
        """How many distinct people (merged, of kind person as most of their records say, as in
        ``people``) are quoted in each month or outlet, by their gender (``queries.majority_gender``;
        ``unknown`` when none).

        by: ``month`` (YYYY-MM, undated left out) or ``outlet``; outlet: only that outlet's articles.
        RETURNS (list): [month or outlet, {gender: people}] pairs, in month or outlet-name order.
        """
        bucket = "substr(a.date, 1, 7)" if by == "month" else "a.outlet"
        rows = self.db.execute(f"""
            SELECT DISTINCT {bucket}, mm.merged
            FROM quotes q JOIN articles a ON a.id = q.article
            JOIN people p ON p.article = q.article AND p.pid = q.speaker_id
            JOIN merged_people_members mm ON mm.person = p.id
            WHERE {bucket} IS NOT NULL AND (? IS NULL OR a.outlet = ?)""", (outlet, outlet)).fetchall()
        merged = sorted({m for _, m in rows})
        kinds: dict[int, Counter[str]] = defaultdict(Counter)
        for part in _parts(merged):
            for m, kind, n in self.db.execute(f"""
                    SELECT mm.merged, p.kind, count(*) FROM merged_people_members mm JOIN people p ON p.id = mm.person
                    WHERE mm.merged IN ({", ".join("?" * len(part))}) GROUP BY 1, 2""", part):
                kinds[m][kind] = n
        people = {m for m in merged if min(kinds[m].items(), key=lambda kv: (-kv[1], kv[0]))[0] == "person"}
        genders = self._genders(sorted(people))
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for value, m in rows:
            if m in people:
                counts[value][majority_gender(genders[m]) or "unknown"] += 1
        return [[value, dict(sorted(c.items()))] for value, c in sorted(counts.items())]
