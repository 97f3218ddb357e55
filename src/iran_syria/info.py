"""Summarise a package: what it holds, how well it is sourced, and when it covers."""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path

from . import coverage
from .loaders import HiddenRecordsWarning, load_package
from .models import Event


def describe_package(path: str | Path | None = None) -> str:
    """A plain-text summary of the active records of a package."""
    everything = load_package(path, include_retracted=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HiddenRecordsWarning)  # counted below instead
        package = load_package(path)
    lines = [
        f"{package.descriptor.get('name')} {package.version}",
        "",
        "rows per table (active; hidden = retracted, merged or theirs):",
    ]
    width = max(len(name) for name in package.tables)
    for name, rows in package.tables.items():
        hidden = len(everything.tables[name]) - len(rows)
        lines.append(
            f"  {name:<{width}}  {len(rows):>5}" + (f"  (+{hidden} hidden)" if hidden else "")
        )

    events: list[Event] = [e for e in package.tables["events"] if isinstance(e, Event)]
    lines += ["", "events per type:"]
    for event_type, count in Counter(e.event_type.value for e in events).most_common():
        lines.append(f"  {event_type:<10} {count:>5}")
    lines += ["", "events per decade (of date_start):"]
    for decade, count in sorted(Counter(e.date_start.year // 10 * 10 for e in events).items()):
        lines.append(f"  {decade}s      {count:>5}")
    lines += ["", "events per era (of date_start):"]
    for era, count in coverage.events_per_era(e.date_start for e in events):
        lines.append(f"  {era:<16} {count:>5}")

    sources_of: dict[str, set[str]] = {}
    for citation in package.tables["citations"]:
        sources_of.setdefault(citation.record_id, set()).add(citation.source_id)  # type: ignore[attr-defined]
    lines += ["", "records with two or more sources:"]
    for table in ("actors", "events", "relations"):
        ids = [record.id for record in package.tables[table]]  # type: ignore[attr-defined]
        multi = sum(1 for record_id in ids if len(sources_of.get(record_id, ())) >= 2)
        share = f"{multi / len(ids):.0%}" if ids else "n/a"
        lines.append(f"  {table:<10} {multi:>4} of {len(ids):<4} ({share})")

    def as_dicts(table: str) -> list[dict[str, object]]:
        return [dict(record) for record in package.tables[table]]

    figures = coverage.sourcing(
        sources=as_dicts("sources"),
        citations=as_dicts("citations"),
        event_ids=[e.id for e in events],
        actor_ids=[a.id for a in package.tables["actors"]],  # type: ignore[attr-defined]
        external_ids=as_dicts("external_ids"),
        aliases=as_dicts("actor_aliases"),
    )
    lines += ["", "sourcing:", *coverage.sourcing_lines(figures)]
    if events:
        first = min(e.date_start for e in events)
        last = max(e.date_end for e in events)
        lines += ["", f"events cover {first.isoformat()} to {last.isoformat()}"]
    lines.append(f"sources read through {package.descriptor.get('coverage_end', 'unknown')}")
    return "\n".join(lines)
