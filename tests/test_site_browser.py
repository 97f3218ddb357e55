"""The web site in a real browser: the system's Chromium, driven headless by Playwright, reading
the site of the shipped package from a local web server and from disk.

Without Chromium (Debian's `chromium`, at /usr/bin/chromium) these tests skip, saying why;
in CI (the CI variable set) they fail instead, so a green CI always means they ran.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import SHIPPED

CHROMIUM = Path(os.environ.get("IRAN_SYRIA_CHROMIUM", "/usr/bin/chromium"))


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser tests (.ci/run installs chromium)")
    pytest.skip(f"{reason}; install it with `apt-get install chromium` to run the browser tests")


def _rows(table: str) -> list[dict[str, str]]:
    with (SHIPPED / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server(shipped_site: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 at a free port; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(shipped_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        _unavailable(f"Chromium is not installed at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (it is in the test extra)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that fails the test on any script error or request to another host."""
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    foreign: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(("http://127.0.0.1", "file://", "data:"))
            else foreign.append(request.url)
        ),
    )
    yield tab
    context.close()
    assert not errors, errors
    assert not foreign, foreign


def _actor_with_aliases() -> tuple[dict[str, str], str, str]:
    """An actor with a Latin alias unlike its name and a Persian (else Arabic) alias."""
    actors = {row["id"]: row for row in _rows("actors") if row["status"] == "active"}
    aliases = _rows("actor_aliases")
    for language in ("fa", "ar"):
        for regional in (a for a in aliases if a["language"] == language):
            actor = actors.get(regional["actor_id"])
            latin = (
                [
                    a["alias"]
                    for a in aliases
                    if a["actor_id"] == regional["actor_id"]
                    and a["alias"].isascii()
                    and a["alias"].casefold() not in actor["name"].casefold()
                    and len(a["alias"]) > 5
                ]
                if actor
                else []
            )
            if actor and latin:
                return actor, latin[0], regional["alias"]
    raise AssertionError("no actor with a Latin and a Persian or Arabic alias")


def _search_and_open(page: Any, query: str, actor: dict[str, str]) -> None:
    page.fill("#home-search", query)
    link = page.locator("#results a", has_text=actor["name"]).first
    link.wait_for(timeout=10_000)
    link.click()
    page.wait_for_url(f"**/actors/{actor['id']}/index.html")
    assert page.locator("h1").inner_text() == actor["name"]


def test_find_an_actor_by_alias_follow_an_event_and_a_citation(page: Any, server: str) -> None:
    actor, latin, regional = _actor_with_aliases()
    page.goto(server + "index.html")
    _search_and_open(page, latin, actor)
    page.goto(server + "index.html")
    _search_and_open(page, regional, actor)
    # one of its events, then one of that event's sources
    page.locator("section[aria-labelledby=events-h] tbody a").first.click()
    page.wait_for_url("**/events/evt-*/index.html")
    event_id = page.url.rsplit("/", 2)[-2]
    assert any(
        r["event_id"] == event_id and r["actor_id"] == actor["id"] for r in _rows("event_actors")
    )
    page.locator("ol.citations li a[href*='/sources/']").first.click()
    page.wait_for_url("**/sources/src-*/index.html")
    citing = page.locator("section[aria-labelledby=cited-h]")
    assert citing.locator(f"a[href$='/events/{event_id}/index.html']").count() >= 1


def test_persian_and_arabic_letter_variants_match(page: Any, server: str) -> None:
    page.goto(server + "index.html")
    same = page.evaluate(
        "[iranSyriaNormalise('سیدعباس عراقچی'), iranSyriaNormalise('سيدعباس عراقجي'),"
        " iranSyriaNormalise('كاظم'), iranSyriaNormalise('کاظم'), iranSyriaNormalise('أحمد'),"
        " iranSyriaNormalise('احمد'), iranSyriaNormalise('Qāsem'), iranSyriaNormalise('qasem')]"
    )
    assert same[2] == same[3] and same[4] == same[5] and same[6] == same[7]
    assert same[0].split()[0] == same[1].split()[0]  # the Persian yeh folds to the Arabic one


def test_filter_events_by_type_and_year(page: Any, server: str) -> None:
    page.goto(server + "events/index.html")
    page.select_option("#type", "ASSAULT")
    page.fill("#from", "2013")
    page.fill("#to", "2013")
    expected = {
        r["id"]
        for r in _rows("events")
        if r["event_type"] == "ASSAULT" and r["date_start"][:4] <= "2013" <= r["date_end"][:4]
    }
    assert expected
    # the filters apply a moment after the last key stroke
    page.locator("#status").filter(has_text=f"{len(expected)} of ").wait_for(timeout=10_000)
    shown = set(
        page.eval_on_selector_all(
            "#records tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.id)"
        )
    )
    assert shown == expected
    assert f"{len(expected)} of {len(_rows('events'))} records match" in page.inner_text("#status")
    # newest first (a change applies at once)
    page.select_option("#sort", "desc")
    starts = page.eval_on_selector_all(
        "#records tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.start)"
    )
    assert starts == sorted(starts, reverse=True)


def test_events_page_through_matches_in_pages(page: Any, server: str) -> None:
    page.goto(server + "sources/index.html")
    visible = "#records tbody tr:not([hidden])"
    assert page.locator(visible).count() == 100
    page.click("#more")
    assert page.locator(visible).count() == 200


def test_a_listed_sha256_is_that_of_the_served_file(page: Any, server: str) -> None:
    page.goto(server + "index.html")
    for row in page.locator("#downloads tbody tr").all()[:3]:
        path = row.get_attribute("data-path")
        listed = row.locator("code.hash").inner_text()
        response = page.request.get(server + path)
        assert response.ok and hashlib.sha256(response.body()).hexdigest() == listed, path


def test_a_merged_record_leads_to_the_survivor(page: Any, server: str) -> None:
    merged = next(r for r in _rows("events") if r["status"] == "merged")
    page.goto(f"{server}events/{merged['id']}/index.html")
    notice = page.locator(".notice.merged")
    assert "merged" in notice.inner_text()
    notice.locator("a").click()
    page.wait_for_url(f"**/events/{merged['merged_into']}/index.html")


def test_the_network_shows_the_relations_of_a_day(page: Any, server: str) -> None:
    day = "2013-06-01"
    page.goto(server + "index.html")
    page.fill("#network-day", day)
    page.dispatch_event("#network-day", "change")
    actors = {r["id"] for r in _rows("actors") if r["status"] == "active"}
    expected = sum(
        1
        for r in _rows("relations")
        if r["status"] == "active"
        and r["source_id"] in actors
        and r["target_id"] in actors
        and r["date_start"] <= day
        and (not r["date_end"] or day <= r["date_end"])
    )
    shown = page.eval_on_selector_all(
        "#network line", "lines => lines.filter(l => l.style.display !== 'none').length"
    )
    assert shown == expected
    assert f"{expected} relations active on {day}" in page.inner_text("#network-status")
    lifespans = page.eval_on_selector_all(
        "#network a[data-id]",
        "nodes => nodes.filter(n => n.style.display !== 'none').map(n => [n.dataset.start, n.dataset.end])",
    )
    assert lifespans and all((not s or s <= day) and (not e or day <= e) for s, e in lifespans)


def test_the_site_works_from_disk(page: Any, shipped_site: Path) -> None:
    page.goto((shipped_site / "index.html").as_uri())
    page.fill("#home-search", "Hezbollah")
    link = page.locator("#results a").first
    link.wait_for(timeout=10_000)
    link.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://") and page.url.endswith("/index.html")
    assert page.locator("h1").inner_text()
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"  # the CSS loaded


def test_timeline_labels_do_not_overlap(page: Any, server: str) -> None:
    page.goto(server + "index.html")
    boxes = page.eval_on_selector_all(
        "svg.chart text.label",
        "texts => texts.map(t => { const b = t.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; })",
    )
    leaders = page.eval_on_selector_all(
        "svg.chart line.leader",
        "lines => lines.map(l => [+l.getAttribute('x1'), +l.getAttribute('y1'), +l.getAttribute('y2')])",
    )
    assert len(boxes) >= 3
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
        for x, top, bottom in leaders:
            crosses = a[0] < x < a[2] and top < a[1] < bottom
            assert not crosses, (a, x)


def test_controls_are_labelled_and_pages_have_landmarks(page: Any, server: str) -> None:
    for path in ("index.html", "events/index.html", "actors/index.html"):
        page.goto(server + path)
        unlabelled = page.eval_on_selector_all(
            "input, select, button",
            "controls => controls.filter(c => c.tagName === 'BUTTON' ? !c.textContent.trim()"
            " : c.labels.length === 0).map(c => c.id)",
        )
        assert unlabelled == [], (path, unlabelled)
        for landmark in ("header", "nav", "main", "footer"):
            assert page.locator(landmark).count() >= 1, (path, landmark)
        assert page.locator("h1").count() == 1


def test_record_pages_read_without_javascript(browser: Any, shipped_site: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    actor_id = next(r["actor_id"] for r in _rows("actor_aliases") if r["language"] == "fa")
    page.goto((shipped_site / "actors" / actor_id / "index.html").as_uri())
    assert page.locator("section[aria-labelledby=aliases-h] [lang=fa]").count() >= 1
    assert page.locator("section[aria-labelledby=fields-h] dt").count() == 9  # every field
    assert page.locator("ol.citations li").count() >= 1
    context.close()


def test_the_events_filters_work_from_disk(page: Any, shipped_site: Path) -> None:
    page.goto((shipped_site / "events" / "index.html").as_uri())
    page.select_option("#type", "SANCTION")
    expected = sum(1 for r in _rows("events") if r["event_type"] == "SANCTION")
    page.locator("#status").filter(has_text=f"{expected} of ").wait_for(timeout=10_000)


AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize(
    "address",
    [
        "index.html",
        "events/index.html",
        "actors/index.html",
        "codebook/index.html",
        "events/evt-2020-01-03-soleimani-killed/index.html",
        "actors/act-quds-force/index.html",
        "relations/rel-iran-supports-hezbollah-weapons/index.html",
        "sources/src-iranwire-2024-12-iran-syria/index.html",
    ],
)
def test_pages_pass_an_accessibility_audit(page: Any, server: str, address: str) -> None:
    """axe-core (vendored) finds no WCAG 2 A or AA violation: contrast, labels, landmarks,
    headings, link and control names, language. It reads the rendered page in Chromium."""
    page.goto(server + address)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target)}))"
    )
    assert found == [], found
