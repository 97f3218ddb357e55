"""The coverage statement and the figures `iran-syria info` prints from the rows."""

from __future__ import annotations

from datetime import date

import pytest

from iran_syria import coverage
from iran_syria.cli import main

from .conftest import ROOT, VALID


@pytest.mark.parametrize(
    ("start", "era"),
    [
        (date(1979, 1, 1), "1979–1989"),
        (date(1989, 12, 31), "1979–1989"),
        (date(1990, 1, 1), "1990–2010"),
        (date(2015, 12, 31), "2011–2015"),
        (date(2024, 11, 30), "2021 – Nov 2024"),
        (date(2024, 12, 1), "Dec 2024 –"),
        (date(2026, 6, 1), "Dec 2024 –"),
    ],
)
def test_each_start_falls_in_one_era(start: date, era: str) -> None:
    counts = dict(coverage.events_per_era([start]))
    assert counts == {name: int(name == era) for name, _, _ in coverage.ERAS}


def test_events_before_the_revolution_count_in_no_era() -> None:
    assert sum(n for _, n in coverage.events_per_era([date(1978, 12, 31)])) == 0


def test_corroboration_counts_publishers_not_rows_and_leaves_out_the_seed() -> None:
    (seed,) = coverage.SEED_SOURCES
    sources = [
        {"id": seed, "publisher": "IranWire", "title": "t"},
        {"id": "src-a", "publisher": "Reuters", "title": None, "published_date": "2020-01-01"},
        {"id": "src-b", "publisher": "Reuters", "authors": "A. Writer"},
        {"id": "src-c", "publisher": "AP", "accessed_date": "2026-11-30"},
    ]
    citations = [
        # seed + one publisher: not corroborated
        {"record_id": "evt-1", "source_id": seed, "locator": "para 1"},
        {"record_id": "evt-1", "source_id": "src-a", "locator": "whole"},
        # two sources of one publisher: not corroborated
        {"record_id": "evt-2", "source_id": "src-a", "locator": "para 2"},
        {"record_id": "evt-2", "source_id": "src-b", "locator": "para 3"},
        # two publishers: corroborated
        {"record_id": "evt-3", "source_id": "src-b", "locator": "whole"},
        {"record_id": "evt-3", "source_id": "src-c", "locator": "p. 4"},
    ]
    figures = coverage.sourcing(
        sources=sources,
        citations=citations,
        event_ids=["evt-1", "evt-2", "evt-3"],
        actor_ids=["act-x", "act-y"],
        external_ids=[
            {"record_id": "act-x", "scheme": "wikidata", "value": "Q1"},
            {"record_id": "act-y", "scheme": "cow", "value": "2"},
        ],
        aliases=[
            {"actor_id": "act-x", "alias": "سپاه"},
            {"actor_id": "act-x", "alias": "Sepah"},
            {"actor_id": "act-y", "alias": "צה״ל"},
        ],
    )
    assert figures.events_corroborated == 1
    assert (figures.citations, figures.citations_whole) == (6, 2)
    assert (figures.titled, figures.dated, figures.authored, figures.accessed) == (1, 1, 1, 1)
    assert (figures.actors, figures.actors_with_qid) == (2, 1)
    assert figures.regional_script_aliases == 2


def test_info_prints_eras_and_sourcing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(VALID)]) == 0
    out = capsys.readouterr().out
    assert "events per era (of date_start):" in out
    for name, _, _ in coverage.ERAS:
        assert name in out
    assert "citations located only as whole" in out
    assert "events with two or more independent publishers" in out


def test_readme_and_codebook_carry_the_statement_verbatim() -> None:
    for path in (ROOT / "README.md", ROOT / "datapackage" / "CODEBOOK.md"):
        assert coverage.STATEMENT in path.read_text(encoding="utf-8"), path
