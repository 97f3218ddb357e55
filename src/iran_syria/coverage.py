"""What the package covers: the coverage statement, the eras, and the sourcing figures.

The statement is written once, here, and reaches the codebook (generated) and the README (a test
keeps the README's copy identical), so the three cannot drift apart. The figures are computed from
the rows, never typed in: `iran-syria info` prints them for any package, a contributor's included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

#: The periods a specialist reads the alliance in; the last one is open-ended.
ERAS: tuple[tuple[str, date, date | None], ...] = (
    ("1979–1989", date(1979, 1, 1), date(1989, 12, 31)),
    ("1990–2010", date(1990, 1, 1), date(2010, 12, 31)),
    ("2011–2015", date(2011, 1, 1), date(2015, 12, 31)),
    ("2016–2020", date(2016, 1, 1), date(2020, 12, 31)),
    ("2021 – Nov 2024", date(2021, 1, 1), date(2024, 11, 30)),
    ("Dec 2024 –", date(2024, 12, 1), None),
)

#: The article the first release was built from. It is not an independent source: most early
#: records cite it, so counting it would make every record look corroborated.
SEED_SOURCES = frozenset({"src-iranwire-2024-12-iran-syria"})

#: Scripts whose names sources in the region are written in (Arabic, Persian, Hebrew).
_REGIONAL_SCRIPT = re.compile(r"[\u0590-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")

STATEMENT = """\
**In scope.** Events, actors and relations that bear on the alliance between the Islamic Republic
of Iran and Syria, from the 1979 revolution to the day the sources were last read: the bilateral
state track (recognition, visits, agreements, credit lines, oil and trade); Iran's military and
security role in Syria and Lebanon (the IRGC, its Quds Force, the regular army) and the groups it
backs there (Hezbollah; Iraqi, Afghan and Pakistani Shia militias; Syrian auxiliaries); the wars
that shaped the alliance (the Iran–Iraq war, Lebanon, the Syrian civil war); what others did
against it (Israeli strikes and assassinations, seizures of shipments, designations and
sanctions by the United States, the European Union, the United Nations and others); and the fall
of Assad's government and what followed for Iran's position.

**Out of scope.** The Syrian civil war as a whole: fighting without Iranian or Iran-backed
participation belongs to UCDP and ACLED. Iran's domestic politics and nuclear programme, except
where they bear on Syria or on the actors here (the nuclear deal and its end govern the sanctions
on them, so they are in). Iran's and Hezbollah's activities elsewhere (Iraq, Yemen, Gaza, abroad),
except where they involve Syria or shaped the alliance, such as the Iran–Israel exchanges that
followed the strike on Iran's consulate in Damascus.

**Counting unit.** An event is one action by one set of actors on one day at one place, or one
continuous operation that the sources report as a whole (an offensive, a siege, a campaign of
flights), given as a span with its precision. Several strikes in one night on one area, reported
together, are one event: the sources rarely separate them, and counting them apart would inflate
the best-reported incidents. Strikes on different days are different events. A campaign known
only in aggregate ("hundreds of strikes since 2017") is no event; its incidents are recorded
where they were reported one by one. The counts are therefore not comparable with UCDP's or
ACLED's per-day, per-place counts of violence, and they are no census of Israeli strikes.

**Languages of the sources.** Mostly English, with Arabic, Persian, French and other languages
where they were the best source at hand. Titles are kept in the language of the source; names in
Persian, Arabic and Hebrew script are aliases with BCP 47 tags, so sources in those languages can
be matched.

**Known biases.**
- What English-language media and Western governments reported is over-represented; Syrian and
  Iranian domestic reporting and Persian-language sources are under-used.
- Israel claimed few of its strikes in Syria: most are `reported` or `alleged`, and how many are
  recorded depends on what was reported.
- Designations and sanctions are fullest for the United States, whose notices are public and
  dated; those of the European Union, the United Kingdom and others are thinner.
- Casualty figures often come from parties or monitors with interests; where sources differ the
  record gives a range and cites both.
- The record is denser after 2011 than before; the 1980s and 1990s rest on fewer sources.
- Sources were read as stored copies of public pages; `accessed_date` says when, and a source's
  text may have changed since."""


@dataclass(frozen=True)
class Sourcing:
    """The sourcing figures of a package, from its rows."""

    sources: int
    titled: int
    dated: int
    authored: int
    accessed: int
    events: int
    events_corroborated: int  # two or more independent publishers, the seed not counted
    citations: int
    citations_whole: int
    actors: int
    actors_with_qid: int
    regional_script_aliases: int


def events_per_era(starts: Iterable[date]) -> list[tuple[str, int]]:
    """Events per era by date_start, in the order of ERAS; events before 1979 are not counted."""
    counts = dict.fromkeys((name for name, _, _ in ERAS), 0)
    for start in starts:
        for name, first, last in ERAS:
            if first <= start and (last is None or start <= last):
                counts[name] += 1
                break
    return list(counts.items())


def sourcing(
    sources: Sequence[Mapping[str, object]],
    citations: Sequence[Mapping[str, object]],
    event_ids: Sequence[str],
    actor_ids: Sequence[str],
    external_ids: Sequence[Mapping[str, object]],
    aliases: Sequence[Mapping[str, object]],
) -> Sourcing:
    """Count the figures from rows given as mappings of column to value (empty = None or "")."""
    publisher = {str(s["id"]): str(s["publisher"]) for s in sources}
    publishers_of: dict[str, set[str]] = {}
    for citation in citations:
        source_id = str(citation["source_id"])
        if source_id not in SEED_SOURCES:
            publishers_of.setdefault(str(citation["record_id"]), set()).add(
                publisher.get(source_id, source_id)
            )
    with_qid = {str(x["record_id"]) for x in external_ids if x["scheme"] == "wikidata"}
    return Sourcing(
        sources=len(sources),
        titled=sum(1 for s in sources if s.get("title")),
        dated=sum(1 for s in sources if s.get("published_date")),
        authored=sum(1 for s in sources if s.get("authors")),
        accessed=sum(1 for s in sources if s.get("accessed_date")),
        events=len(event_ids),
        events_corroborated=sum(1 for i in event_ids if len(publishers_of.get(i, ())) >= 2),
        citations=len(citations),
        citations_whole=sum(1 for c in citations if c["locator"] == "whole"),
        actors=len(actor_ids),
        actors_with_qid=sum(1 for i in actor_ids if i in with_qid),
        regional_script_aliases=sum(1 for a in aliases if _REGIONAL_SCRIPT.search(str(a["alias"]))),
    )


def _share(part: int, whole: int) -> str:
    return f"{part:>5} of {whole:<5} ({part / whole:.0%})" if whole else f"{part:>5} of {whole}"


def sourcing_lines(figures: Sourcing) -> list[str]:
    """The figures as the lines `iran-syria info` prints."""
    return [
        f"  sources with a title             {_share(figures.titled, figures.sources)}",
        f"  sources with a publication date  {_share(figures.dated, figures.sources)}",
        f"  sources with named authors       {_share(figures.authored, figures.sources)}",
        f"  sources with an access date      {_share(figures.accessed, figures.sources)}",
        "  events with two or more independent publishers (the seed article not counted)",
        f"                                   {_share(figures.events_corroborated, figures.events)}",
        f"  citations located only as whole {_share(figures.citations_whole, figures.citations)}",
        f"  actors with a Wikidata QID       {_share(figures.actors_with_qid, figures.actors)}",
        f"  aliases in Arabic, Persian or Hebrew script: {figures.regional_script_aliases}",
    ]
