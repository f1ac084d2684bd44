"""The web UI in a real browser: Playwright driving Debian's Chromium against a real uvicorn server
on a loopback port, over the sample corpus.

A journalist's path through the site: search, open a quote, read its variants, open the
speaker's page and its chart, open an article and see its highlights (by mouse and by
keyboard), paste an article on the extract page; also a phone-sized screen, and a hostile
article whose payloads must not run. Every page is saved as a screenshot under
``tests/artifacts/screenshots/`` (kept by the test run, ignored by git).

Chromium comes from Debian (``apt-get install chromium``; ``scripts/test`` installs it in CI),
never from ``playwright install``. Without it these tests skip, except in CI, where they fail.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from serve_helpers import HOSTILE, LiveServer

from quotegraph.serve import create_app

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        reason = f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium; scripts/test does it as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (the test extra)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(sample_db):
    live = LiveServer(create_app(sample_db, rate=None))
    yield live
    live.stop()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors, blocked content and dialogs (none are expected)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("dialog", lambda d: (page.problems.append(f"dialog: {d.message}"), d.dismiss()))
    yield page
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_browser_search_quote_person_article(page, server):
    page.goto(server.url + "/")
    shot(page, "home")
    page.get_by_label("Search", exact=False).first.fill("not back down")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=not+back+down*")
    hits = page.locator(".card").first.locator("mark.hit").all_inner_texts()
    assert {h.lower() for h in hits} == {"not", "back", "down"}
    assert page.locator(".facets").get_by_text("Delia Marchbank").count() == 1
    shot(page, "search")

    page.locator(".card blockquote a").first.click()
    page.wait_for_url("**/quotes/*")
    assert "We will not back down" in page.locator("blockquote.canonical").inner_text()
    assert page.locator(".variants .diff ins", has_text="step").count() == 1
    assert page.locator(".variants del", has_text="have").count() >= 1
    assert page.locator("svg.timeline circle").count() == page.locator(".timeline-table tbody tr").count()
    shot(page, "quote")

    page.locator("dl.facts a", has_text="Delia Marchbank").click()
    page.wait_for_url("**/people/*")
    assert page.locator("h1").inner_text().startswith("Delia Marchbank")
    chart = page.locator("figure.chart", has_text="Quotes over time")
    assert chart.locator("svg rect.bar").count() >= 1
    assert chart.locator("svg").bounding_box()["height"] > 50
    assert page.locator("figure.chart", has_text="Outlets that quote them").locator("rect.bar").count() >= 1
    shot(page, "person")

    page.locator(".card blockquote a").first.click()
    page.locator(".timeline-table a").first.click()
    page.wait_for_url("**/articles/*")
    marks = page.locator("mark.quote[tabindex='0']")
    assert marks.count() >= 3
    first = marks.first
    assert first.evaluate("el => getComputedStyle(el).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    first.hover()
    tip = first.evaluate("el => getComputedStyle(el, '::after').display")
    assert tip == "block"
    assert first.evaluate("el => getComputedStyle(el, '::after').content").startswith('"Speaker:')
    shot(page, "article")
    assert page.problems == []


def test_browser_keyboard_reaches_each_quote_and_shows_its_details(page, server):
    page.goto(server.url + "/articles/2")
    page.mouse.move(0, 0)
    marks = page.locator("mark.quote[tabindex='0']")
    page.locator("a.brand").focus()
    seen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('mark.quote')"):
            seen.append(page.evaluate("document.activeElement.id"))
            shown = page.evaluate("getComputedStyle(document.activeElement, '::after').display")
            assert shown == "block"
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none"
        if len(seen) == marks.count():
            break
    assert len(seen) == marks.count() == len(set(seen))
    shot(page, "article-keyboard")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.activeElement.matches('mark.quote')")


def test_browser_extract_page_annotates_pasted_text(page, server):
    page.goto(server.url + "/extract")
    text = ('"We will rebuild the pier before winter," said Elsa Marwood, who chairs the harbour board.\n\n'
            'The council said that it would pay for half of the work.')
    page.get_by_label("Article text").fill(text)
    page.get_by_role("button", name="Extract").click()
    page.wait_for_selector("mark.quote")
    assert page.locator("mark.quote").first.inner_text() == "We will rebuild the pier before winter"
    assert "Elsa Marwood" in page.locator(".legend").inner_text()
    assert page.get_by_label("Article text").input_value() == text  # kept for editing
    shot(page, "extract")
    assert page.problems == []


def test_browser_dashboard_and_people(page, server):
    page.goto(server.url + "/dashboard")
    assert page.locator("figure.chart").count() == 5
    assert page.locator("figure.chart", has_text="by gender, per month").locator("rect.g-female").count() >= 1
    shot(page, "dashboard")
    page.select_option("#outlet", "Harbour Gazette")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/dashboard?outlet=Harbour+Gazette")
    assert page.locator("h1").inner_text() == "Dashboard: Harbour Gazette"
    page.goto(server.url + "/people")
    assert page.locator(".people-table tbody tr").count() >= 10
    shot(page, "people")
    page.goto(server.url + "/docs")
    assert page.locator("section.endpoint").count() >= 8
    shot(page, "docs")
    assert page.problems == []


def test_browser_phone_layout_fits_the_screen(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    for name, url in (("phone-home", "/"), ("phone-search", "/search?q=ferry"), ("phone-article", "/articles/2"),
                      ("phone-quote", "/quotes/11"), ("phone-dashboard", "/dashboard")):
        page.goto(server.url + url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (url, overflow)
        shot(page, name)
    context.close()


def test_browser_hostile_article_runs_nothing(page, hostile_db):
    live = LiveServer(create_app(hostile_db, rate=None))
    try:
        hit = page.request.get(live.url + "/api/quotes?q=rebuild+pier").json()["quotes"][0]
        article_id = hit["matches"][0]["article_id"]
        for url in (f"/articles/{article_id}", f"/quotes/{hit['id']}", "/search?q=rebuild+pier", "/",
                    "/dashboard", "/people"):
            page.goto(live.url + url)
            for mark in page.locator("mark.quote").all()[:3]:
                mark.hover()
            page.wait_for_timeout(100)
        page.goto(live.url + f"/articles/{article_id}")
        assert page.locator("h1").inner_text().startswith("Pier vote <script>")
        assert HOSTILE["text"][:40] in page.locator(".article-text").inner_text()
        assert page.locator(".article-text script, .article-text img, .article-text svg").count() == 0
        assert page.locator("a[href^='javascript:']").count() == 0
        shot(page, "hostile-article")
        assert not [p for p in page.problems if p.startswith("dialog")]
    finally:
        live.stop()
