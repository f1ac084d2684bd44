"""The engine end to end: ``quotegraph.extract`` on whole articles with the real spaCy model.

* the seed article (read from ``../shared/examples`` at test time, skipped when absent),
  graded with ``quotegraph.evaluation.score`` against its gold;
* the bundled fictional samples against ``tests/fixtures/samples.expected.jsonl``,
  with pinned recall and speaker-accuracy floors;
* small hand-written attribution and resolution cases;
* the data contract of ``docs``/product.md: offsets slice the text given.

The model is loaded once per session and every text is extracted at most once
(``run``), so the whole module takes seconds.
"""
from __future__ import annotations

import functools
import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest

import quotegraph
from quotegraph import nlp
from quotegraph.evaluation import format_report, score
from quotegraph.evaluation.score import letters, normalise_name, pair_up
from quotegraph.model import QUOTE_TYPES, ArticleResult, Person, Quote
from quotegraph.options import Options

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO.parent / "shared" / "examples"
SEED_TEXT = EXAMPLES / "seed-article.txt"
SEED_GOLD = EXAMPLES / "seed-article.gold.jsonl"
SAMPLES_EXPECTED = REPO / "tests" / "fixtures" / "samples.expected.jsonl"

# Floors on the bundled samples (tests/fixtures/samples.expected.jsonl), measured
# on the engine at 73ee04e: 76 of 85 expected quotes found (0.894), the right
# speaker for 56 of those 76 (0.737). They may only go up: raise them when the
# engine improves, never lower them to make a change pass.
SAMPLES_RECALL_FLOOR = 0.88
SAMPLES_SPEAKER_ACCURACY_FLOOR = 0.72

OVERLAP = 0.5  # the grader's overlap threshold on letters and digits

# The data contract (product.md): keys of a result, a quote and a person.
RESULT_KEYS = {"id", "date", "quotes", "people"}
QUOTE_KEYS = {"start", "end", "spans", "text", "type", "speaker", "speaker_id", "speaker_mention",
              "cue", "channel", "confidence", "evidence"}
PERSON_KEYS = {"id", "name", "gender", "descriptors", "age", "handles", "mentions"}
SPAN_KEYS = {"start", "end", "text"}


def read_exact(path: Path) -> str:
    """A file's whole content decoded as UTF-8, with no newline translation (the offsets' basis)."""
    return path.read_bytes().decode("utf-8")


@pytest.fixture(scope="session")
def run() -> Callable[[str], ArticleResult]:
    """``extract`` with the real model, loaded once, each distinct text extracted once."""
    nlp.load(Options().model)

    @functools.cache
    def extract(text: str) -> ArticleResult:
        return quotegraph.extract(text)

    return extract


def dump(result: ArticleResult) -> str:
    """A readable listing of a result, for assertion messages."""
    lines = ["quotes:"]
    for q in result.quotes:
        mention = q.speaker_mention.text if q.speaker_mention else None
        lines.append(f"  {q.type:8s} {q.speaker!r:28s} mention={mention!r} channel={q.channel!r} "
                     f"| {q.text[:70]!r}")
    lines.append("people:")
    for p in result.people:
        lines.append(f"  {p.id} {p.name!r} kind={p.kind} gender={p.gender} age={p.age} "
                     f"descriptors={list(p.descriptors)} handles={list(p.handles)}")
    return "\n".join(lines)


def quote_with(result: ArticleResult, fragment: str) -> Quote:
    """The one quote whose text contains ``fragment``."""
    found = [q for q in result.quotes if fragment in q.text]
    assert len(found) == 1, f"expected one quote containing {fragment!r}, got {len(found)}\n{dump(result)}"
    return found[0]


def person(result: ArticleResult, name: str) -> Person:
    found = [p for p in result.people if normalise_name(p.name) == normalise_name(name)]
    assert len(found) == 1, f"expected one person named {name!r}\n{dump(result)}"
    return found[0]


# ---------------------------------------------------------------------------
# The seed article


@pytest.fixture(scope="session")
def seed(run):
    """(gold document, the engine's result as a dict) for the seed article."""
    if not SEED_TEXT.is_file() or not SEED_GOLD.is_file():
        pytest.skip(f"the seed article is not at {SEED_TEXT} (with {SEED_GOLD.name} beside it); "
                    "it lives in ../shared/examples, outside the repo")
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8").splitlines()[0])
    text = read_exact(SEED_TEXT)
    assert text == gold["text"], "seed-article.txt and the text of its gold differ"
    return gold, run(text).to_dict() | {"id": gold["id"]}


def test_pipeline_seed_article_every_quote_and_speaker(seed):
    gold, pred = seed
    figures, errors = score([gold], {gold["id"]: pred}, n_errors=50)
    report = format_report(figures, errors)
    n = len(gold["quotes"])
    assert n == 7
    for kind in ("overlap", "exact"):
        assert (figures[kind]["tp"], figures[kind]["fn"], figures[kind]["fp"]) == (n, 0, 0), report
    assert figures["speaker_accuracy"] == 100.0, report
    assert figures["end_to_end"]["fp"] == 0 and figures["end_to_end"]["fn"] == 0, report


def _missing_people_facts(seed: tuple[dict, dict], facts: tuple[str, ...]) -> list[str]:
    """Every listed fact of every gold person that the engine's people lack."""
    gold, pred = seed
    missing = []
    by_name = {normalise_name(p["name"]): p for p in pred["people"]}
    for g in gold["people"]:
        p = by_name.get(normalise_name(g["name"]))
        if p is None:
            missing.append(f"{g['name']}: not among the people")
            continue
        for fact in facts:
            if fact not in g:
                continue
            want, got = g[fact], p.get(fact)
            if isinstance(want, list):
                if not set(want) <= set(got or []):
                    missing.append(f"{g['name']}: {fact} {want} not all in {got}")
            elif want != got:
                missing.append(f"{g['name']}: {fact} {want!r}, got {got!r}")
    return missing


def test_pipeline_seed_article_people_facts(seed):
    missing = _missing_people_facts(seed, ("gender", "descriptors", "age"))
    assert not missing, "\n".join(missing)


def test_pipeline_seed_article_people_handles(seed):
    missing = _missing_people_facts(seed, ("handles",))
    assert not missing, "\n".join(missing)


# ---------------------------------------------------------------------------
# The bundled sample articles


def _expected_samples() -> list[dict]:
    return [json.loads(line) for line in SAMPLES_EXPECTED.read_text(encoding="utf-8").splitlines() if line.strip()]


def _sample_text(article_id: str) -> str:
    return resources.files("quotegraph").joinpath("samples", f"{article_id}.txt").read_bytes().decode("utf-8")


def _locate(text: str, expected: dict) -> list[tuple[int, int]]:
    """Where the expected quote's text is in the article: its spans, checked, else found by search.

    The fixture joins the pieces of an interrupted quote with `` ... ``.
    """
    pieces = expected["text"].split(" ... ")
    spans = expected.get("spans") or [(expected["start"], expected["end"])]
    if len(spans) == len(pieces) and all(text[a:b] == p for (a, b), p in zip(spans, pieces, strict=True)):
        return [tuple(s) for s in spans]
    out, pos = [], 0
    for piece in pieces:
        at = text.find(piece, pos)
        assert at >= 0, f"fixture stale: {piece!r} is not in the article text"
        out.append((at, at + len(piece)))
        pos = at + len(piece)
    return out


@pytest.fixture(scope="session")
def samples_report(run):
    """Per article and per expected quote: found? right speaker? Plus reported not-quotes."""
    articles = []
    for exp in _expected_samples():
        text = _sample_text(exp["id"])
        result = run(text)
        preds = [q.to_dict() for q in result.quotes]
        gold_l = [letters(text, _locate(text, q)) for q in exp["quotes"]]
        pred_l = [letters(text, p["spans"]) for p in preds]
        pairs = dict(pair_up(gold_l, pred_l, OVERLAP))
        rows = []
        for gi, q in enumerate(exp["quotes"]):
            pred = preds[pairs[gi]] if gi in pairs else None
            rows.append({
                "expected": q,
                "pred": pred,
                "found": pred is not None,
                "speaker_ok": pred is not None and normalise_name(pred["speaker"]) == normalise_name(q["speaker"]),
            })
        reported = []
        for nq in exp.get("not_quotes", []):
            start = text.find(nq)
            assert start >= 0, f"fixture stale: not-quote {nq!r} is not in {exp['id']}"
            while start >= 0:
                nl = letters(text, [(start, start + len(nq))])
                for p, pl in zip(preds, pred_l, strict=True):
                    if nl and pl and 2 * len(nl & pl) / (len(nl) + len(pl)) >= OVERLAP:
                        reported.append((nq, p["text"]))
                start = text.find(nq, start + 1)
        articles.append({"id": exp["id"], "rows": rows, "not_quotes_reported": reported})
    return articles


def _format_samples(articles: list[dict]) -> str:
    lines = []
    for art in articles:
        lines.append(f"== {art['id']}")
        for r in art["rows"]:
            q, p = r["expected"], r["pred"]
            mark = "ok " if r["found"] and r["speaker_ok"] else ("SPK" if r["found"] else "MISS")
            got = f" -> got {p['speaker']!r}" if p and not r["speaker_ok"] else ""
            lines.append(f"  {mark:4s} {q['type'][:8]:8s} {q['speaker']!r}{got} | {q['text'][:60]!r}")
        for nq, said in art["not_quotes_reported"]:
            lines.append(f"  NOT-QUOTE reported: {nq!r} in {said!r}")
    return "\n".join(lines)


def _sample_figures(articles: list[dict]) -> tuple[int, int, int]:
    rows = [r for a in articles for r in a["rows"]]
    return len(rows), sum(r["found"] for r in rows), sum(r["speaker_ok"] for r in rows)


def test_pipeline_samples_recall_floor(samples_report):
    total, found, _ = _sample_figures(samples_report)
    recall = found / total
    assert recall >= SAMPLES_RECALL_FLOOR, (
        f"recall {recall:.3f} ({found}/{total}) < floor {SAMPLES_RECALL_FLOOR}\n{_format_samples(samples_report)}")


def test_pipeline_samples_speaker_accuracy_floor(samples_report):
    _, found, right = _sample_figures(samples_report)
    accuracy = right / found if found else 0.0
    assert accuracy >= SAMPLES_SPEAKER_ACCURACY_FLOOR, (
        f"speaker accuracy {accuracy:.3f} ({right}/{found} found quotes) < floor "
        f"{SAMPLES_SPEAKER_ACCURACY_FLOOR}\n{_format_samples(samples_report)}")


def test_pipeline_samples_not_quotes_are_not_reported(samples_report):
    reported = [a for a in samples_report if a["not_quotes_reported"]]
    assert not reported, _format_samples(reported)


# ---------------------------------------------------------------------------
# Attribution and resolution: short hand-written news paragraphs

TEXTS = {
    "pronoun": (
        "Marta Lindqvist, a retired librarian, opened the new reading room in Brackenford on Saturday.\n\n"
        '"Every town deserves a place where reading is free," she said.'),
    "pronoun_untagged": (
        "Nadia Orlov spoke to parents at the school gates on Friday.\n\n"
        '"The children handled the evacuation calmly and nobody was hurt," she said.'),
    "said_surname": (
        "Peter Smith, the finance chair, presented the budget on Tuesday.\n\n"
        '"We have found the money for every school on the list," said Smith.'),
    "name_age": (
        "Two swimmers were rescued near Dunhollow pier on Sunday afternoon.\n\n"
        'Tomas Reilly, 47, said: "I just rowed as hard as I could and hoped for the best."'),
    "instagram": (
        "The singer Lena Hartwell cancelled her autumn tour on Monday.\n\n"
        'She wrote on Instagram: "I am so sorry to everyone who bought a ticket. My voice needs a long rest."'),
    "said_no_comma": (
        "Elsa Marwood chairs the harbour board.\n\n"
        'Marwood said "we will rebuild the pier before the summer" on Monday.'),
    "dash": (
        "The mayor of Kelsby, Aldo Ferrante, visited the flooded streets on Wednesday.\n\n"
        "The mayor - who has lived in the town all his life - said: "
        '"I have never seen the river this high, and I hope I never will again."'),
    "continuation": (
        "Margaret Hollis, the head teacher, spoke to parents at the school gates on Friday.\n\n"
        '"The children handled the evacuation calmly and nobody was hurt," she said.\n\n'
        '"We will reopen on Monday once the engineers are happy with the roof."'),
    "latter": (
        "Councillor Ruth Ainsley questioned the budget, and the mayor, Dominic Pell, defended it.\n\n"
        'The latter said: "Every penny has been accounted for, and the books are open to anyone."'),
    "latter_untagged": (
        "Rafael Costa beat Ingrid Moll in the final on Sunday.\n\n"
        'The latter said: "I played the best tennis of my life today and I still lost."'),
    "actress": (
        "Clara Voss, an actress, and Jonas Brandt, a director, arrived at the festival on Saturday.\n\n"
        'The 47-year-old actress told reporters: "I did not expect this at all, and I am still shaking."'),
    "company": (
        "Brightwater Energy Ltd will raise its prices by nine per cent in May.\n\n"
        '"The rise covers the cost of replacing old pipes across the region," the company said in a statement.'),
    "company_reported": (
        "Brightwater Energy Ltd will raise its prices by nine per cent in May.\n\n"
        "The company said in a statement that the rise was needed to cover the cost of replacing old pipes."),
    "according": "Fares will rise by four per cent in January, according to Harriet Gale, the transport commissioner.",
    "according_title_first": "The ferry will not sail until Thursday, according to the harbour master, Gwen Ellery.",
    "handle": (
        "The chef Jane Doe closed her restaurant in Wexley last week.\n\n"
        '@janedoe wrote: "Thank you for ten wonderful years of dinners and laughter."'),
    "handle_in_quote": (
        "The chef Jane Doe closed her restaurant in Wexley last week.\n\n"
        'Her old business partner, Tom Reyes, wrote on X: "Thank you @janedoe for ten years of brilliant dinners."'),
    "gender": (
        "Sam Okafor and Priya Nandakumar both spoke at the meeting on Thursday.\n\n"
        '"The road needs a crossing before someone gets hurt," Okafor said.\n\n'
        'Ms Nandakumar said: "I have asked for one for three years and I am tired of waiting."'),
    "gender_first_names": (
        "Emily Carter and John Whitfield both spoke at the meeting on Thursday.\n\n"
        '"The road needs a crossing before someone gets hurt," Carter said.\n\n'
        'Whitfield said: "I have asked for one for three years and I am tired of waiting."'),
    "topic_pronoun": (
        "Arlo Venn, 31, was charged on Monday with breaking into the Halden Museum.\n\n"
        "His lawyer, Tomas Greer, said they would ask for bail.\n\n"
        "Venn grew up in the valley. He worked at the museum for two years and knew its alarms. "
        "He said he had planned the break-in for months."),
    "zero_width_name": (
        "Union organiser Petra Lind spoke after the vote on Friday.\n\n"
        "Lind\u200b said the members had waited long enough for a contract."),
    "title_after_name": (
        "Prime Minister Ilse Brandvold opened the new bridge in Tarnow on Monday.\n\n"
        "Lukas Ferrand, Minister of Transport and Public Works, said the bridge was finished early.\n\n"
        "The Prime Minister said the town had waited forty years for it."),
    "possessive_left_quote": (
        "Council leader Oona Haverty\u2018s plan for the harbour was approved on Monday.\n\n"
        "Haverty said the work would start in June."),
    "says_he": (
        "Greta Moll runs the ferry office in Skarra, and her neighbour Piet Aalders, 50, owns the cafe.\n\n"
        "Aalders says he has lost half his trade since the strike began, and Moll says she has "
        "had to close two days a week."),
    "quantity_subject": (
        "The ferry strike on Skarra entered its second week on Monday.\n\n"
        "Some in the harbour community say the strike has gone on too long.\n\n"
        '"We only want the boats back," one of the fishermen said.'),
    "lede_names_speaker": (
        "A Harwick County judge criticised the water board on Friday, saying it had ignored "
        "three warnings about the reservoir.\n\n"
        "Justice Marit Olsen ordered the board to publish its inspection reports."),
    "lede_victim": (
        "A fisherman was injured when a crane collapsed at Skarra harbour on Friday.\n\n"
        "Constable Idris Vane said the crane had been inspected in March."),
    "owned_group": (
        "Mayor Ruth Calloway promised a new rink for Dunmore in March.\n\n"
        "Calloway\u2019s staff later said the rink would cost twice the first estimate."),
    "data_issuer": (
        "Water use in Dunmore rose by a third over the summer, according to the Dunmore Water "
        "Board\u2019s public database."),
    "teaser_and_terms": (
        "WATCH: \u2018The harbour will never be the same\u2019\n\n"
        "The words banished this year include \"synergy\", \"pivot\" and \"circle back\".\n\n"
        "Harbour master Ines Kroll said the ferry would run again on Monday."),
    "headline_quote": (
        " date 2026-05-01 \u201cI was told to stop making a fuss about the cracks\u201d: engineer speaks out\n\n"
        "Bridge engineer Halina Osterby left the council in January.\n\n"
        "\u201cI wrote four times, and each time I was told to stop making a fuss about the cracks,\u201d "
        "Osterby said."),
    "org_anaphor_word": (
        "Three crew of the Cardew Valley Railway were hurt when a freight train left the tracks near Dunmore.\n\n"
        "The Rail Safety Board has opened an inquiry.\n\n"
        "The railway company said the brakes had been inspected in March."),
    "group_they": (
        "Ferry crew members Tora Lindqvist and Emeka Obi said they would vote for the strike.\n\n"
        '"We have waited three years for a fair offer," they said.'),
    "pair_tagged_org": (
        "Tomas Brandt met Ellis Phillips at the rally.\n\n"
        "Both Brandt and Phillips have said they only wanted to calm the crowd."),
    "they_not_one_lawyer": (
        "Kim Arlo met an immigration lawyer on Tuesday, and they talked for hours.\n\n"
        '"We are not giving up," she said.'),
    "statement_no_issuer": (
        "The Harbour Trust said its chief engineer was among those hurt in the collapse. "
        'A statement said the trust was "deeply saddened" by the news.'),
    "study_released_by": (
        "Youth jobs will grow fastest in construction, according to a study which will be published "
        "on Monday by the Kesterby Foundation."),
    "her_statement": (
        "Mara Quist resigned from the board on Tuesday. Owen Tarr, the chair, said he was surprised.\n\n"
        'In her statement, Quist said the board had "lost its way".\n\n'
        '"It is a pillar of good governance that the board listens," her statement said.'),
    "owned_company": (
        "Software founder Arlo Brandt\u2019s Zenara, a wellness company, will open a farm on Skarrow.\n\n"
        "According to the Zenara website, the farm will be solar powered."),
    "long_run_then_he": (
        "Barber Owen Tarr has cut hair in Kesterby for 20 years.\n\n"
        '"It can feel a bit humiliating," he explains.\n\n"I show them how it is done."\n\n'
        '"Most of the men who come in have never had a shave."\n\n"They sit down nervous."\n\n'
        '"Then they relax."\n\n"Some fall asleep in the chair."\n\nArticle Continued Below\n\n'
        "It is normal, he explains, for a customer to sit in the chair without a word."),
    "party_member": (
        "Senate leader Tomas Brandt blamed the activists on Tuesday.\n\n"
        "The Ohio Democrat said the students had been treated unfairly."),
    "party": (
        "Senate leader Tomas Brandt blamed the activists on Tuesday.\n\n"
        "The Greens said the students had been treated unfairly."),
    "report_writer": (
        "Economist Mara Quist wrote in a new paper for the Harbour Institute that ferry fares "
        "had doubled since 2019.\n\n"
        "Traffic on the island's roads has also grown by a third, the paper said."),
    "guillemets_said_name": (
        "The ferry strike entered its second day on Tuesday.\n\n"
        "\u00abWe will not step back, and our members deserve better than this plan,\u00bb said Delia "
        "Marchbank, general secretary of the crews' union."),
    "conjunct_not_the_same": (
        "The Harbour Office in Porto Velha has held up the papers of an adopted boy for two years.\n\n"
        "Expecting a quick answer, Mark Edvinsen flew home to Halden in March, while Sarah and their son "
        "stayed on in Porto Velha.\n\n"
        '"We are not giving up on him," she said.'),
    "next_sentence_reports_its_own": (
        "The county paid the Kelsby reading club two million dollars last year.\n\n"
        '"Our first season went better than any of us hoped," says club director Alma Reyes. '
        '"Next year we will double the number of schools." While some councillors say the county should '
        "run the club itself, Reyes says the club costs less."),
    "centre_after_a_new_subject": (
        "King Aldric Venn of Wessmark stepped down on Sunday, two years into his reign. "
        "He had spent two months away from court, and his aides said he was exhausted.\n\n"
        "Police commissioner Tomas Brekke urged citizens on Monday to stop guessing at the reasons for King "
        "Aldric Venn's departure. He was quoted by a radio station as saying that officers had traced several "
        "invented stories to a single website."),
    "not_a_person": (
        "Sam Okafor runs the bakery on Mill Street.\n\n"
        '"Flour has doubled in price since the spring," Okafor said.'),
    "named_official": (
        "A ferry inspector on Skarrow island named Tomas Eklund told reporters that the pier would reopen "
        "on Friday."),
    "same_group": (
        "Sources familiar with the negotiations told reporters that the bid was low.\n\n"
        "The crews fear deep cuts, sources said.\n\n"
        "Port officials who were not authorized to speak publicly told reporters that the talks had stalled.\n\n"
        "The plan would not survive a vote in the council, the officials said.\n\n"
        "Other officials said the plan would pass."),
    "study_then_report": (
        "A study by the Harbour Institute looked at 13 ferry routes along the coast. It found three routes "
        "ran at a loss.\n\n"
        '"Routes that lose money year after year deserve a closer look from the province," the report said.'),
    "aged_worker": (
        "Tomas Brandt moved to Kesterby in 2015 with his sister Ana Brandt, a study by the Harbour Institute "
        "says.\n\n"
        "The 32-year-old welder says he still misses the mountains."),
    "relative_by_first_name": (
        "Harbour master Tomas Okafor said the ferry sank at dawn.\n\n"
        "The deckhand who died was Ivo Lind, a father of two.\n\n"
        "Lind's father, Tomas, says his son loved the sea."),
    "described_pair": (
        "The gala then had singers and spouses Dara Quist and Tomas Vell greet the guests and tell stories "
        'about the night Dara "fell off the stage in Kesterby."'),
    "owned_lawyers": (
        "Captain Ivo Lind was charged last year.\n\n"
        "Lind's lawyers will ask the court in March to drop the case and have argued in their filings that "
        "the police mishandled the evidence."),
    "relative_name_tagged_place": (
        '"Without the ferry, my son would have left the island long ago," says Lind\u2019s dad, Tyrel.'),
    "participle_cue": (
        "The line reported a loss for the year without giving details. \u201cOur insurers paid out more in "
        "one winter than in the ten years before it,\u201d Pierre Vell, the line\u2019s then-finance "
        "director, mentioned in a 2014 newsletter."),
    "the_city": (
        "The City of Toronto approved the new ferry terminal in March.\n\n"
        "Mayor Ana Vell visited Mississauga City Hall on Friday.\n\n"
        "The city said the terminal would open in May."),
    "title_before_name": (
        "Former player Ivo Lind filed the claim on Monday, and he says the league ignored his injuries.\n\n"
        "Asked about the case, the league commissioner said no papers had reached the league so far.\n\n"
        "\u201cWe will study the claim once it reaches us,\u201d league commissioner Tomas Brandt said in an "
        "email."),
    "apposed_group": (
        "The ferry party lacks a majority on the council, but its partners, members of the Skarrow Unionist "
        "Party (SUP), have said they will support the budget."),
    "titled_paper": (
        "A report by the Kesterby Ferry Company details how hard winter crossings are.\n\n"
        '"Storms close the northern sound for weeks at a time," says a document titled Winter Paper: Crossing '
        "the Sound on the company's website.\n\n"
        "The winter paper said cold increases wear on the engines."),
    "based_company": (
        "The Kesterby Ferry Company cancelled ten crossings on Monday.\n\nThe storm hit the coast at dawn.\n\n"
        "Waves reached six metres.\n\nSchools were closed.\n\nThe harbour was empty by noon.\n\n"
        "The Sailors Union said its members were safe.\n\n"
        "The Kesterby-based ferry company says that it will resume service on Friday."),
    "noting_after_report": (
        "Ivo Lind said the message from the harbour vote is that the ferry party badly needs new faces, "
        "noting that recruiting a local fisherman had won it two seats."),
    "listed_relatives": (
        "Police said three people were found dead. They were Ana Lind, 9; her brother, Ivo Lind, 12; and their "
        "uncle, Per Quist, 58."),
    "glued_age": "The victims were Tomas Brandt,60, and Ana Vell.",
    "description_edges": (
        "The union met on Monday.\n\n"
        "Many crew members said the ferry fares were too high.\n\n"
        "The ferry crews have agreed to a new contract after two weeks of talks, according to a person "
        "briefed on the talks but not allowed to discuss them."),
}


def test_pipeline_a_described_person_named_after_the_description_speaks_by_name(run):
    r = run(TEXTS["named_official"])
    q = quote_with(r, "pier would reopen")
    assert (q.speaker, q.speaker_mention.text) == ("Tomas Eklund", "Tomas Eklund"), dump(r)


def test_pipeline_a_group_named_again_by_its_noun(run):
    r = run(TEXTS["same_group"])
    assert quote_with(r, "deep cuts").speaker == "Sources familiar with the negotiations", dump(r)
    assert quote_with(r, "survive a vote").speaker == "Port officials", dump(r)
    assert quote_with(r, "would pass").speaker == "Other officials", dump(r)


def test_pipeline_description_leaves_out_quantifiers_and_what_follows_but(run):
    r = run(TEXTS["description_edges"])
    assert quote_with(r, "too high").speaker == "crew members", dump(r)
    assert quote_with(r, "new contract").speaker == "a person briefed on the talks", dump(r)


def test_pipeline_the_report_is_the_study_just_described(run):
    r = run(TEXTS["study_then_report"])
    q = quote_with(r, "closer look")
    assert (q.speaker, q.speaker_mention.text) == ("the Harbour Institute", "the report"), dump(r)


def test_pipeline_an_aged_description_is_a_person_not_a_document(run):
    r = run(TEXTS["aged_worker"])
    assert quote_with(r, "misses the mountains").speaker == "Tomas Brandt", dump(r)


def test_pipeline_a_relative_introduced_by_first_name_is_someone_new(run):
    r = run(TEXTS["relative_by_first_name"])
    assert quote_with(r, "loved the sea").speaker == "Tomas", dump(r)


def test_pipeline_names_after_their_descriptions_are_the_speakers(run):
    # The parser makes the names conjuncts of "singers and spouses", which it takes for the subject.
    r = run(TEXTS["described_pair"])
    assert {q.speaker for q in r.quotes} == {"Dara Quist and Tomas Vell"}, dump(r)


def test_pipeline_someones_lawyers_speak_for_themselves(run):
    r = run(TEXTS["owned_lawyers"])
    assert quote_with(r, "mishandled the evidence").speaker == "Lind's lawyers", dump(r)


def test_pipeline_a_name_after_a_persons_description_is_the_speaker_whatever_its_tag(run):
    r = run(TEXTS["relative_name_tagged_place"])
    assert quote_with(r, "left the island").speaker == "Tyrel", dump(r)


def test_pipeline_a_cue_parsed_as_a_participle_of_the_name(run):
    r = run(TEXTS["participle_cue"])
    assert quote_with(r, "insurers paid out").speaker == "Pierre Vell", dump(r)


def test_pipeline_the_city_is_the_city_the_article_names(run):
    r = run(TEXTS["the_city"])
    q = quote_with(r, "open in May")
    assert (q.speaker, q.speaker_mention.text) == ("The City of Toronto", "The city"), dump(r)


def test_pipeline_a_title_that_the_next_sentence_names(run):
    r = run(TEXTS["title_before_name"])
    q = quote_with(r, "no papers had reached")
    assert (q.speaker, q.speaker_mention.text) == ("Tomas Brandt", "the league commissioner"), dump(r)


def test_pipeline_a_group_is_named_by_its_apposition(run):
    r = run(TEXTS["apposed_group"])
    assert quote_with(r, "support the budget").speaker == "members of the Skarrow Unionist Party (SUP)", dump(r)


def test_pipeline_a_paper_is_not_issued_by_its_own_title(run):
    r = run(TEXTS["titled_paper"])
    assert quote_with(r, "wear on the engines").speaker == "the Kesterby Ferry Company", dump(r)
    # A new document cited right after another takes that one's issuer too.
    assert quote_with(r, "northern sound").speaker == "the Kesterby Ferry Company", dump(r)


def test_pipeline_the_company_shares_a_word_with_a_name_far_back(run):
    r = run(TEXTS["based_company"])
    assert quote_with(r, "resume service").speaker == "The Kesterby Ferry Company", dump(r)


def test_pipeline_a_participle_after_a_reported_clause_is_the_reporters(run):
    r = run(TEXTS["noting_after_report"])
    noting = [q for q in r.quotes if q.cue is not None and q.cue.text == "noting"]
    assert [q.speaker for q in noting] == ["Ivo Lind"], dump(r)


def test_pipeline_a_relative_in_a_list_describes_the_name_after_it(run):
    r = run(TEXTS["listed_relatives"])
    assert person(r, "Ana Lind").gender != "male", dump(r)
    assert person(r, "Ivo Lind").gender == "male", dump(r)


def test_pipeline_an_age_the_tokenizer_glued_to_a_name_is_not_part_of_it(run):
    r = run(TEXTS["glued_age"])
    assert [p.name for p in r.people] == ["Tomas Brandt", "Ana Vell"], dump(r)


def test_pipeline_pronoun_after_named_woman(run):
    r = run(TEXTS["pronoun"])
    q = quote_with(r, "Every town deserves")
    assert q.speaker == "Marta Lindqvist", dump(r)
    assert q.speaker_mention is not None and q.speaker_mention.text == "she"
    assert person(r, "Marta Lindqvist").gender == "female"


def test_pipeline_pronoun_after_name_the_model_tags_as_org(run):
    r = run(TEXTS["pronoun_untagged"])
    assert quote_with(r, "evacuation calmly").speaker == "Nadia Orlov", dump(r)


def test_pipeline_pronoun_keeps_the_topic_over_the_last_speaker(run):
    r = run(TEXTS["topic_pronoun"])
    q = quote_with(r, "planned the break-in")
    assert q.speaker == "Arlo Venn", dump(r)


def test_pipeline_zero_width_space_after_a_name(run):
    r = run(TEXTS["zero_width_name"])
    q = quote_with(r, "waited long enough")
    assert q.speaker == "Petra Lind", dump(r)


def test_pipeline_title_in_apposition_is_not_the_speaker(run):
    r = run(TEXTS["title_after_name"])
    assert quote_with(r, "finished early").speaker == "Lukas Ferrand", dump(r)


def test_pipeline_title_before_a_name_resolves_the_description(run):
    r = run(TEXTS["title_after_name"])
    assert quote_with(r, "waited forty years").speaker == "Ilse Brandvold", dump(r)


def test_pipeline_possessive_with_any_apostrophe(run):
    r = run(TEXTS["possessive_left_quote"])
    assert quote_with(r, "start in June").speaker == "Oona Haverty", dump(r)


def test_pipeline_pronoun_in_reported_clause_is_the_reporter(run):
    r = run(TEXTS["says_he"])
    assert person(r, "Piet Aalders").gender == "male", dump(r)
    assert person(r, "Greta Moll").gender == "female", dump(r)


def test_pipeline_quantity_subjects_speak(run):
    r = run(TEXTS["quantity_subject"])
    assert quote_with(r, "gone on too long").speaker == "Some in the harbour community", dump(r)
    assert quote_with(r, "boats back").speaker == "one of the fishermen", dump(r)


def test_pipeline_lede_speaker_takes_the_name_that_follows(run):
    r = run(TEXTS["lede_names_speaker"])
    assert quote_with(r, "ignored three warnings").speaker == "Marit Olsen", dump(r)


def test_pipeline_lede_bystander_keeps_its_description(run):
    r = run(TEXTS["lede_victim"])
    assert quote_with(r, "inspected in March").speaker == "Idris Vane", dump(r)
    assert not [p for p in r.people if p.name == "Idris Vane" and p.mentions[0][0] < 20], dump(r)


def test_pipeline_owned_group_is_not_its_owner(run):
    r = run(TEXTS["owned_group"])
    assert quote_with(r, "twice the first estimate").speaker == "Calloway\u2019s staff", dump(r)


def test_pipeline_data_speaks_for_its_issuer(run):
    r = run(TEXTS["data_issuer"])
    q = quote_with(r, "rose by a third")
    assert q.speaker == "the Dunmore Water Board", dump(r)
    assert q.speaker_mention.text.endswith("public database"), dump(r)  # what the text says


def test_pipeline_teasers_and_named_words_are_not_quotes(run):
    r = run(TEXTS["teaser_and_terms"])
    assert [q.text for q in r.quotes] == ["the ferry would run again on Monday"], dump(r)


def test_pipeline_headline_quote_after_the_date_header_takes_the_speaker_of_its_full_form(run):
    r = run(TEXTS["headline_quote"])
    q = next(q for q in r.quotes if q.start < 30)
    assert (q.type, q.speaker) == ("direct", "Halina Osterby"), dump(r)


def test_pipeline_company_description_finds_the_company_it_names(run):
    r = run(TEXTS["org_anaphor_word"])
    assert quote_with(r, "inspected in March").speaker == "the Cardew Valley Railway", dump(r)


def test_pipeline_they_continues_the_people_who_spoke_together(run):
    r = run(TEXTS["group_they"])
    q = quote_with(r, "waited three years")
    assert q.speaker == "Tora Lindqvist and Emeka Obi", dump(r)
    assert q.speaker_mention.text == "they"


def test_pipeline_people_the_model_tags_as_org_speak_together(run):
    # The small model tags both surnames ORG here.
    r = run(TEXTS["pair_tagged_org"])
    assert quote_with(r, "calm the crowd").speaker == "Tomas Brandt and Ellis Phillips", dump(r)


def test_pipeline_they_is_never_one_unnamed_person(run):
    # "they" taken for "an immigration lawyer" made the lawyer the focus, and "she" with it.
    r = run(TEXTS["they_not_one_lawyer"])
    assert quote_with(r, "not giving up").speaker == "Kim Arlo", dump(r)


def test_pipeline_document_with_no_issuer_speaks_for_who_just_spoke(run):
    r = run(TEXTS["statement_no_issuer"])
    q = quote_with(r, "deeply saddened")
    assert (q.speaker, q.speaker_mention.text) == ("The Harbour Trust", "A statement"), dump(r)


def test_pipeline_document_released_by_its_issuer(run):
    r = run(TEXTS["study_released_by"])
    q = quote_with(r, "grow fastest")
    assert (q.speaker, q.speaker_mention.text) == ("the Kesterby Foundation", "a study"), dump(r)


def test_pipeline_her_statement_is_hers_not_the_salient_man(run):
    r = run(TEXTS["her_statement"])
    assert quote_with(r, "pillar of good governance").speaker == "Mara Quist", dump(r)


def test_pipeline_a_company_is_not_named_after_its_owner(run):
    r = run(TEXTS["owned_company"])
    assert quote_with(r, "solar powered").speaker == "Zenara", dump(r)


def test_pipeline_he_after_a_long_run_of_his_quotes_is_still_him(run):
    # Six quote paragraphs hold no mention of the barber, which puts him out of the window.
    r = run(TEXTS["long_run_then_he"])
    assert quote_with(r, "without a word").speaker.endswith("Owen Tarr"), dump(r)


def test_pipeline_the_party_member_is_a_person_the_party_is_not(run):
    r = run(TEXTS["party_member"])
    q = quote_with(r, "treated unfairly")
    assert (q.speaker, q.speaker_mention.text) == ("Tomas Brandt", "The Ohio Democrat"), dump(r)
    r = run(TEXTS["party"])
    assert quote_with(r, "treated unfairly").speaker == "Greens", dump(r)


def test_pipeline_report_speaks_for_the_one_who_wrote_in_it(run):
    r = run(TEXTS["report_writer"])
    q = quote_with(r, "grown by a third")
    assert (q.speaker, q.speaker_mention.text) == ("Mara Quist", "the paper"), dump(r)


def test_pipeline_closing_guillemet_is_never_the_speaker(run):
    r = run(TEXTS["guillemets_said_name"])
    assert quote_with(r, "will not step back").speaker == "Delia Marchbank", dump(r)


def test_pipeline_one_of_two_named_together_is_not_the_other(run):
    # "their son" is not Sarah: linked to her, he would make her a man, and "she" someone else
    r = run(TEXTS["conjunct_not_the_same"])
    assert quote_with(r, "not giving up").speaker == "Sarah", dump(r)


def test_pipeline_next_sentence_verb_with_its_own_words_is_not_the_cue(run):
    r = run(TEXTS["next_sentence_reports_its_own"])
    assert quote_with(r, "double the number").speaker == "Alma Reyes", dump(r)


def test_pipeline_he_continues_the_subject_of_the_sentence_before(run):
    # the king has more mentions, but the sentence before is about the police chief
    r = run(TEXTS["centre_after_a_new_subject"])
    assert quote_with(r, "invented stories").speaker == "Tomas Brekke", dump(r)


def test_pipeline_said_surname(run):
    r = run(TEXTS["said_surname"])
    q = quote_with(r, "found the money")
    assert q.speaker == "Peter Smith", dump(r)
    assert q.cue is not None and q.cue.text == "said"


def test_pipeline_name_age_said_colon(run):
    r = run(TEXTS["name_age"])
    assert quote_with(r, "rowed as hard").speaker == "Tomas Reilly", dump(r)
    assert person(r, "Tomas Reilly").age == 47


def test_pipeline_colon_intro_with_channel(run):
    r = run(TEXTS["instagram"])
    q = quote_with(r, "so sorry to everyone")
    assert q.speaker == "Lena Hartwell", dump(r)
    assert q.channel == "Instagram"
    assert q.cue is not None and q.cue.text == "wrote"
    assert q.text.endswith("long rest.")


def test_pipeline_quote_after_said_without_comma(run):
    r = run(TEXTS["said_no_comma"])
    q = quote_with(r, "rebuild the pier")
    assert q.text == "we will rebuild the pier before the summer", dump(r)
    assert q.speaker == "Elsa Marwood", dump(r)


def test_pipeline_dash_clause_before_said(run):
    r = run(TEXTS["dash"])
    assert quote_with(r, "river this high").speaker == "Aldo Ferrante", dump(r)


def test_pipeline_quote_only_paragraph_continues_speaker(run):
    r = run(TEXTS["continuation"])
    first = quote_with(r, "evacuation calmly")
    second = quote_with(r, "reopen on Monday")
    assert first.speaker == second.speaker == "Margaret Hollis", dump(r)
    assert first.speaker_id == second.speaker_id


def test_pipeline_the_latter(run):
    r = run(TEXTS["latter"])
    assert quote_with(r, "Every penny").speaker == "Dominic Pell", dump(r)


@pytest.mark.xfail(strict=True, reason=(
    "engine: 'the latter' resolves to the former (Rafael Costa) when spaCy does not tag the "
    "second name ('Ingrid Moll', tagged PRODUCT) as a person"))
def test_pipeline_the_latter_second_name_untagged(run):
    r = run(TEXTS["latter_untagged"])
    assert quote_with(r, "best tennis").speaker == "Ingrid Moll", dump(r)


def test_pipeline_age_description_resolves_to_only_actress(run):
    r = run(TEXTS["actress"])
    assert quote_with(r, "still shaking").speaker == "Clara Voss", dump(r)
    clara = person(r, "Clara Voss")
    assert clara.age == 47 and "actress" in clara.descriptors


def test_pipeline_organisation_statement(run):
    r = run(TEXTS["company"])
    q = quote_with(r, "replacing old pipes")
    assert q.type == "direct" and q.channel == "statement", dump(r)
    assert q.speaker is not None and q.speaker_id is not None, dump(r)
    speaker = next(p for p in r.people if p.id == q.speaker_id)
    assert speaker.kind == "organisation", dump(r)


def test_pipeline_organisation_said_in_a_statement_that(run):
    r = run(TEXTS["company_reported"])
    q = quote_with(r, "rise was needed")
    assert q.type == "indirect", dump(r)
    assert q.speaker_mention.text == "The company" and q.channel == "statement", dump(r)


def test_pipeline_according_to(run):
    r = run(TEXTS["according"])
    q = quote_with(r, "Fares will rise")
    assert q.type == "indirect"
    assert q.speaker == "Harriet Gale", dump(r)


def test_pipeline_according_to_title_then_name(run):
    r = run(TEXTS["according_title_first"])
    assert quote_with(r, "ferry will not sail").speaker == "Gwen Ellery", dump(r)


def test_pipeline_handle_links_to_person(run):
    r = run(TEXTS["handle"])
    assert quote_with(r, "ten wonderful years").speaker == "Jane Doe", dump(r)
    assert "@janedoe" in person(r, "Jane Doe").handles


def test_pipeline_handle_inside_quote_links_to_person(run):
    r = run(TEXTS["handle_in_quote"])
    assert quote_with(r, "brilliant dinners").speaker == "Tom Reyes", dump(r)
    assert "@janedoe" in person(r, "Jane Doe").handles


def test_pipeline_gender_only_where_stated(run):
    r = run(TEXTS["gender"])
    assert quote_with(r, "needs a crossing").speaker == "Sam Okafor", dump(r)
    assert quote_with(r, "tired of waiting").speaker == "Priya Nandakumar", dump(r)
    assert person(r, "Sam Okafor").gender is None  # no pronoun, no honorific
    assert person(r, "Priya Nandakumar").gender == "female"  # "Ms"


def test_pipeline_gender_never_guessed_from_first_name(run):
    r = run(TEXTS["gender_first_names"])
    assert quote_with(r, "needs a crossing").speaker == "Emily Carter", dump(r)
    assert quote_with(r, "tired of waiting").speaker == "John Whitfield", dump(r)
    assert person(r, "Emily Carter").gender is None, dump(r)
    assert person(r, "John Whitfield").gender is None, dump(r)


@pytest.mark.xfail(strict=True, reason=(
    "engine: 'Flour', the subject of a sentence inside a quote, is listed among the people "
    "(kind 'person')"))
def test_pipeline_quoted_common_noun_is_not_a_person(run):
    r = run(TEXTS["not_a_person"])
    assert quote_with(r, "doubled in price").speaker == "Sam Okafor", dump(r)
    assert [p.name for p in r.people] == ["Sam Okafor"], dump(r)


# ---------------------------------------------------------------------------
# The data contract


def contract_violations(text: str, result: ArticleResult) -> list[str]:
    """Every way ``result`` breaks the data contract of product.md for ``text``."""
    bad = []
    d = result.to_dict()
    try:
        d = json.loads(json.dumps(d))
    except (TypeError, ValueError) as exc:
        return [f"to_dict() is not JSON-serialisable: {exc}"]
    if missing := RESULT_KEYS - d.keys():
        bad.append(f"result lacks {missing}")
    ids = {p["id"] for p in d["people"]}
    names = {p["id"]: p["name"] for p in d["people"]}

    def check_span(where: str, span: dict | None) -> None:
        if span is None:
            return
        if set(span) != SPAN_KEYS:
            bad.append(f"{where}: keys {set(span)}")
        elif not (0 <= span["start"] <= span["end"] <= len(text)) or text[span["start"]:span["end"]] != span["text"]:
            bad.append(f"{where}: text[{span['start']}:{span['end']}] != {span['text']!r}")

    for i, q in enumerate(d["quotes"]):
        where = f"quote {i} ({q.get('text', '')[:30]!r})"
        if set(q) != QUOTE_KEYS:
            bad.append(f"{where}: keys {set(q) ^ QUOTE_KEYS} differ from product.md")
            continue
        if not (0 <= q["start"] < q["end"] <= len(text)) or text[q["start"]:q["end"]] != q["text"]:
            bad.append(f"{where}: text[{q['start']}:{q['end']}] != its text")
        spans = q["spans"]
        if not spans or spans[0][0] != q["start"] or spans[-1][1] != q["end"]:
            bad.append(f"{where}: start/end {q['start']},{q['end']} do not envelope spans {spans}")
        for (a, b), nxt in zip(spans, spans[1:] + [None], strict=True):
            if not (q["start"] <= a < b <= q["end"]) or (nxt is not None and b > nxt[0]):
                bad.append(f"{where}: span {a},{b} out of order or outside the envelope")
        if q["type"] not in QUOTE_TYPES:
            bad.append(f"{where}: type {q['type']!r}")
        if not 0.0 <= q["confidence"] <= 1.0:
            bad.append(f"{where}: confidence {q['confidence']}")
        # People who speak together ("A and B said") are named together; the id is the first's.
        if q["speaker_id"] is not None and (q["speaker_id"] not in ids or q["speaker"].split(" and ")[0]
                                            != names[q["speaker_id"]].split(" and ")[0]):
            bad.append(f"{where}: speaker_id {q['speaker_id']} is not the person {q['speaker']!r}")
        check_span(f"{where} speaker_mention", q["speaker_mention"])
        check_span(f"{where} cue", q["cue"])
    for p in d["people"]:
        if missing := PERSON_KEYS - p.keys():
            bad.append(f"person {p.get('name')!r} lacks {missing}")
            continue
        for a, b in p["mentions"]:
            if not (0 <= a < b <= len(text)) or not text[a:b].strip():
                bad.append(f"person {p['name']!r}: mention {a},{b} is not a stretch of the text")
    if len(ids) != len(d["people"]):
        bad.append("person ids are not unique")
    return bad


def _contract_texts() -> list:
    params = [pytest.param(f"sample:{e['id']}", id=e["id"]) for e in _expected_samples()]
    params += [pytest.param(f"case:{name}", id=name) for name in TEXTS]
    params.append(pytest.param("seed", id="seed-article"))
    return params


@pytest.mark.parametrize("source", _contract_texts())
def test_pipeline_data_contract(run, source):
    if source == "seed":
        if not SEED_TEXT.is_file():
            pytest.skip(f"the seed article is not at {SEED_TEXT}")
        text = read_exact(SEED_TEXT)
    elif source.startswith("sample:"):
        text = _sample_text(source.removeprefix("sample:"))
    else:
        text = TEXTS[source.removeprefix("case:")]
    result = run(text)
    if not source.startswith("case:"):
        assert result.quotes, "no quotes: the contract would be checked on nothing"
    violations = contract_violations(text, result)
    assert not violations, "\n".join(violations)


def test_pipeline_date_header_is_read_and_counted_in_offsets(run):
    text = ' date 2026-02-11 Harbour fees rise\n\n"We had no choice," said Elsa Marwood, who chairs the harbour board.'
    result = run(text)
    assert result.date == "2026-02-11"
    q = quote_with(result, "no choice")
    assert text[q.start:q.end] == q.text == "We had no choice"
    assert not contract_violations(text, result)
