"""Plots: both charts render real PNGs through the Agg canvas, written atomically."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from iran_syria import validate_package
from iran_syria.cli import main
from iran_syria.plot import LABELLED_EVENTS, key_events, plot_network, plot_timeline

from .conftest import VALID, regenerate

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _assert_png(path: Path) -> None:
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC
    assert len(data) > 10_000  # a drawn chart, not an empty canvas
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(".")) == []


def test_timeline_renders_a_png(tmp_path: Path) -> None:
    target = plot_timeline(tmp_path / "timeline.png", path=VALID)
    _assert_png(target)


@pytest.mark.parametrize(
    "dates",
    ["9990-01-01,9999-12-31,decade", "0001-01-01,0009-12-31,decade"],
    ids=["ends-on-the-last-day", "starts-on-the-first-day"],
)
def test_timeline_draws_events_at_the_edges_of_the_calendar(
    valid_copy: Path, tmp_path: Path, dates: str
) -> None:
    # Valid records: the span's end and the axis margins used to run past 9999-12-31 or
    # before 0001-01-01 (OverflowError, then matplotlib's ValueError).
    events = valid_copy / "data" / "events.csv"
    text = events.read_text(encoding="utf-8")
    assert "2015-09-01,2015-09-30,month" in text
    events.write_text(text.replace("2015-09-01,2015-09-30,month", dates), encoding="utf-8")
    regenerate(valid_copy)
    assert validate_package(valid_copy).valid
    _assert_png(plot_timeline(tmp_path / "timeline.png", path=valid_copy))


@pytest.mark.filterwarnings(
    "ignore::iran_syria.loaders.HiddenRecordsWarning"
)  # the fixture hides two actors
@pytest.mark.parametrize("as_of", [None, "2021-01-01", date(1900, 1, 1)])
def test_network_renders_a_png(tmp_path: Path, as_of: str | date | None) -> None:
    target = plot_network(tmp_path / "network.png", as_of=as_of, path=VALID)
    _assert_png(target)


@pytest.mark.filterwarnings(
    "ignore::iran_syria.loaders.HiddenRecordsWarning"
)  # the fixture hides two actors
def test_plot_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    timeline, network = tmp_path / "docs" / "timeline.png", tmp_path / "docs" / "network.png"
    assert main(["plot", "timeline", "--out", str(timeline), str(VALID)]) == 0
    assert (
        main(["plot", "network", "--as-of", "2019-06-30", "--out", str(network), str(VALID)]) == 0
    )
    _assert_png(timeline)
    _assert_png(network)
    assert capsys.readouterr().out.count("wrote ") == 2
    with pytest.raises(SystemExit) as caught:
        main(["plot", "network", "--as-of", "June 2019", "--out", str(network)])
    assert caught.value.code == 2


def test_replotting_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "timeline.png"
    target.write_bytes(b"old")
    plot_timeline(target, path=VALID)
    _assert_png(target)


def _event(number: int, **fields: Any) -> dict[str, Any]:
    return {
        "id": f"evt-{number}",
        "event_type": "ASSAULT",
        "confidence": "high",
        "fatalities_best": None,
        "date_start": date(2000, 1, 1 + number),
        **fields,
    }


def test_key_events_rule() -> None:
    events = [
        _event(1),
        _event(2, fatalities_best=40),
        _event(3, event_type="CONSULT"),  # not a labelled category
        _event(4, confidence="medium"),  # not high confidence
        _event(5, event_type="SANCTION"),
        _event(6, event_type="AGREE"),
    ]
    sources = Counter({"evt-5": 3, "evt-6": 2, "evt-3": 9, "evt-4": 9})
    assert [e["id"] for e in key_events(events, sources)] == ["evt-5", "evt-6", "evt-2", "evt-1"]
    many = [_event(n) for n in range(1, 25)]
    assert len(key_events(many, Counter())) == LABELLED_EVENTS
