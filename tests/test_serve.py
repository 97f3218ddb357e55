"""Datasette: the metadata.json the SQLite export writes, loaded by Datasette itself, and
`iran-syria serve` started on the loopback address, read over HTTP and stopped cleanly."""

from __future__ import annotations

import asyncio
import csv
import json
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from datasette.app import Datasette

from iran_syria.cli import main
from iran_syria.export import export_package

from .conftest import VALID, regenerate

DATABASE = "iran-syria-relations"
PERSIAN_ALIAS = "قاسم سلیمانی"


def _citations_of(package: Path, record_id: str) -> set[str]:
    with (package / "data" / "citations.csv").open(encoding="utf-8", newline="") as stream:
        return {row["source_id"] for row in csv.DictReader(stream) if row["record_id"] == record_id}


def _vocabulary_fields(package: Path, table: str) -> list[str]:
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = [r for r in descriptor["resources"] if r["name"] == table]
    return [f["name"] for f in resource["schema"]["fields"] if "categories" in f]


@pytest.fixture
def package(valid_copy: Path) -> Path:
    """The valid package with a Persian alias, so search can be tried in another script."""
    aliases = valid_copy / "data" / "actor_aliases.csv"
    aliases.write_text(aliases.read_text() + f"act-delta,{PERSIAN_ALIAS},fa,other_name\n")
    regenerate(valid_copy)
    return valid_copy


def _in_datasette(database: Path, metadata: Path, paths: list[str]) -> list[Any]:
    """Datasette's answers (JSON, else the HTML text) to `paths`, served in-process."""

    async def ask() -> list[Any]:
        datasette = Datasette(
            immutables=[str(database)], metadata=json.loads(metadata.read_text("utf-8"))
        )
        await datasette.invoke_startup()
        answers = []
        for path in paths:
            response = await datasette.client.get(path)
            assert response.status_code == 200, (path, response.text[:500])
            is_json = response.headers["content-type"].startswith("application/json")
            answers.append(response.json() if is_json else response.text)
        return answers

    return asyncio.run(ask())


def test_datasette_loads_the_metadata_and_uses_it(package: Path, tmp_path: Path) -> None:
    database, metadata = export_package(tmp_path, "sqlite", path=package)
    written = json.loads(metadata.read_text(encoding="utf-8"))
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    table = f"/{DATABASE}"
    served, home, events, relations, aliases, labelled, cited, by_alias, events_page = (
        _in_datasette(
            database,
            metadata,
            [
                "/-/metadata.json",
                "/",
                f"{table}/events.json?_size=0",
                f"{table}/relations.json?_size=0",
                f"{table}/actor_aliases.json?_shape=objects&_search=" + PERSIAN_ALIAS,
                f"{table}/event_actors.json?_shape=objects&_labels=on&actor_id=act-delta",
                f"{table}/citations_of_record.json?_shape=objects&record_id=act-alpha",
                f"{table}/actors_by_name_or_alias.json?_shape=objects&q=سلیمانی",
                f"{table}/events",
            ],
        )
    )
    assert served == written
    assert descriptor["title"] in home
    assert written["license_url"] == descriptor["licenses"][0]["path"]
    for licence in descriptor["licenses"]:
        assert licence["path"] in written["description"]
    assert list(events["facet_results"]) == _vocabulary_fields(package, "events")
    assert {"event_type", "date_precision", "attribution"} <= set(events["facet_results"])
    assert {"relation_type", "relation_mode"} <= set(relations["facet_results"])
    assert [row["actor_id"] for row in aliases["rows"]] == ["act-delta"]
    # the label column: a foreign key shows the actor's name
    assert {row["actor_id"]["label"] for row in labelled["rows"]} == {"Delta Person"}
    assert {row["source_id"] for row in cited["rows"]} == _citations_of(package, "act-alpha")
    assert all(row["title"] or row["publisher"] for row in cited["rows"])
    assert [row["id"] for row in by_alias["rows"]] == ["act-delta"]
    # the table's and a column's descriptions from the descriptor are on the page
    (resource,) = [r for r in descriptor["resources"] if r["name"] == "events"]
    assert resource["description"] in events_page
    fields = {field["name"]: field for field in resource["schema"]["fields"]}
    assert fields["date_precision"]["description"].split(";")[0][:40] in events_page


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.headers.get_content_type(), response.read().decode("utf-8")


def test_serve_answers_html_and_json_then_stops_cleanly(package: Path) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "iran_syria", "serve", "--port", str(port), str(package)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, server.communicate()
            try:
                kind, home = _get(f"{base}/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert kind == "text/html" and "Iran–Syria relations" in home
        query = urllib.parse.quote(PERSIAN_ALIAS)
        kind, found = _get(f"{base}/{DATABASE}/actor_aliases.json?_shape=array&_search={query}")
        assert kind == "application/json"
        assert [row["actor_id"] for row in json.loads(found)] == ["act-delta"]
        _, actors = _get(f"{base}/{DATABASE}/actors.json?_shape=array&_search=Gamma")
        assert [row["id"] for row in json.loads(actors)] == ["act-gamma"]
        _, cited = _get(
            f"{base}/{DATABASE}/citations_of_record.json?_shape=array"
            "&record_id=evt-2020-01-03-delta-killed"
        )
        expected = _citations_of(package, "evt-2020-01-03-delta-killed")
        assert {row["source_id"] for row in json.loads(cited)} == expected
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            out, err = server.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate()
            raise
    assert server.returncode == 0, err
    database = Path(out.splitlines()[0].removeprefix("wrote "))
    assert database.name == f"{DATABASE}.sqlite"
    assert not database.parent.exists()  # the temporary folder went with the server


def test_serve_without_datasette_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "datasette", None)  # an import of it now fails
    monkeypatch.setitem(sys.modules, "datasette.cli", None)
    assert main(["serve", str(VALID)]) == 2
    assert 'pip install "iran-syria[serve]"' in capsys.readouterr().err


def test_serve_refuses_a_port_out_of_range(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", "70000", str(VALID)]) == 2
    assert "--port must be between 0 and 65535" in capsys.readouterr().err
