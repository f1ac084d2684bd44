"""What the query commands read from a SQLite corpus: quotes by words, one quote whole, people, totals.

A mixin of ``SqliteStore``, kept apart from the writes. Every query is
parameterised; user text reaches FTS5 only as quoted literals and ``LIKE``
only with its wildcards escaped, so no input changes a query's meaning.
Results are plain dicts and lists, ready for JSON; ``quotegraph.corpus``
documents their keys.
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from itertools import groupby
from typing import Any

from ..cluster.same_quote import SPLIT


def quoted(text: str, start: int, spans: str) -> str:
    """A stored quote's words without the attribution that interrupts them: its pieces joined by
    ``" ... "``, as ``quotegraph.cluster.Occurrence.from_quote`` makes them.

    text, start: the quote's ``text`` and ``start_char``; spans: its ``spans`` column (JSON).
    """
    pieces = [text[s - start:e - start] for s, e in json.loads(spans)]
    return SPLIT.join(pieces) if pieces else text


def fts_words(text: str) -> str:
    """An FTS5 query for every word of ``text``, each a quoted literal, so any text is a valid query."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in text.split())


def _like(text: str) -> str:
    """A ``LIKE ... ESCAPE '\\'`` pattern for ``text`` anywhere, its own ``%`` and ``_`` literal."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _marks(n: int) -> str:
    return ", ".join("?" * n)


# Ids bound to one statement at most: well under SQLite's limit on a statement's variables.
IDS_PER_STATEMENT = 500


def _parts(ids: Sequence[int]) -> list[tuple[int, ...]]:
    """``ids`` in pieces small enough for one ``IN (...)``."""
    return [tuple(ids[i:i + IDS_PER_STATEMENT]) for i in range(0, len(ids), IDS_PER_STATEMENT)]


def occurrence_filters(*, speaker: str | None, outlet: str | None, since: str | None, until: str | None,
                       type: str | None) -> tuple[str, tuple[Any, ...], set[str]]:
    """A ``WHERE`` condition and its parameters for the search filters that are set, over occurrences
    ``q`` of articles ``a`` in clusters ``c`` (``LEFT JOIN``), and which of those tables it reads, so a
    query joins only what it needs. ``Corpus.search`` says what each filter means."""
    clauses: list[str] = []
    params: list[Any] = []
    tables: set[str] = set()
    if speaker:
        clauses.append("(q.speaker LIKE ? ESCAPE '\\' OR c.speaker LIKE ? ESCAPE '\\')")
        params += [_like(speaker)] * 2
        tables |= {"q", "c"}
    if outlet:
        clauses.append("a.outlet LIKE ? ESCAPE '\\'")
        params.append(_like(outlet))
        tables |= {"q", "a"}
    if since:
        clauses.append("a.date >= ?")
        params.append(since)
        tables |= {"q", "a"}
    if until:
        clauses.append("substr(a.date, 1, length(?)) <= ?")
        params += [until, until]
        tables |= {"q", "a"}
    if type:
        clauses.append("q.type = ?")
        params.append(type)
        tables.add("q")
    return " AND ".join(clauses) or "1", tuple(params), tables


def majority_gender(counts: Counter[str]) -> str | None:
    """The gender most of a person's articles state, or None when none states one or two tie."""
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


# An occurrence as the query results give it.
OCCURRENCE = """q.id, q.text, q.start_char, q.end_char, q.spans, q.type, q.speaker, q.confidence,
                a.key, a.url, a.title, a.outlet, a.date, a.id"""


def _occurrence(row: Sequence[Any]) -> dict[str, Any]:
    key, text, start, end, spans, type_, speaker, confidence, article, url, title, outlet, date, article_id = row
    return {"key": key, "text": quoted(text, start, spans), "start": start, "end": end, "type": type_,
            "speaker": speaker, "confidence": confidence, "article": article, "article_id": article_id, "url": url,
            "title": title, "outlet": outlet, "date": date}


class SqliteQueries:
    """The read side of ``SqliteStore``."""

    db: sqlite3.Connection

    def search_clusters(self, words: str, *, speaker: str | None = None, outlet: str | None = None,
                        since: str | None = None, until: str | None = None, type: str | None = None,
                        limit: int = 20) -> list[dict[str, Any]]:
        """Quotes (clusters) with an occurrence holding every word of ``words``, best match first.

        The filters apply to the matching occurrences: ``speaker`` and ``outlet`` are
        parts of a name (any case), ``since``/``until`` ISO dates or their prefixes
        (inclusive), ``type`` one of direct, partial, indirect.
        RETURNS: ``cluster_summaries`` of the quotes, each with its ``matches``.
        """
        query = fts_words(words)
        if not query:
            return []
        # The matching occurrences, each under its quote: an occurrence not yet clustered
        # (clustering was interrupted) stands alone, under its own id, which no cluster has.
        where, params, _ = occurrence_filters(speaker=speaker, outlet=outlet, since=since, until=until, type=type)
        matching = f"""
            SELECT coalesce(m.cluster, q.id) AS quote, quotes_fts.rank AS rank, q.id AS occurrence
            FROM quotes_fts JOIN quotes q ON q.id = quotes_fts.rowid JOIN articles a ON a.id = q.article
            LEFT JOIN cluster_members m ON m.quote = q.id LEFT JOIN clusters c ON c.id = m.cluster
            WHERE quotes_fts MATCH ? AND {where}"""
        params = (query, *params)
        # SQLite ranks the quotes by their best match, so only the top ``limit`` reach Python.
        rows = self.db.execute(f"""
            WITH matching AS ({matching}),
                 best AS (SELECT quote, min(rank) AS rank, min(occurrence) AS first FROM matching
                          GROUP BY quote ORDER BY rank, first LIMIT ?)
            SELECT best.quote, {OCCURRENCE}
            FROM best JOIN matching USING (quote) JOIN quotes q ON q.id = matching.occurrence
            JOIN articles a ON a.id = q.article
            ORDER BY best.rank, best.first, matching.rank, q.id""", (*params, limit))
        matches: dict[int, list[dict[str, Any]]] = {}
        for quote, *occurrence in rows:
            matches.setdefault(quote, []).append(_occurrence(occurrence))
        hits = list(matches.items())
        summaries = {s["id"]: s for s in self.cluster_summaries([i for i, _ in hits])}
        return [{**summaries.get(i, _alone(found[0])), "matches": found} for i, found in hits]

    def cluster_summaries(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        """For each cluster id: canonical ``quotation``, ``speaker``, ``occurrences``, ``outlets``,
        ``first_date``, ``altered``, in the order of ``ids`` (unknown ids left out)."""
        found = {}
        for part in _parts(ids):
            for row in self.db.execute(f"""
                    SELECT c.id, cq.text, cq.start_char, cq.spans, c.speaker, c.altered,
                           count(*), count(DISTINCT a.outlet), min(a.date)
                    FROM clusters c JOIN cluster_members m ON m.cluster = c.id JOIN quotes q ON q.id = m.quote
                    JOIN articles a ON a.id = q.article LEFT JOIN quotes cq ON cq.id = c.canonical
                    WHERE c.id IN ({_marks(len(part))}) GROUP BY c.id""", part):
                found[row[0]] = {"id": row[0], "quotation": quoted(*row[1:4]) if row[1] is not None else None,
                                 "speaker": row[4], "altered": bool(row[5]), "occurrences": row[6],
                                 "outlets": row[7], "first_date": row[8]}
        return [found[i] for i in ids if i in found]

    def cluster(self, cluster_id: int) -> dict[str, Any] | None:
        """One quote whole, by its id or any of its occurrences' keys: ``id``, ``canonical`` and
        ``earliest`` (occurrence keys), ``speaker``,
        ``speakers`` ([name, share] pairs), ``altered``, and ``occurrences`` in date order, each
        with its ``variant``, ``truncated``, ``changes`` and ``person`` (the merged person id of its
        speaker, or None). None when there is no such cluster."""
        # A cluster's id is its first member's key, so the cluster holding occurrence ``cluster_id``
        # is that cluster itself when it is a cluster id, and its quote when it is any occurrence's key.
        row = self.db.execute("""
            SELECT id, canonical, earliest, speaker, speakers, altered FROM clusters
            WHERE id = (SELECT cluster FROM cluster_members WHERE quote = ?)""", (cluster_id,)).fetchone()
        if row is None:
            return None
        occurrences = [
            {**_occurrence(r[:14]), "variant": r[14], "truncated": bool(r[15]), "changes": json.loads(r[16] or "[]"),
             "person": r[17]}
            for r in self.db.execute(f"""
                SELECT {OCCURRENCE}, m.variant, m.truncated, m.changes, mm.merged
                FROM cluster_members m JOIN quotes q ON q.id = m.quote JOIN articles a ON a.id = q.article
                LEFT JOIN people p ON p.article = q.article AND p.pid = q.speaker_id
                LEFT JOIN merged_people_members mm ON mm.person = p.id
                WHERE m.cluster = ? ORDER BY a.date IS NULL, a.date, a.outlet, q.id""", (row[0],))]
        return {"id": row[0], "canonical": row[1], "earliest": row[2], "speaker": row[3],
                "speakers": json.loads(row[4]), "altered": bool(row[5]), "occurrences": occurrences}

    def export_rows(self) -> Iterator[dict[str, Any]]:
        """Every cluster as one row of fields a Quotebank user knows, in id order, streamed."""
        rows = self.db.execute("""
            SELECT c.id, cq.text, cq.start_char, cq.spans, cq.type, c.speaker, c.speakers, c.altered,
                   a.key, a.url, a.outlet, a.date
            FROM clusters c JOIN cluster_members m ON m.cluster = c.id JOIN quotes q ON q.id = m.quote
            JOIN articles a ON a.id = q.article LEFT JOIN quotes cq ON cq.id = c.canonical
            ORDER BY c.id, a.date IS NULL, a.date, q.id""")
        for cluster_id, group in groupby(rows, key=lambda r: r[0]):
            members = list(group)
            _, text, start, spans, type_, speaker, speakers, altered = members[0][:8]
            articles = list(dict.fromkeys(r[8] for r in members))
            yield {"quoteID": cluster_id, "quotation": quoted(text, start, spans) if text is not None else None,
                   "speaker": speaker, "probas": json.loads(speakers), "numOccurrences": len(members),
                   "date": members[0][11], "urls": list(dict.fromkeys(r[9] for r in members if r[9])),
                   "articles": articles, "outlets": sorted({r[10] for r in members if r[10]}),
                   "type": type_, "altered": bool(altered)}

    # -- people --------------------------------------------------------------------------

    def _genders(self, ids: Sequence[int] | None) -> dict[int, Counter[str]]:
        """For each merged person of ``ids`` (None: everyone), how many of their records state each gender."""
        counts: dict[int, Counter[str]] = defaultdict(Counter)
        query = """SELECT mm.merged, p.gender, count(*) FROM merged_people_members mm JOIN people p ON p.id = mm.person
                   WHERE p.gender IS NOT NULL {only} GROUP BY 1, 2"""
        parts = [(query.format(only=""), ())] if ids is None else [
            (query.format(only=f"AND mm.merged IN ({_marks(len(part))})"), part) for part in _parts(ids)]
        for sql, params in parts:
            for merged, gender, n in self.db.execute(sql, params):
                counts[merged][gender] = n
        return counts

    def people(self, *, limit: int | None = None, offset: int = 0, outlet: str | None = None) -> list[dict[str, Any]]:
        """Merged people, most quoted first: ``id``, ``name``, ``kind`` (what most of their records
        say), ``gender``, ``quotes`` (clusters they speak in), ``occurrences``, ``articles``.

        limit, offset (int): a page of them; outlet (str): only what they say in the articles of this
        outlet (its exact name), counted there.
        """
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
            WHERE ? IS NULL OR pa.outlet = ?
            GROUP BY mp.id ORDER BY 4 DESC, 5 DESC, 6 DESC, mp.name, mp.id LIMIT ? OFFSET ?""",
            (outlet, outlet, -1 if limit is None else limit, offset)).fetchall()
        genders = self._genders(None if limit is None else [r[0] for r in rows])
        return [{"id": i, "name": name, "kind": kind, "gender": majority_gender(genders[i]), "quotes": quotes,
                 "occurrences": occurrences, "articles": articles}
                for i, name, kind, quotes, occurrences, articles in rows]

    def people_named(self, word: str) -> list[tuple[int, list[str]]]:
        """Merged people one of whose names holds ``word`` (any case), with all their names."""
        rows = self.db.execute("""
            SELECT DISTINCT mm.merged, p.name FROM merged_people_members mm JOIN people p ON p.id = mm.person
            WHERE mm.merged IN (SELECT mm2.merged FROM merged_people_members mm2 JOIN people p2 ON p2.id = mm2.person
                                WHERE p2.name LIKE ? ESCAPE '\\')
            ORDER BY mm.merged, p.name""", (_like(word),))
        return [(merged, [name for _, name in group]) for merged, group in groupby(rows, key=lambda r: r[0])]

    def person(self, person_id: int) -> dict[str, Any] | None:
        """One merged person: ``id``, ``name``, ``kind``, ``aliases``, ``descriptors``, ``handles``
        and ``genders`` (each [value, articles stating it]), ``gender``, ``articles``, ``outlets``,
        and ``quotes``: the clusters they speak in, earliest first."""
        row = self.db.execute("SELECT id, name FROM merged_people WHERE id = ?", (person_id,)).fetchone()
        if row is None:
            return None
        records = self.db.execute("""
            SELECT p.name, p.kind, p.gender, p.descriptors, p.handles, a.key, a.outlet
            FROM merged_people_members mm JOIN people p ON p.id = mm.person JOIN articles a ON a.id = p.article
            WHERE mm.merged = ? ORDER BY p.id""", (person_id,)).fetchall()
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
            WHERE mm.merged = ? GROUP BY m.cluster ORDER BY 3 IS NULL, 3, 1""", (person_id,)).fetchall()
        summaries = {s["id"]: s for s in self.cluster_summaries([c for c, _, _ in quotes])}
        return {"id": row[0], "name": row[1], "kind": kinds.most_common(1)[0][0],
                "aliases": _ranked(aliases), "descriptors": _ranked(descriptors), "handles": _ranked(handles),
                "genders": _ranked(genders), "gender": majority_gender(genders),
                "articles": len({r[5] for r in records}), "outlets": sorted({r[6] for r in records if r[6]}),
                "quotes": [{**summaries[c], "by_them": n} for c, n, _ in quotes if c in summaries]}

    # -- the whole corpus ----------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Totals: articles, outlets, dates, occurrences, quotes (clusters), quotes in several articles,
        altered quotes, people and organisations, and quoted people by gender."""
        one = self.db.execute
        articles, outlets, first, last = one(
            "SELECT count(*), count(DISTINCT outlet), min(date), max(date) FROM articles").fetchone()
        shared = one("""SELECT count(*) FROM (SELECT m.cluster FROM cluster_members m JOIN quotes q ON q.id = m.quote
                        GROUP BY m.cluster HAVING count(DISTINCT q.article) > 1)""").fetchone()[0]
        everyone = self.people()
        quoted_people = [p for p in everyone if p["kind"] == "person" and p["occurrences"]]
        genders = Counter(p["gender"] or "unknown" for p in quoted_people)
        return {
            "articles": articles, "outlets": outlets, "first_date": first, "last_date": last,
            "occurrences": one("SELECT count(*) FROM quotes").fetchone()[0],
            "quotes": one("SELECT count(*) FROM clusters").fetchone()[0],
            "quotes_in_several_articles": shared,
            "altered_quotes": one("SELECT count(*) FROM clusters WHERE altered").fetchone()[0],
            "people": sum(p["kind"] == "person" for p in everyone),
            "organisations": sum(p["kind"] != "person" for p in everyone),
            "quoted_people": len(quoted_people),
            "quoted_people_by_gender": {g: {"people": n, "share": n / len(quoted_people)}
                                        for g, n in sorted(genders.items(), key=lambda kv: (-kv[1], kv[0]))},
        }


def _ranked(counts: Counter[str]) -> list[list[Any]]:
    """[value, count] pairs, most frequent first, then alphabetical."""
    return [[value, n] for value, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _alone(occurrence: dict[str, Any]) -> dict[str, Any]:
    """The summary of an occurrence no cluster holds yet."""
    return {"id": None, "quotation": occurrence["text"], "speaker": occurrence["speaker"], "altered": False,
            "occurrences": 1, "outlets": 1 if occurrence["outlet"] else 0, "first_date": occurrence["date"]}
