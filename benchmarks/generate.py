"""Generate a deterministic synthetic package with the contract's shape, for benchmarks.

    python benchmarks/generate.py --events 100000 --out /tmp/bench-100k [--inject-errors 10]

Shape (as in PERF-NOTES.md): events N, actors N/10, relations N/2, event_actors 2N,
sources N/10, plus a citation for every actor, event and relation. Every rule of the
validator holds unless --inject-errors K is given; then K known errors of each of three kinds
(an impossible date, an unknown reference, a duplicate id) are written, and their count is
printed so a run can be checked.

So that the parsers meet what real data holds, without changing the shape: every 10th event
description has a comma and a quotation (the CSV quotes it and doubles the quotes), every
50th actor name is in Arabic or Persian script (NFC, no bidi controls), every source has its
own title, and every 20th actor has a founding date (before all its relations, which start
in 2011, so the lifespan rule is exercised but holds).
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, timedelta
from pathlib import Path

from iran_syria import schema
from iran_syria.models import EVENT_MODES, TABLES, EventType

_EVENT_TYPES = list(EventType)
_START = date(1000, 1, 1)
# "سوريا" (Syria, Arabic) and "ایران" (Iran, Persian, with the Farsi yeh U+06CC), escaped so
# the source shows which code points are meant; both are NFC and carry no bidi controls.
_NON_LATIN_NAMES = ("\u0633\u0648\u0631\u064a\u0627", "\u0627\u06cc\u0631\u0627\u0646")
# Founding dates at year and month precision, both before the relations' 2011-01-01 start.
_ACTOR_STARTS = ("1950", "1979-02")


def generate(out: Path, events: int, inject_errors: int = 0, seed: int = 7) -> int:
    """Write the package; return how many errors were injected."""
    rng = random.Random(seed)
    data = out / "data"
    data.mkdir(parents=True, exist_ok=True)
    n_actors = max(events // 10, 2)
    n_sources = max(events // 10, 1)
    n_relations = max(events // 2, 1)

    def writer(table: str) -> csv.DictWriter[str]:
        handle = (data / f"{table}.csv").open("w", encoding="utf-8", newline="")
        handles.append(handle)
        w = csv.DictWriter(handle, fieldnames=list(TABLES[table].model_fields), lineterminator="\n")
        w.writeheader()
        return w

    handles: list[object] = []
    sources, actors, aliases = writer("sources"), writer("actors"), writer("actor_aliases")
    external, event_rows, roles = writer("external_ids"), writer("events"), writer("event_actors")
    relations, citations = writer("relations"), writer("citations")

    def row(table: str, **values: object) -> dict[str, object]:
        return {name: values.get(name, "") for name in TABLES[table].model_fields}

    for i in range(n_sources):
        sources.writerow(
            row(
                "sources",
                id=f"src-s{i}",
                title=f"Report {i}",
                publisher=f"Publisher {i % 97}",
                language="en",
                source_type="news",
                published_date="2020-01-01",
                date_precision="year",
            )
        )
    for i in range(n_actors):
        actors.writerow(
            row(
                "actors",
                id=f"act-a{i}",
                name=f"{_NON_LATIN_NAMES[i // 50 % 2]} {i}" if i % 50 == 0 else f"Actor {i}",
                kind="armed_group",
                description=f"Synthetic actor number {i}.",
                start_date=_ACTOR_STARTS[i // 20 % 2] if i % 20 == 0 else "",
                status="active",
            )
        )
        aliases.writerow(row("actor_aliases", actor_id=f"act-a{i}", alias=f"A{i}", kind="acronym"))
        citations.writerow(
            row(
                "citations",
                record_id=f"act-a{i}",
                source_id=f"src-s{i % n_sources}",
                locator="whole",
            )
        )
    for i in range(min(n_actors, 1000)):
        external.writerow(
            row("external_ids", record_id=f"act-a{i}", scheme="acled_actor", value=f"Actor {i}")
        )
    for i in range(events):
        day = (_START + timedelta(days=i)).isoformat()
        kind = _EVENT_TYPES[i % len(_EVENT_TYPES)]
        mode = sorted(EVENT_MODES[kind])[i % len(EVENT_MODES[kind])]
        lat = round(rng.uniform(29, 38), 4)
        event_rows.writerow(
            row(
                "events",
                id=f"evt-e{i}",
                title=f"Event {i}",
                description=(
                    f'Synthetic event number {i}, near "the border".'
                    if i % 10 == 0
                    else f"Synthetic event number {i}."
                ),
                event_type=kind.value,
                event_mode=mode.value,
                date_start=day,
                date_end=day,
                date_precision="day",
                location_name="Somewhere",
                location_country="SYR",
                latitude=lat,
                longitude=round(rng.uniform(35, 45), 4),
                geo_precision="near",
                fatalities_low=i % 5,
                fatalities_best=i % 5 + 1,
                fatalities_high=i % 5 + 3,
                confidence="medium",
                attribution="reported",
                status="active",
            )
        )
        roles.writerow(
            row(
                "event_actors", event_id=f"evt-e{i}", actor_id=f"act-a{i % n_actors}", role="source"
            )
        )
        roles.writerow(
            row(
                "event_actors",
                event_id=f"evt-e{i}",
                actor_id=f"act-a{(i + 1) % n_actors}",
                role="target",
            )
        )
        citations.writerow(
            row(
                "citations",
                record_id=f"evt-e{i}",
                source_id=f"src-s{i % n_sources}",
                locator=f"para {i % 50 + 1}",
            )
        )
    for i in range(n_relations):
        source, target = i % n_actors, (i * 7 + 1) % n_actors
        if source == target:
            target = (target + 1) % n_actors
        relations.writerow(
            row(
                "relations",
                id=f"rel-r{i}",
                source_id=f"act-a{source}",
                target_id=f"act-a{target}",
                relation_type="supports",
                relation_mode="weapons",
                date_start="2011-01-01",
                start_precision="year",
                confidence="medium",
                attribution="reported",
                description=f"Synthetic relation number {i}.",
                status="active",
            )
        )
        citations.writerow(
            row(
                "citations",
                record_id=f"rel-r{i}",
                source_id=f"src-s{i % n_sources}",
                locator="whole",
            )
        )
    injected = 0
    for k in range(inject_errors):
        # one of each kind per k, at the end of the tables, so the expected lines are known
        event_rows.writerow(
            row(
                "events",
                id=f"evt-bad-date-{k}",
                title="Bad",
                description="Impossible date.",
                event_type="AID",
                date_start="2020-02-30",
                date_end="2020-03-01",
                date_precision="day",
                geo_precision="unknown",
                confidence="low",
                attribution="reported",
                status="active",
            )
        )
        roles.writerow(
            row("event_actors", event_id=f"evt-bad-date-{k}", actor_id="act-nobody", role="source")
        )
        citations.writerow(
            row("citations", record_id=f"evt-bad-date-{k}", source_id="src-s0", locator="whole")
        )
        actors.writerow(
            row(
                "actors",
                id="act-a0",
                name="Duplicate",
                kind="state",
                description="Duplicate id.",
                status="active",
            )
        )
        injected += 3
    for handle in handles:
        handle.close()  # type: ignore[attr-defined]
    # the generated table, as `iran-syria schemas` writes it
    (data / "relation_types.csv").write_text(schema.relation_types_csv(), encoding="utf-8")
    (out / "datapackage.json").write_text(
        schema.dump_json(schema.build_descriptor(out)), encoding="utf-8"
    )
    return injected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--inject-errors", type=int, default=0)
    args = parser.parse_args()
    injected = generate(args.out, args.events, args.inject_errors)
    print(
        f"wrote {args.out} ({args.events} events){f'; {injected} injected errors' if injected else ''}"
    )


if __name__ == "__main__":
    main()
