"""Resolve mentions within one article: who is "she", "the model", "the latter"?

No trained coreference model is available offline, so this is a deterministic
resolver in the tradition of rule-based coreference (exact and partial name
match first, then pronouns and descriptions by salience): mentions are read in
text order, and each is linked to an entity already seen or starts a new one.

Salience favours recent sentences, grammatical subjects and the last speaker,
and never crosses a stated gender: "she" cannot be a man the text calls "he"
or "Mr". Gender is only ever what the text states.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..lexicon import Lexicon
from .mentions import FORMER, HANDLE, LATTER, NAME, NOMINAL, ORG, PRONOUN, Mention

_WINDOW = 4  # sentences a pronoun or description may look back
# What one mention adds to its entity's salience, by the mention's role: a subject
# keeps a person in the reader's focus far more than a name in passing.
_WEIGHTS = {"subject": 2.0, "other": 1.2, "possessive": 0.8, "modifier": 0.5}
_SALIENCE_SCALE = 16.0  # salience against the bonuses of ``_salient``: a subject one sentence back weighs 16
# A second mention in the same sentence adds this share of its weight: a person the
# sentence keeps coming back to ("He told police he ... his car") stays in focus, but
# "the latter ... she ... her" does not outweigh the subject of the next sentence.
_REPEAT = 0.7
# A person named for the first time in this sentence or the one before: news introduces a
# source ("X, president of Y, is hopeful ...") just before quoting them.
_INTRODUCED = 2.0
# The main-clause subject of the sentence before (or the one before that, across a sentence
# with no one as its subject) for a subject pronoun: centering theory's preferred centre.
_CENTRE = 24.0
_CENTRE_WINDOW = 2


@dataclass(eq=False)
class Entity:
    """A person or organisation of the article, built from its mentions."""

    id: int
    kind: str  # "person", "organisation" or "unnamed"
    names: list[tuple[str, ...]] = field(default_factory=list)
    label: str = ""
    genders: Counter = field(default_factory=Counter)
    descriptors: Counter = field(default_factory=Counter)
    ages: Counter = field(default_factory=Counter)
    handles: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    last_sent: int = -1
    forms: set = field(default_factory=set)  # lowercased names, and what name look-ups compare
    surnames: set = field(default_factory=set)
    firsts: set = field(default_factory=set)
    acronyms: set = field(default_factory=set)
    words: set = field(default_factory=set)
    labels: set = field(default_factory=set)  # entity-recogniser labels of its names
    spoke: bool = False  # has been the subject of a clause
    said: int = 0  # mentions that are the subject of a speech cue
    plural: bool = False  # introduced by a plural description ("authorities"): never "he" or "she"
    salience: float = 0.0  # accumulated weight of its mentions, as of sentence ``salience_sent``
    salience_sent: int = -1
    sentence_weight: float = 0.0  # the weight sentence ``salience_sent`` has added

    @property
    def name(self) -> str:
        """The fullest name the article gives, else the description that introduced it."""
        if self.names:
            return " ".join(max(self.names, key=len))
        return self.label

    @property
    def gender(self) -> str | None:
        if not self.genders:
            return None
        (top, n), *rest = self.genders.most_common()
        return top if not rest or rest[0][1] < n else None

    def add_name(self, name: tuple[str, ...]) -> None:
        self.names.append(name)
        low = _form(name)
        self.forms.add(low)
        self.words.update(low)
        self.firsts.add(low[0])
        if len(low) > 1:
            self.surnames.add(low[-1])
            self.acronyms.add(_initials(name))

    def salience_at(self, sent: int) -> float:
        """Salience fades by half with every sentence since the entity was last mentioned."""
        return self.salience * 0.5 ** max(0, sent - self.salience_sent)

    def compact(self) -> str:
        return "".join(ch for ch in self.name.lower() if ch.isalnum())


def _form(name: tuple[str, ...]) -> tuple[str, ...]:
    """A name as look-ups compare it: lowercase, and without the "the" an organisation's name keeps
    ("the Catholic Diocese" is "Catholic Diocese of Halden" cut short)."""
    low = tuple(w.lower() for w in name)
    return low[1:] if len(low) > 1 and low[0] == "the" else low


def _initials(name: tuple[str, ...]) -> str:
    return "".join(w[0] for w in name if w[:1].isupper()).lower()


def _person_shaped(name: tuple[str, ...]) -> bool:
    """Whether a name is written like a person's: "Nadia Orlov", not "FerryLink"."""
    return 2 <= len(name) <= 3 and all(w[:1].isupper() and w[1:].islower() and w.isalpha() for w in name)


def _fullest(e: Entity) -> tuple[str, ...]:
    return max(e.names, key=len) if e.names else ()


def _compatible_gender(entity: Entity, gender: str | None) -> bool:
    return gender is None or entity.gender in (None, gender)


class Resolver:
    """Links mentions to entities, in text order."""

    def __init__(self, lex: Lexicon) -> None:
        self.org_words = lex.org_nouns  # "council", "company": words that make a name an organisation's
        self.credit_words = lex.credit_words  # "press": an agency in a byline or photo credit
        self.place_bodies = lex.place_bodies  # "city": "the city" is the City of X the article named
        self.entities: list[Entity] = []
        self.last_speaker: Entity | None = None
        self._order: dict[int, Entity] = {}  # entities by last mention, oldest first
        self._mains: list[tuple[int, Entity]] = []  # (sentence, entity) of those, in text order

    # -- bookkeeping -----------------------------------------------------------------
    def _new(self, kind: str, label: str = "") -> Entity:
        e = Entity(len(self.entities), kind, label=label)
        self.entities.append(e)
        return e

    def _link(self, m: Mention, e: Entity) -> Entity:
        if not e.mentions and m.kind == NOMINAL:
            e.plural = m.plural  # "authorities", "two men": whoever "he" is, not them
        m.entity = e.id
        e.mentions.append(m)
        if e.kind == "candidate" and not m.weak:
            e.kind = "person"
        if m.kind in (NAME, ORG) and m.name_tokens:
            e.add_name(m.name_tokens)
            e.labels.add(m.label)
        if m.kind == HANDLE and m.text not in e.handles:
            e.handles.append(m.text)
        if e.kind == "candidate" or m.in_quote:
            return e  # named inside a quote, or not yet known to be anyone: no salience
        e.last_sent = max(e.last_sent, m.sent)
        weight = _WEIGHTS[m.role]
        if m.sent == e.salience_sent:  # more mentions in one sentence add with diminishing weight
            e.salience += max(0.0, weight - e.sentence_weight) + _REPEAT * min(weight, e.sentence_weight)
            e.sentence_weight = max(e.sentence_weight, weight)
        else:
            e.salience = e.salience_at(m.sent) + weight
            e.salience_sent, e.sentence_weight = m.sent, weight
        e.spoke = e.spoke or m.subject
        if m.main:
            self._mains.append((m.sent, e))
        e.said += m.speaker
        if m.descriptor and m.kind in (NOMINAL, NAME):
            e.descriptors[m.descriptor] += 1
        if m.age is not None:
            e.ages[m.age] += 1
        if m.gender and m.kind in (NAME, NOMINAL) and e.kind != "organisation":
            e.genders[m.gender] += 1
        self._order.pop(e.id, None)
        self._order[e.id] = e  # dicts keep insertion order: the latest mentioned is last
        return e

    # -- names -------------------------------------------------------------------------
    def _by_name(self, m: Mention) -> Entity | None:
        full = _form(m.name_tokens)
        if not full:
            return None
        words = list(full)
        if m.related:  # "Lind's father, Per," is not the Per Okafor named before
            return next((e for e in reversed(self.entities) if full in e.forms), None)
        # Entities in view first; then any named so far (inside quotes, or not yet confirmed).
        return self._name_in(self._order.values(), words, full) or self._name_in(self.entities, words, full)

    def _name_in(self, pool, words: list[str], full: tuple[str, ...]) -> Entity | None:
        pool = list(pool)[::-1]
        for e in pool:
            if full in e.forms:
                return e
        named = [e for e in pool if e.kind != "unnamed"]
        if len(words) == 1:
            w = words[0]
            return (next((e for e in named if len(w) > 1 and w in e.acronyms), None)  # "KFL"
                    or next((e for e in named if w in e.surnames), None)
                    or next((e for e in named if w in e.firsts), None))
        first, last, given = words[0], words[-1], set(words)
        for e in named:
            longest = max(e.names, key=len) if e.names else ()
            if len(longest) == 1 and longest[0].lower() in (first, last):
                return e  # "Kate" seen before "Kate Beckinsale"
            if given <= e.words and last in e.surnames:
                return e
            if e.words and e.words <= given and len(longest) > 1 and longest[-1].lower() == last:
                return e  # "John Smith" then "John A. Smith"
            if any(form[:len(full)] == full for form in e.forms if len(form) > len(full)):
                return e  # "the Catholic Diocese" after "the Catholic Diocese of Halden"
        return None

    def _by_handle(self, m: Mention) -> Entity | None:
        handle = "".join(ch for ch in m.text.lower() if ch.isalnum())
        for e in reversed(self._order.values()):
            if handle in e.handles:
                return e
            compact = e.compact()
            if e.kind != "unnamed" and compact and len(compact) > 3 and (
                    compact in handle or (e.names and len(max(e.names, key=len)) > 1
                                          and handle.endswith(max(e.names, key=len)[-1].lower()))):
                return e
        return None

    # -- salience ------------------------------------------------------------------------
    def _salient(self, m: Mention, *, kinds: set[str], gender: str | None,
                 exclude: frozenset | set = frozenset()) -> Entity | None:
        """The entity of ``kinds`` most in focus where ``m`` stands (Lappin and Leass style).

        Focus is the entity's accumulated, fading salience (``Entity.salience_at``) plus
        the speaker's continuity: "she said" tends to continue whoever has been speaking.
        """
        best, best_score = None, None
        centre = self._centre(m)
        for e in reversed(self._order.values()):
            if m.sent - e.last_sent > _WINDOW:
                break  # entities come latest-mentioned first: all the rest are further back
            if e.kind not in kinds or not _compatible_gender(e, gender) or e in exclude:
                continue
            if m.kind == PRONOUN and (e.plural and not m.plural or m.plural and not e.plural and e.kind == "unnamed"
                                      or e.words & self.credit_words or e.mentions[0].document):
                # "he" is not "authorities", nor "they" "an immigration lawyer"; "they" is
                # not The Canadian Press of a photo credit; no pronoun is "the complaint"
                continue
            score = _SALIENCE_SCALE * e.salience_at(m.sent)
            if m.speaker and e.said:
                score += 1.5
            if e is self.last_speaker:
                score += 1.0
            if gender is not None and e.gender == gender:
                score += 1.5  # the text already calls this one "she" (or "he")
            if m.speaker and e.kind == "person" and m.sent - e.mentions[0].sent <= 1:
                score += _INTRODUCED  # "she said" after a source is introduced
            if e in centre:
                score += _CENTRE
            if e.kind == "unnamed":
                score -= 1.0 if e.spoke else 3.0  # "a spokesperson said" may be "she"; "a man" in passing rarely
            if best_score is None or score > best_score:
                best, best_score = e, score
        last = self.last_speaker
        if (best is None and m.speaker and last is not None and last not in exclude and last.kind in kinds
                and _compatible_gender(last, gender)):
            return last  # "he explains" after a long run of his quotes, which hold no mention of him
        return best

    def _centre(self, m: Mention) -> set[Entity]:
        """Who a subject pronoun opening its sentence most likely continues (centering): the
        main-clause subject of the latest sentence that has one, at most ``_CENTRE_WINDOW``
        sentences back. "Ana Vell warned the public not to speculate on the mayor's
        resignation. She was quoted as saying ..." is Vell, however often the mayor came before."""
        if not m.subject or (self._mains and self._mains[-1][0] == m.sent):
            return set()  # "Ivo Lind said he ...": the sentence's own subject is the one in focus
        last = self._mains[-1][0] if self._mains else -1
        if last < 0 or m.sent - last > _CENTRE_WINDOW:
            return set()
        return {e for s, e in reversed(self._mains[-4:]) if s == last}

    def salient_at(self, m: Mention, *, kinds: set[str]) -> Entity | None:
        """The most salient entity of ``kinds`` where ``m`` stands, for a speaker the text leaves implicit."""
        return self._salient(m, kinds=kinds, gender=None)

    def _barred(self, m: Mention) -> set[Entity]:
        """The entities ``m`` cannot be: those of the mentions kept apart from it that the walk has resolved."""
        return {self.entities[o.entity] for o in m.apart if o.entity is not None}

    # -- the walk ------------------------------------------------------------------------
    def add(self, m: Mention) -> Entity | None:
        """Resolve one mention (in text order) and return its entity, if any."""
        if m.entity is not None:  # a name a description before it already resolved (``Mention.cataphor``)
            return self.entities[m.entity]
        if m.kind == NAME:
            e = self._by_name(m)
            if e is None and m.weak:
                if len(m.name_tokens) < 2:
                    return None
                e = self._new("candidate")  # an untagged proper noun, until a real mention confirms it
            if e is None:
                e = self._introduced(m) or self._new("person")
            e = self._link(m, e)
            if e.kind != "candidate":
                e.kind = "organisation" if e.words & self.org_words else "person"
            return e
        if m.kind == ORG:
            if m.name_tokens:
                e = self._by_name(m)
                if e is None:
                    e = self._new("person" if self._relative(m) else "organisation")
            elif m.definite:
                # "the company" stands for the company just named; other bodies ("the government")
                # keep their own words, as readers name them, and guessing goes wrong more than right.
                e = self._named_org(m) if m.anaphor else self._place_body(m)
                e = e or self._by_label(m.text) or self._new("organisation", label=m.text)
            else:
                e = self._new("organisation", label=m.text)
            return self._link(m, e)
        if m.kind == HANDLE:
            e = self._by_handle(m) or self._new("person", label=m.text)
            return self._link(m, e)
        if m.in_quote:
            return None  # "he" inside a quote is the speaker's topic, not a speaker
        if m.kind == PRONOUN:
            if m.text.lower() in {"it", "its"}:
                e = self._salient(m, kinds={"organisation"}, gender=None)
            elif m.plural:
                e = self._salient(m, kinds={"organisation", "unnamed"}, gender=None)
            else:
                barred = self._barred(m)
                e = self._salient(m, kinds={"person", "unnamed"}, gender=m.gender, exclude=barred) \
                    or self._person_shaped(m)
                governor = self._governor(m)
                if governor in barred:
                    governor = None
                if governor is not None and (governor.gender == m.gender or e is None or e.gender != m.gender):
                    e = governor  # unless only salience found someone the text already calls "she" or "he"
            if e is not None and m.gender and e.kind != "organisation":
                e.genders[m.gender] += 1
            return self._link(m, e) if e is not None else None
        if m.kind in (LATTER, FORMER):
            people = [e for e in self._order.values() if e.kind != "organisation"]
            idx = -1 if m.kind == LATTER else -2
            return self._link(m, people[idx]) if len(people) >= -idx else None
        if m.kind == NOMINAL:
            if m.plural:  # "the officials", "his supporters": a group, never one named person
                return self._link(m, self._by_label(m.text) or self._group(m) or self._new("unnamed", label=m.text))
            if not m.definite:
                return self._link(m, self._new("unnamed", label=m.text))
            owner = self.entities[m.owner.entity] if m.owner is not None and m.owner.entity is not None else None
            e = self._by_descriptor(m)
            if e is owner or e in self._barred(m):
                e = None
            if e is None and m.cataphor is not None:
                e = self.add(m.cataphor)  # the person the next sentences name with this title
            if e is None and (m.descriptor or m.age or m.speaker) and not m.document:
                # "the actress", "the 30-year-old goalkeeper", "the affable proprietor said"
                e = self._salient(m, kinds={"person"}, gender=m.gender, exclude=self._barred(m) | {owner})
            if e is None:
                e = self._by_label(m.text) or self._new("unnamed", label=m.text)
            return self._link(m, e)
        return None

    def _relative(self, m: Mention) -> bool:
        """Whether a name the recogniser called an organisation is a relative of a person named
        before: written like a person's name, with that person's surname ("Per Lind ...
        For Ana Lind, the verdict cannot come soon enough, she says")."""
        words = [w.lower() for w in m.name_tokens]
        return (_person_shaped(m.name_tokens) and not set(words) & self.org_words
                and any(e.kind == "person" and words[-1] in e.surnames for e in self.entities))

    def _person_shaped(self, m: Mention) -> Entity | None:
        """For "she" with no person in view: a name the recogniser called an organisation but
        written like a person's ("Nadia Orlov spoke ... she said"), which then becomes a person."""
        for e in reversed(self._order.values()):
            if m.sent - e.last_sent > _WINDOW:
                break
            if (e.kind == "organisation" and e.labels == {"ORG"} and _person_shaped(_fullest(e))
                    and not (e.words & self.org_words)):
                e.kind = "person"
                return e
        return None

    def _introduced(self, m: Mention) -> Entity | None:
        """The unnamed speaker a news lede introduces and the next sentence names: "A Superior
        Court judge chastised the station, saying ... Justice Jane Doe directed ...".

        Only a speaker described in the sentence just before, never named, and a new name that
        opens the next sentence as its subject, with no description of its own: a victim or a
        bystander ("A man was stabbed. Constable Jane Doe said") does not speak, so does not
        take the name, and "Ivo Lind, the president of X," introduces someone new.
        """
        if not (m.subject and m.opens_sentence) or m.apposed:
            return None
        for e in reversed(self._order.values()):
            if m.sent - e.last_sent > 1:
                break
            if (e.kind == "unnamed" and e.said and not e.plural and not e.names
                    and e.mentions[0].sent == e.last_sent == m.sent - 1 and _compatible_gender(e, m.gender)):
                return e
        return None

    def _governor(self, m: Mention) -> Entity | None:
        """The subject of the clause a pronoun's clause hangs on, if it can be this pronoun."""
        g = m.governor
        if g is None or g.entity is None:
            return None
        e = self.entities[g.entity]
        if e.kind not in ("person", "unnamed") or e.plural or not _compatible_gender(e, m.gender):
            return None
        return e

    def _named_org(self, m: Mention) -> Entity | None:
        """The company (not a place, nor the agency of a photo credit) named most recently: one
        whose name shares a word with the description first, however far back ("the railway
        company" and "the Halden-based railway" are the Halden Pacific Railway, not the safety
        board named after it), else, within a few sentences, one that has spoken ("The ministry said ...
        about the papers. The department added")."""
        words = set(m.text.lower().split()[1:])
        companies = [e for e in reversed(self._order.values())
                     if e.names and "ORG" in e.labels and not e.words & self.credit_words
                     and (e.kind == "organisation" or not (e.genders or _person_shaped(_fullest(e))))  # "FerryLink"
                     and any(w[:1].isupper() for w in _fullest(e))]  # not "the federal department"
        sharing = next((e for e in companies if words & e.words), None)
        if sharing is not None:
            return sharing
        named = [e for e in companies if m.sent - e.last_sent <= _WINDOW]
        return next((e for e in named if e.spoke), named[0] if named else None)

    def _group(self, m: Mention) -> Entity | None:
        """The group described before by the same plural noun: news introduces its unnamed sources
        once ("sources familiar with the negotiations") and then calls them "sources" or "the
        sources"; "other sources" are someone else."""
        if not m.noun or "other" in m.text.lower().split():
            return None
        return next((e for e in reversed(self.entities)
                     if e.kind == "unnamed" and e.plural and e.mentions and e.mentions[0].noun == m.noun), None)

    def _place_body(self, m: Mention) -> Entity | None:
        """For "the city" or "the diocese": the body whose name holds that word ("the City of
        Kesterby"), however far back, and of several the one the article names most (a Kesterby story
        that mentions Halden City in passing); None when the article names none."""
        if m.noun not in self.place_bodies:
            return None
        named = [e for e in self.entities if e.kind == "organisation" and m.noun in e.words]
        return max(named, key=lambda e: sum(x.kind in (NAME, ORG) and bool(x.name_tokens) for x in e.mentions),
                   default=None)

    def _by_label(self, text: str) -> Entity | None:
        low = text.lower()
        for e in reversed(self._order.values()):
            if e.label.lower() == low:
                return e
        return None

    def _by_descriptor(self, m: Mention) -> Entity | None:
        """The latest person described the same way: "the minister" may be a prime minister,
        but "the prime minister" is not the minister of transport."""
        for e in reversed(self._order.values()):
            if e.kind != "person" or m.sent - e.last_sent > 3 * _WINDOW:
                continue
            if any(m.descriptor == d or m.descriptor == d.rsplit(" ", 1)[-1] for d in e.descriptors):
                return e
        return None
