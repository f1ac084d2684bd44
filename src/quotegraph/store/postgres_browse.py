"""What the web pages and the API read from a PostgreSQL corpus: the questions and answers of
``quotegraph.store.browse`` (which documents each result's shape), in PostgreSQL's SQL.

A mixin of ``PostgresStore`` beside ``PostgresQueries``, and the same rules hold
(``quotegraph.store.postgres_queries``): every query is parameterised, words reach
the text search only through ``phraseto_tsquery``, names only as escaped ``ILIKE``
patterns, and results have SQLite's keys and order, except where relevance ranks
(``ts_rank_cd`` here, bm25 there). Matched words are marked by ``ts_headline`` over
the whole quote, with the same marks SQLite's ``highlight`` puts in.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors

from ..errors import Messages, QueryError
from . import browse
from .browse import FACET_VALUES, HIT_END, HIT_START, MATCHES_SHOWN, _marked
from .postgres_queries import OCCURRENCE_COLUMNS, _words_query, occurrence_filters
from .queries import OCCURRENCE, _alone, _occurrence, majority_gender

# ts_headline's options: every word of the text kept, the matched ones between SQLite's marks.
HEADLINE = f'StartSel="{HIT_START}", StopSel="{HIT_END}", HighlightAll=true'


class PostgresBrowse:
    """The browsing side of ``PostgresStore``."""

    db: psycopg.Connection
    # The seconds of the ``time_limit`` block running, for the message of a query it stops.
    _limit: float | None = None

    def _matching(self, words: str | None, filters: dict[str, str | None], *,
                  needs: frozenset[str] = frozenset()) -> tuple[str, tuple[Any, ...]] | None:
        """The matching occurrences as a query of (quote, rank, occurrence, date, speaker, outlet, type), or
        None when ``words`` holds no word and no filter is set: ``SqliteBrowse._matching``, with the rank
        the negated ``ts_rank_cd``, so that here too the lowest rank is the best match."""
        split = (words or "").split()
        where, params, tables = occurrence_filters(**filters)
        tables |= needs
        if split:
            source = f"(SELECT {_words_query(split)} AS query) AS wanted CROSS JOIN quotes q"
            rank = "-ts_rank_cd(q.search, wanted.query)"
            where, params = f"q.search @@ wanted.query AND {where}", (*split, *params)
        elif any(filters.values()):
            source, rank = "quotes q", "0::real"
        else:
            return None
        joins = source + (" JOIN articles a ON a.id = q.article" if "a" in tables else "")
        joins += " LEFT JOIN cluster_members m ON m.quote = q.id"
        joins += " LEFT JOIN clusters c ON c.id = m.cluster" if "c" in tables else ""
        date, outlet = ("a.date", "a.outlet") if "a" in tables else ("NULL::text", "NULL::text")
        speaker = "coalesce(c.speaker, q.speaker)" if "c" in tables else "NULL::text"
        return f"""
            SELECT coalesce(m.cluster, q.id) AS quote, {rank} AS rank, q.id AS occurrence,
                   {date} AS date, {speaker} AS speaker, {outlet} AS outlet, q.type AS type
            FROM {joins} WHERE {where}""", params

    def search_quotes(self, words: str | None, *, speaker: str | None = None, outlet: str | None = None,
                      since: str | None = None, until: str | None = None, type: str | None = None,
                      sort: str = "relevance", offset: int = 0, limit: int = 20) -> dict[str, Any]:
        """One page of matching quotes with the total, as ``SqliteBrowse.search_quotes``."""
        filters = {"speaker": speaker, "outlet": outlet, "since": since, "until": until, "type": type}
        by_date = sort == "date" or not (words or "").split()
        found = self._matching(words, filters, needs=frozenset({"a"} if by_date else ()))
        if found is None:
            return {"total": 0, "quotes": []}
        matching, params = found
        if sort == "occurrences":
            order = "(SELECT count(*) FROM cluster_members cm WHERE cm.cluster = {p}quote) DESC, {p}head"
        elif by_date:
            order = "{p}latest IS NULL, {p}latest DESC, {p}head DESC"
        else:
            order = "{p}rank, {p}head"
        rows = self.db.execute(f"""
            WITH matching AS MATERIALIZED ({matching}),
                 page AS MATERIALIZED (
                     SELECT * FROM (SELECT quote, min(rank) AS rank, min(occurrence) AS head, max(date) AS latest,
                                           count(*) AS matched, count(*) OVER () AS total
                                    FROM matching GROUP BY quote) AS quotes
                     ORDER BY {order.format(p="")} LIMIT %s OFFSET %s)
            SELECT page.quote, page.matched, page.total, {OCCURRENCE}
            FROM page JOIN matching ON matching.quote = page.quote
            JOIN quotes q ON q.id = matching.occurrence JOIN articles a ON a.id = q.article
            ORDER BY {order.format(p="page.")}, matching.rank, q.id""", (*params, limit, offset)).fetchall()
        if rows:
            total = rows[0][2]
        else:  # a page past the end: count them alone
            total = self.db.execute(f"SELECT count(DISTINCT quote) FROM ({matching}) AS matching",
                                    params).fetchone()[0]
        matches: dict[int, list[dict[str, Any]]] = {}
        matched: dict[int, int] = {}
        for quote, count, _, *occurrence in rows:
            matched[quote] = count
            shown = matches.setdefault(quote, [])
            if len(shown) < MATCHES_SHOWN:
                shown.append(_occurrence(occurrence[:OCCURRENCE_COLUMNS]))
        self._mark([m for found in matches.values() for m in found], words)
        summaries = {s["id"]: s for s in self.cluster_summaries(list(matches))}
        return {"total": total,
                "quotes": [{**summaries.get(i, _alone(found[0])), "matched": matched[i], "matches": found}
                           for i, found in matches.items()]}

    def _mark(self, occurrences: list[dict[str, Any]], words: str | None) -> None:
        """Give each occurrence ``marked``: its text with the words the search matched flagged."""
        split = (words or "").split()
        marked: dict[int, str] = {}
        if split and occurrences:
            marked.update(self.db.execute(f"""
                SELECT q.id, ts_headline('quotegraph_english', q.text, wanted.query, %s)
                FROM (SELECT {_words_query(split)} AS query) AS wanted CROSS JOIN quotes q
                WHERE q.id = ANY(%s) AND q.search @@ wanted.query""",
                (HEADLINE, *split, [o["key"] for o in occurrences])).fetchall())
        for o in occurrences:
            o["marked"] = _marked(marked[o["key"]]) if o["key"] in marked else [[o["text"], False]]

    def search_facets(self, words: str | None, *, speaker: str | None = None, outlet: str | None = None,
                      since: str | None = None, until: str | None = None,
                      type: str | None = None) -> dict[str, Any]:
        """How many matching quotes have each speaker, outlet, type and month, as
        ``SqliteBrowse.search_facets``; a sample is the first matches in the order the server finds them."""
        filters = {"speaker": speaker, "outlet": outlet, "since": since, "until": until, "type": type}
        found = self._matching(words, filters, needs=frozenset({"q", "a", "c"}))
        facets: dict[str, Any] = {"speaker": [], "outlet": [], "type": [], "month": [], "sampled": False}
        if found is None:
            return facets
        matching, params = found
        most = int(browse.FACET_OCCURRENCES)
        rows = self.db.execute(f"""
            WITH matching AS MATERIALIZED ({matching} LIMIT {most + 1}),
                 counted AS MATERIALIZED (SELECT * FROM matching LIMIT {most})
            SELECT 'sampled', NULL::text, (count(*) > {most})::int FROM matching
            UNION ALL SELECT 'speaker', speaker, count(DISTINCT quote) FROM counted WHERE speaker IS NOT NULL GROUP BY 2
            UNION ALL SELECT 'outlet', outlet, count(DISTINCT quote) FROM counted WHERE outlet IS NOT NULL GROUP BY 2
            UNION ALL SELECT 'type', type, count(DISTINCT quote) FROM counted GROUP BY 2
            UNION ALL SELECT 'month', left(date, 7), count(DISTINCT quote) FROM counted
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
        """The quotes of the latest dated articles, latest first, as ``SqliteBrowse.latest_quotes``.

        Reads the newest occurrences a window at a time, a larger one while the quotes in it are too
        few, so a large corpus is not read whole for a handful of quotes.
        """
        window = max(limit, 1) * 8
        while True:
            rows = self.db.execute("""
                SELECT m.cluster, a.date FROM articles a JOIN quotes q ON q.article = a.id
                JOIN cluster_members m ON m.quote = q.id
                WHERE a.date IS NOT NULL ORDER BY a.date DESC, a.id DESC, q.id LIMIT %s""", (window,)).fetchall()
            latest: dict[int, str] = {}
            for cluster, date in rows:
                latest.setdefault(cluster, date)
                if len(latest) >= limit:
                    break
            if len(latest) >= limit or len(rows) < window:
                break
            window *= 4
        return [{**s, "last_date": latest[s["id"]]} for s in self.cluster_summaries(list(latest))]

    def most_repeated_quotes(self, limit: int = 10) -> list[dict[str, Any]]:
        """The quotes with the most occurrences, most first (then the lowest id)."""
        ids = [c for (c,) in self.db.execute("""
            SELECT cluster FROM cluster_members GROUP BY cluster HAVING count(*) > 1
            ORDER BY count(*) DESC, cluster LIMIT %s""", (limit,))]
        return self.cluster_summaries(ids)

    def article_view(self, article_id: int) -> dict[str, Any] | None:
        """One article by its number with every span, as ``SqliteBrowse.article_view``; None when absent."""
        row = self.db.execute("SELECT id, key, url, title, outlet, date, text FROM articles WHERE id = %s",
                              (article_id,)).fetchone()
        if row is None:
            return None
        people = [
            {"id": pid, "name": name, "kind": kind, "gender": gender, "descriptors": json.loads(descriptors),
             "age": age, "handles": json.loads(handles), "mentions": json.loads(mentions), "person": merged}
            for pid, name, kind, gender, descriptors, age, handles, mentions, merged in self.db.execute("""
                SELECT p.pid, p.name, p.kind, p.gender, p.descriptors, p.age, p.handles, p.mentions, mm.merged
                FROM people p LEFT JOIN merged_people_members mm ON mm.person = p.id
                WHERE p.article = %s ORDER BY p.id""", (article_id,))]
        merged = {p["id"]: p["person"] for p in people}
        quotes = []
        for r in self.db.execute("""
                SELECT q.id, q.start_char, q.end_char, q.spans, q.text, q.type, q.speaker, q.speaker_id,
                       q.mention_start, q.mention_end, q.mention_text, q.cue_start, q.cue_end, q.cue_text,
                       q.channel, q.confidence, q.evidence, m.cluster, m.variant
                FROM quotes q LEFT JOIN cluster_members m ON m.quote = q.id
                WHERE q.article = %s ORDER BY q.start_char, q.id""", (article_id,)):
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
        """When and where a merged person is quoted, as ``SqliteBrowse.person_activity``."""
        rows = self.db.execute("""
            SELECT a.date, a.outlet, count(*)
            FROM merged_people_members mm JOIN people p ON p.id = mm.person
            JOIN quotes q ON q.article = p.article AND q.speaker_id = p.pid JOIN articles a ON a.id = q.article
            WHERE mm.merged = %s GROUP BY 1, 2""", (person_id,)).fetchall()
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
        """Quote occurrences per article date, in date order (``SqliteBrowse.occurrences_by_day``)."""
        return [list(r) for r in self.db.execute("""
            SELECT a.date, count(*) FROM articles a JOIN quotes q ON q.article = a.id
            WHERE a.date IS NOT NULL AND (%s::text IS NULL OR a.outlet = %s) GROUP BY a.date ORDER BY a.date""",
            (outlet, outlet))]

    def outlets(self) -> list[dict[str, Any]]:
        """Every outlet: ``outlet``, ``articles``, ``occurrences``, most quoting first."""
        return [{"outlet": o, "articles": a, "occurrences": n} for o, a, n in self.db.execute("""
            SELECT a.outlet, count(DISTINCT a.id), count(q.id) FROM articles a LEFT JOIN quotes q ON q.article = a.id
            WHERE a.outlet IS NOT NULL GROUP BY a.outlet ORDER BY 3 DESC, 1""")]

    def quoted_people_by_gender(self, *, by: str = "month", outlet: str | None = None) -> list[list[Any]]:
        """Distinct quoted people by gender per month or outlet, as ``SqliteBrowse.quoted_people_by_gender``."""
        bucket = "left(a.date, 7)" if by == "month" else "a.outlet"
        rows = self.db.execute(f"""
            SELECT DISTINCT {bucket}, mm.merged
            FROM quotes q JOIN articles a ON a.id = q.article
            JOIN people p ON p.article = q.article AND p.pid = q.speaker_id
            JOIN merged_people_members mm ON mm.person = p.id
            WHERE {bucket} IS NOT NULL AND (%s::text IS NULL OR a.outlet = %s)""", (outlet, outlet)).fetchall()
        merged = sorted({m for _, m in rows})
        kinds: dict[int, Counter[str]] = defaultdict(Counter)
        for m, kind, n in self.db.execute("""
                SELECT mm.merged, p.kind, count(*) FROM merged_people_members mm JOIN people p ON p.id = mm.person
                WHERE mm.merged = ANY(%s) GROUP BY 1, 2""", (merged,)):
            kinds[m][kind] = n
        people = {m for m in merged if min(kinds[m].items(), key=lambda kv: (-kv[1], kv[0]))[0] == "person"}
        genders = self._genders(sorted(people))
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for value, m in rows:
            if m in people:
                counts[value][majority_gender(genders[m]) or "unknown"] += 1
        return [[value, dict(sorted(c.items()))] for value, c in sorted(counts.items())]

    @contextmanager
    def time_limit(self, seconds: float) -> Iterator[None]:
        """Stop any query of this block still running after ``seconds``, with ``QueryError`` (E059).

        The block is one transaction with ``statement_timeout`` set for it alone (``SET LOCAL``):
        the server cancels a statement that runs longer, and the setting ends with the block. Its
        reads see one snapshot, so a page and its facets count the same corpus.
        """
        try:
            with self.db.transaction():
                self.db.execute("SELECT set_config('statement_timeout', %s, true)",
                                (f"{max(1, round(seconds * 1000))}ms",))
                self._limit = seconds
                yield
        except errors.QueryCanceled:
            raise QueryError(Messages.E059.format(seconds=seconds)) from None
        finally:
            self._limit = None
