"""The static web site: pages, links, dates, downloads and determinism (the browser tests are
in test_site_browser.py)."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from iran_syria.cite import cite
from iran_syria.cli import main
from iran_syria.site import SiteFolderError, build_site
from iran_syria.site.dates import say_partial, say_span

from .conftest import SHIPPED, VALID

pytest.importorskip("jinja2")


def _rows(table: str) -> list[dict[str, str]]:
    with (SHIPPED / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize(
    ("start", "end", "precision", "said"),
    [
        (date(2020, 1, 3), date(2020, 1, 3), "day", "3 January 2020"),
        (date(1979, 4, 22), date(1979, 5, 5), "day", "22 April – 5 May 1979"),
        (date(2013, 10, 30), date(2013, 10, 31), "day", "30–31 October 2013"),
        (date(2013, 12, 30), date(2014, 1, 2), "day", "30 December 2013 – 2 January 2014"),
        (date(2013, 3, 1), date(2013, 3, 31), "month", "March 2013"),
        (date(2013, 3, 1), date(2013, 5, 31), "month", "March 2013 – May 2013"),
        (date(2013, 1, 1), date(2013, 12, 31), "year", "2013"),
        (date(1980, 1, 1), date(1989, 12, 31), "decade", "the 1980s"),
        (date(2015, 10, 5), date(2015, 10, 11), "week", "week 41 of 2015"),
        (date(2015, 10, 1), date(2015, 12, 31), "quarter", "Q4 2015"),
    ],
)
def test_dates_are_said_at_their_precision(
    start: date, end: date, precision: str, said: str
) -> None:
    assert say_span(start, end, precision) == said


def test_partial_dates_keep_their_precision() -> None:
    assert [say_partial(v) for v in ("1982", "1982-06", "1982-06-03", None)] == [
        "1982",
        "June 1982",
        "3 June 1982",
        "",
    ]


def test_the_same_package_gives_the_same_bytes(tmp_path: Path, shipped_site: Path) -> None:
    again = build_site(tmp_path / "again", path=SHIPPED).out
    first, second = _tree(shipped_site), _tree(again)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
    assert any(name.endswith(".xlsx") for name in first)  # the workbook's clock is pinned


def test_every_record_has_a_page_and_every_table_an_index(shipped_site: Path) -> None:
    for table in ("actors", "events", "relations", "sources"):
        ids = {row["id"] for row in _rows(table)}
        pages = {p.parent.name for p in (shipped_site / table).glob("*/index.html")}
        assert pages == ids, table
        index = (shipped_site / table / "index.html").read_text(encoding="utf-8")
        assert index.count("<tr data-id=") == len(ids)
        assert re.search(r'<label for="q">[^<]+</label>\s*<input type="search" id="q"', index)


def test_an_event_page_says_its_fields_dates_place_actors_and_citations(shipped_site: Path) -> None:
    event = next(r for r in _rows("events") if r["id"] == "evt-2020-01-03-soleimani-killed")
    page = (shipped_site / "events" / event["id"] / "index.html").read_text(encoding="utf-8")
    assert "<h1>" + event["title"].replace("'", "&#39;") + "</h1>" in page
    assert '<time datetime="2020-01-03">3 January 2020</time>' in page
    assert "Earliest possible day of the event&#39;s span." in page  # the codebook's words
    assert f"openstreetmap.org/?mlat={float(event['latitude']):g}" in page.replace("&amp;", "&")
    assert '<svg class="place-map"' in page and 'class="event-point"' in page
    for link in (r for r in _rows("event_actors") if r["event_id"] == event["id"]):
        assert f'href="../../actors/{link["actor_id"]}/index.html"' in page
    for citation in (r for r in _rows("citations") if r["record_id"] == event["id"]):
        assert f'href="../../sources/{citation["source_id"]}/index.html"' in page
        assert f'<span class="locator">{citation["locator"]}</span>' in page


def test_an_actor_page_lists_aliases_in_every_script_events_and_relations(
    shipped_site: Path,
) -> None:
    aliases = [r for r in _rows("actor_aliases") if r["language"] in ("fa", "ar")]
    actor_id = aliases[0]["actor_id"]
    page = (shipped_site / "actors" / actor_id / "index.html").read_text(encoding="utf-8")
    for alias in (a for a in aliases if a["actor_id"] == actor_id):
        assert f'<span lang="{alias["language"]}" dir="auto">{alias["alias"]}</span>' in page
    for link in (r for r in _rows("event_actors") if r["actor_id"] == actor_id):
        assert f'href="../../events/{link["event_id"]}/index.html"' in page
    for relation in (r for r in _rows("relations") if actor_id in (r["source_id"], r["target_id"])):
        assert f'href="../../relations/{relation["id"]}/index.html"' in page


def test_relations_read_in_the_relation_types_tables_words(shipped_site: Path) -> None:
    words = {
        (row["relation_type"], row["relation_mode"]): row["label"]
        for row in _rows("relation_types")
    }
    relation = next(
        r
        for r in _rows("relations")
        if (r["relation_type"], r["relation_mode"]) == ("supports", "weapons")
    )
    assert words[("supports", "weapons")] == "supports with weapons"
    page = (shipped_site / "relations" / relation["id"] / "index.html").read_text(encoding="utf-8")
    index = (shipped_site / "relations" / "index.html").read_text(encoding="utf-8")
    for text in (page, index):
        assert "supports with weapons" in text
        assert "supports (weapons)" not in text


def test_a_citation_names_the_fields_it_is_the_evidence_for(shipped_site: Path) -> None:
    citation = next(r for r in _rows("citations") if len(r["fields"].split()) == 2)
    first, second = citation["fields"].split()
    page = (shipped_site / "events" / citation["record_id"] / "index.html").read_text("utf-8")
    assert f"(for <code>{first}</code>, <code>{second}</code>)" in page


def test_a_source_page_lists_the_records_citing_it(shipped_site: Path) -> None:
    citation = _rows("citations")[0]
    page = (shipped_site / "sources" / citation["source_id"] / "index.html").read_text(
        encoding="utf-8"
    )
    table = {"act": "actors", "evt": "events", "rel": "relations", "src": "sources"}
    assert (
        f'href="../../{table[citation["record_id"][:3]]}/{citation["record_id"]}/index.html"'
        in page
    )


def test_merged_and_retracted_records_say_so(shipped_site: Path) -> None:
    for table in ("events", "relations", "actors"):
        for row in _rows(table):
            if row["status"] == "active":
                continue
            page = (shipped_site / table / row["id"] / "index.html").read_text(encoding="utf-8")
            if row["status"] == "merged":
                assert "This record was merged</strong> into" in page
                assert f'href="../../{table}/{row["merged_into"]}/index.html"' in page
            else:
                assert "This record was retracted.</strong>" in page
                # the description gives the reason: in the notice, and not repeated as the lead
                reason = row["description"].removeprefix("Retracted: ").replace("'", "&#39;")
                assert f"Why: {reason[0].upper()}{reason[1:]}</p>" in page
                main = page.split("<main", 1)[1]
                assert main.count(reason[1:]) == 2  # the notice and the description field


def test_downloads_list_the_hashes_of_the_files_served(shipped_site: Path) -> None:
    home = (shipped_site / "index.html").read_text(encoding="utf-8")
    listed = re.findall(
        r'<tr data-path="([^"]+)">.*?<code class="hash">([0-9a-f]{64})</code>', home
    )
    assert {Path(p).suffix for p, _ in listed} >= {".zip", ".csv", ".parquet", ".sqlite", ".xlsx"}
    for path, digest in listed:
        assert hashlib.sha256((shipped_site / path).read_bytes()).hexdigest() == digest, path
    assert len([p for p, _ in listed if p.endswith(".csv")]) == len(
        list((SHIPPED / "data").glob("*.csv"))
    )


def test_home_page_cites_as_the_cite_command_prints(shipped_site: Path) -> None:
    from html import unescape

    home = (shipped_site / "index.html").read_text(encoding="utf-8")
    text = re.search(r'<p id="cite-text">(.*?)</p>', home, re.S)
    bibtex = re.search(r'<pre id="cite-bibtex"><code>(.*?)</code></pre>', home, re.S)
    assert text and unescape(text.group(1)) == cite("text")
    assert bibtex and unescape(bibtex.group(1)) == cite("bibtex")


def test_home_page_describes_the_dataset_in_schema_org(shipped_site: Path) -> None:
    home = (shipped_site / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', home, re.S)
    assert found
    document = json.loads(found.group(1))
    assert document["@type"] == "Dataset"
    for key in (
        "name",
        "description",
        "version",
        "license",
        "temporalCoverage",
        "spatialCoverage",
        "creator",
        "citation",
        "keywords",
    ):
        assert document[key], key
    assert document["isAccessibleForFree"] is True
    assert document["identifier"] == json.loads((SHIPPED / "datapackage.json").read_text())["id"]
    for item in document["distribution"]:
        assert (shipped_site / item["contentUrl"]).is_file() and item["encodingFormat"]


class _Resources(HTMLParser):
    """Every script, stylesheet and image a page loads."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "img", "iframe") and values.get("src"):
            self.loaded.append(str(values["src"]))
        if tag == "link" and values.get("href"):
            self.loaded.append(str(values["href"]))


def test_nothing_is_loaded_from_another_host(shipped_site: Path) -> None:
    pages = [shipped_site / "index.html", shipped_site / "codebook" / "index.html"]
    pages += (
        sorted(shipped_site.glob("*/index.html"))
        + sorted(shipped_site.glob("*/*/index.html"))[::50]
    )
    for page in pages:
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.loaded:
            assert url == "data:," or (":" not in url and not url.startswith("//")), (page, url)
            if url != "data:,":
                assert (page.parent / url).is_file(), (page, url)
    for style in shipped_site.rglob("*.css"):
        assert "url(" not in style.read_text(encoding="utf-8")


def test_record_pages_stay_small(shipped_site: Path) -> None:
    largest = max((p for p in shipped_site.glob("*/*/index.html")), key=lambda p: p.stat().st_size)
    assert largest.stat().st_size < 100_000, largest


def test_the_codebook_page_renders_the_codebook(shipped_site: Path) -> None:
    page = (shipped_site / "codebook" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Codebook: iran-syria-relations</h1>" in page and "<table>" in page
    assert "GENERATED" not in page


def test_the_command_builds_a_site_and_refuses_a_foreign_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["site", "--out", str(tmp_path / "site"), str(VALID)]) == 0
    assert (tmp_path / "site" / "index.html").is_file()
    assert main(["site", "--out", str(tmp_path / "site"), str(VALID)]) == 0  # a rebuild replaces it
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    assert main(["site", "--out", str(foreign), str(VALID)]) == 2
    assert "is not a site built by" in capsys.readouterr().err
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"
    with pytest.raises(SiteFolderError):
        build_site(foreign, path=VALID)


def test_an_invalid_package_gets_no_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = VALID.parent / "invalid" / "bad-date-order"
    assert main(["site", "--out", str(tmp_path / "site"), str(broken)]) == 1
    assert "[bad-date-order]" in capsys.readouterr().out
    assert not (tmp_path / "site").exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # no staging folder left behind
