"""What the query commands read from a PostgreSQL corpus: the same questions and answers as
``quotegraph.store.queries`` asks of SQLite, in PostgreSQL's SQL.

A mixin of ``PostgresStore``, kept apart from the writes; a new query of the
``Store`` protocol gets its PostgreSQL form here, beside the SQLite one in
``queries`` (the web pages' own queries: ``postgres_browse`` beside
``browse``). Results have the same keys and order as SQLite's: NULLs are
placed where SQLite places them, and names and dates compare in code point
order (their columns use the "C" collation). Every query is parameterised:
words reach the text search only through ``phraseto_tsquery`` and the name
filters only as escaped ``ILIKE`` patterns, which pg_trgm's trigram indexes
serve. Search ranks occurrences by ``ts_rank_cd`` (how densely they hold the
words), where SQLite ranks by FTS5's bm25: the two agree on what matches, not
always on the order.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from itertools import groupby
from typing import Any

import psycopg

from .queries import OCCURRENCE, _alone, _like, _occurrence, _ranked, majority_gender, quoted

# Rows fetched at a time when a read streams.
STREAM_ROWS = 1000
# How many columns ``OCCURRENCE`` selects: the columns after them are the query's own.
OCCURRENCE_COLUMNS = OCCURRENCE.count(",") + 1


def _words_query(words: list[str]) -> str:
    """A tsquery expression holding every word (each as a phrase of its tokens, as FTS5 reads a quoted word)."""
    return " && ".join(["phraseto_tsquery('quotegraph_english', %s)"] * len(words))


def occurrence_filters(*, speaker: str | None, outlet: str | None, since: str | None, until: str | None,
                       type: str | None) -> tuple[str, tuple[Any, ...], set[str]]:
    """``queries.occurrence_filters`` in PostgreSQL's SQL: a ``WHERE`` condition and its parameters for
    the search filters that are set, over occurrences ``q`` of articles ``a`` in clusters ``c``, and
    which of those tables it reads."""
    clauses: list[str] = []
    params: list[Any] = []
    tables: set[str] = set()
    if speaker:
        clauses.append("(q.speaker ILIKE %s ESCAPE '\\' OR c.speaker ILIKE %s ESCAPE '\\')")
        params += [_like(speaker)] * 2
        tables |= {"q", "c"}
    if outlet:
        clauses.append("a.outlet ILIKE %s ESCAPE '\\'")
        params.append(_like(outlet))
        tables |= {"q", "a"}
    if since:
        clauses.append("a.date >= %s")
        params.append(since)
        tables |= {"q", "a"}
    if until:
        clauses.append("left(a.date, %s) <= %s")
        params += [len(until), until]
        tables |= {"q", "a"}
    if type:
        clauses.append("q.type = %s")
        params.append(type)
        tables.add("q")
    return " AND ".join(clauses) or "true", tuple(params), tables


class PostgresQueries:
    """The read side of ``PostgresStore``."""

    db: psycopg.Connection

    def search_clusters(self, words: str, *, speaker: str | None = None, outlet: str | None = None,
                        since: str | None = None, until: str | None = None, type: str | None = None,
                        limit: int = 20) -> list[dict[str, Any]]:
        """Quotes (clusters) with an occurrence holding every word of ``words``, best match first:
        ``SqliteQueries.search_clusters`` documents the filters and the result."""
        split = words.split()
        if not split:
            return []
        where, params, _ = occurrence_filters(speaker=speaker, outlet=outlet, since=since, until=until, type=type)
        # The matching occurrences, each under its quote: an occurrence not yet clustered
        # (clustering was interrupted) stands alone, under its own id, which no cluster has.
        rows = self.db.execute(f"""
            WITH wanted AS (SELECT {_words_query(split)} AS query),
                 matching AS (
                     SELECT coalesce(m.cluster, q.id) AS quote, q.id AS occurrence,
                            ts_rank_cd(q.search, wanted.query) AS rank
                     FROM wanted, quotes q JOIN articles a ON a.id = q.article
                     LEFT JOIN cluster_members m ON m.quote = q.id LEFT JOIN clusters c ON c.id = m.cluster
                     WHERE q.search @@ wanted.query AND {where}),
                 best AS (SELECT quote, max(rank) AS rank, min(occurrence) AS first FROM matching
                          GROUP BY quote ORDER BY rank DESC, first LIMIT %s)
            SELECT best.quote, {OCCURRENCE}
            FROM best JOIN matching USING (quote) JOIN quotes q ON q.id = matching.occurrence
            JOIN articles a ON a.id = q.article
            ORDER BY best.rank DESC, best.first, matching.rank DESC, q.id""",
                               (*split, *params, limit))
        matches: dict[int, list[dict[str, Any]]] = {}
        for quote, *occurrence in rows:
            matches.setdefault(quote, []).append(_occurrence(occurrence))
        hits = list(matches.items())
        summaries = {s["id"]: s for s in self.cluster_summaries([i for i, _ in hits])}
        return [{**summaries.get(i, _alone(found[0])), "matches": found} for i, found in hits]

    def cluster_summaries(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        """For each cluster id, as ``SqliteQueries.cluster_summaries``, in the order of ``ids``."""
        found = {}
        for row in self.db.execute("""
                SELECT c.id, cq.text, cq.start_char, cq.spans, c.speaker, c.altered,
                       count(*), count(DISTINCT a.outlet), min(a.date)
                FROM clusters c JOIN cluster_members m ON m.cluster = c.id JOIN quotes q ON q.id = m.quote
                JOIN articles a ON a.id = q.article LEFT JOIN quotes cq ON cq.id = c.canonical
                WHERE c.id = ANY(%s) GROUP BY c.id, cq.id""", (list(ids),)):
            found[row[0]] = {"id": row[0], "quotation": quoted(*row[1:4]) if row[1] is not None else None,
                             "speaker": row[4], "altered": row[5], "occurrences": row[6],
                             "outlets": row[7], "first_date": row[8]}
        return [found[i] for i in ids if i in found]

    def cluster(self, cluster_id: int) -> dict[str, Any] | None:
        """One quote whole, by its id or any of its occurrences' keys, as ``SqliteQueries.cluster``."""
        row = self.db.execute("""
            SELECT id, canonical, earliest, speaker, speakers, altered FROM clusters
            WHERE id = (SELECT cluster FROM cluster_members WHERE quote = %s)""", (cluster_id,)).fetchone()
        if row is None:
            return None
        n = OCCURRENCE_COLUMNS
        occurrences = [
            {**_occurrence(r[:n]), "variant": r[n], "truncated": bool(r[n + 1]),
             "changes": json.loads(r[n + 2] or "[]"), "person": r[n + 3]}
            for r in self.db.execute(f"""
                SELECT {OCCURRENCE}, m.variant, m.truncated, m.changes, mm.merged
                FROM cluster_members m JOIN quotes q ON q.id = m.quote JOIN articles a ON a.id = q.article
                LEFT JOIN people p ON p.article = q.article AND p.pid = q.speaker_id
                LEFT JOIN merged_people_members mm ON mm.person = p.id
                WHERE m.cluster = %s ORDER BY a.date IS NULL, a.date, a.outlet NULLS FIRST, q.id""", (row[0],))]
        return {"id": row[0], "canonical": row[1], "earliest": row[2], "speaker": row[3],
                "speakers": json.loads(row[4]), "altered": row[5], "occurrences": occurrences}

    def export_rows(self) -> Iterator[dict[str, Any]]:
        """Every cluster as one Quotebank-like row, in id order (``SqliteQueries.export_rows``), streamed
        from the server: read it to the end before the next query on this store."""
        rows = self.db.cursor().stream("""
            SELECT c.id, cq.text, cq.start_char, cq.spans, cq.type, c.speaker, c.speakers, c.altered,
                   a.key, a.url, a.outlet, a.date
            FROM clusters c JOIN cluster_members m ON m.cluster = c.id JOIN quotes q ON q.id = m.quote
            JOIN articles a ON a.id = q.article LEFT JOIN quotes cq ON cq.id = c.canonical
            ORDER BY c.id, a.date IS NULL, a.date, q.id""", size=STREAM_ROWS)
        for cluster_id, group in groupby(rows, key=lambda r: r[0]):
            members = list(group)
            _, text, start, spans, type_, speaker, speakers, altered = members[0][:8]
            articles = list(dict.fromkeys(r[8] for r in members))
            yield {"quoteID": cluster_id, "quotation": quoted(text, start, spans) if text is not None else None,
                   "speaker": speaker, "probas": json.loads(speakers), "numOccurrences": len(members),
                   "date": members[0][11], "urls": list(dict.fromkeys(r[9] for r in members if r[9])),
                   "articles": articles, "outlets": sorted({r[10] for r in members if r[10]}),
                   "type": type_, "altered": altered}

    # -- people --------------------------------------------------------------------------

    def _genders(self, ids: Sequence[int] | None) -> dict[int, Counter[str]]:
        """For each merged person of ``ids`` (None: everyone), how many of their records state each gender."""
        counts: dict[int, Counter[str]] = defaultdict(Counter)
        for merged, gender, n in self.db.execute("""
                SELECT mm.merged, p.gender, count(*) FROM merged_people_members mm JOIN people p ON p.id = mm.person
                WHERE p.gender IS NOT NULL AND (%s::bigint[] IS NULL OR mm.merged = ANY(%s::bigint[]))
                GROUP BY 1, 2""", (None if ids is None else list(ids),) * 2):
            counts[merged][gender] = n
        return counts

    def people(self, *, limit: int | None = None, offset: int = 0, outlet: str | None = None) -> list[dict[str, Any]]:
        """Merged people, most quoted first, as ``SqliteQueries.people`` (a page of them, in one outlet)."""
        rows = self.db.execute("""
            SELECT mp.id, mp.name,
                   (SELECT p2.kind FROM merged_people_members mm2 JOIN people p2 ON p2.id = mm2.person
                    WHERE mm2.merged = mp.id GROUP BY p2.kind ORDER BY count(*) DESC, p2.kind LIMIT 1),
                   count(DISTINCT m.cluster), count(DISTINCT q.id),
                   count(DISTINCT p.article)
            FROM merged_people mp JOIN merged_people_members mm ON mm.merged = mp.id
            JOIN people p ON p.id = mm.person JOIN articles pa ON pa.id = p.article
            LEFT JOIN quotes q ON q.article = p.article AND q.speaker_id = p.pid
            LEFT JOIN cluster_members m ON m.quote = q.id
            WHERE %s::text IS NULL OR pa.outlet = %s
            GROUP BY mp.id ORDER BY 4 DESC, 5 DESC, 6 DESC, mp.name, mp.id LIMIT %s OFFSET %s""",
            (outlet, outlet, limit, offset)).fetchall()
        genders = self._genders(None if limit is None else [r[0] for r in rows])
        return [{"id": i, "name": name, "kind": kind, "gender": majority_gender(genders[i]), "quotes": quotes,
                 "occurrences": occurrences, "articles": articles}
                for i, name, kind, quotes, occurrences, articles in rows]

    def people_named(self, word: str) -> list[tuple[int, list[str]]]:
        """Merged people one of whose names holds ``word`` (any case), with all their names."""
        rows = self.db.execute("""
            SELECT DISTINCT mm.merged, p.name FROM merged_people_members mm JOIN people p ON p.id = mm.person
            WHERE mm.merged IN (SELECT mm2.merged FROM merged_people_members mm2 JOIN people p2 ON p2.id = mm2.person
                                WHERE p2.name ILIKE %s ESCAPE '\\')
            ORDER BY mm.merged, p.name""", (_like(word),))
        return [(merged, [name for _, name in group]) for merged, group in groupby(rows, key=lambda r: r[0])]

    def person(self, person_id: int) -> dict[str, Any] | None:
        """One merged person, as ``SqliteQueries.person``."""
        row = self.db.execute("SELECT id, name FROM merged_people WHERE id = %s", (person_id,)).fetchone()
        if row is None:
            return None
        records = self.db.execute("""
            SELECT p.name, p.kind, p.gender, p.descriptors, p.handles, a.key, a.outlet
            FROM merged_people_members mm JOIN people p ON p.id = mm.person JOIN articles a ON a.id = p.article
            WHERE mm.merged = %s ORDER BY p.id""", (person_id,)).fetchall()
        aliases, kinds, genders = Counter(), Counter(), Counter()
        descriptors, handles = Counter(), Counter()
        for name, kind, gender, descs, hands, _, _ in records:
            aliases[name] += 1
            kinds[kind] += 1
            if gender:
                genders[gender] += 1
            descriptors.update(set(json.loads(descs)))
            handles.update(set(json.loads(hands)))
        quotes = self.db.execute("""
            SELECT m.cluster, count(DISTINCT q.id), min(a.date)
            FROM merged_people_members mm JOIN people p ON p.id = mm.person
            JOIN quotes q ON q.article = p.article AND q.speaker_id = p.pid JOIN articles a ON a.id = q.article
            JOIN cluster_members m ON m.quote = q.id
            WHERE mm.merged = %s GROUP BY m.cluster ORDER BY 3 NULLS FIRST, 1""", (person_id,)).fetchall()
        summaries = {s["id"]: s for s in self.cluster_summaries([c for c, _, _ in quotes])}
        return {"id": row[0], "name": row[1], "kind": kinds.most_common(1)[0][0],
                "aliases": _ranked(aliases), "descriptors": _ranked(descriptors), "handles": _ranked(handles),
                "genders": _ranked(genders), "gender": majority_gender(genders),
                "articles": len({r[5] for r in records}), "outlets": sorted({r[6] for r in records if r[6]}),
                "quotes": [{**summaries[c], "by_them": n} for c, n, _ in quotes if c in summaries]}

    # -- the whole corpus ----------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Totals, as ``SqliteQueries.stats``."""
        def one(sql: str) -> Any:
            return self.db.execute(sql).fetchone()

        articles, outlets, first, last = one(
            "SELECT count(*), count(DISTINCT outlet), min(date), max(date) FROM articles")
        shared = one("""SELECT count(*) FROM (SELECT m.cluster FROM cluster_members m JOIN quotes q ON q.id = m.quote
                        GROUP BY m.cluster HAVING count(DISTINCT q.article) > 1) AS shared""")[0]
        everyone = self.people()
        quoted_people = [p for p in everyone if p["kind"] == "person" and p["occurrences"]]
        genders = Counter(p["gender"] or "unknown" for p in quoted_people)
        return {
            "articles": articles, "outlets": outlets, "first_date": first, "last_date": last,
            "occurrences": one("SELECT count(*) FROM quotes")[0],
            "quotes": one("SELECT count(*) FROM clusters")[0],
            "quotes_in_several_articles": shared,
            "altered_quotes": one("SELECT count(*) FROM clusters WHERE altered")[0],
            "people": sum(p["kind"] == "person" for p in everyone),
            "organisations": sum(p["kind"] != "person" for p in everyone),
            "quoted_people": len(quoted_people),
            "quoted_people_by_gender": {g: {"people": n, "share": n / len(quoted_people)}
                                        for g, n in sorted(genders.items(), key=lambda kv: (-kv[1], kv[0]))},
        }
