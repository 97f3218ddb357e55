"""Draw the package: a timeline of events by PLOVER category, and the network of actors and
relations on a day. Rendered with matplotlib's Agg canvas (no display, no pyplot state) and
written atomically as PNG. Needs `pip install "iran-syria[plot]"`.

Which events the timeline labels is a rule, not a choice made per event: the active ASSAULT,
SANCTION and AGREE events of high confidence, the most-cited first (then the deadliest, then
the earliest), at most LABELLED_EVENTS of them.
"""

from __future__ import annotations

import warnings
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._atomic import atomic_file
from .loaders import _require, _typed_table, load_graph
from .models import EventType, Status

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: The categories whose high-confidence events are candidates for a label on the timeline.
LABELLED_TYPES = (EventType.ASSAULT, EventType.SANCTION, EventType.AGREE)
#: At most this many events are labelled, so the labels stay readable.
LABELLED_EVENTS = 12


def plot_timeline(out: str | Path, path: str | Path | None = None) -> Path:
    """Active events over time, one row per PLOVER category, key events labelled; a PNG."""
    _require("matplotlib", "plot")
    from matplotlib.figure import Figure

    events = [
        e
        for e in _typed_table("events", include_retracted=True, path=path).to_pylist()
        if e["status"] == Status.ACTIVE.value
    ]
    sources = Counter(
        c["record_id"]
        for c in {
            (c["record_id"], c["source_id"]): c
            for c in _typed_table("citations", include_retracted=True, path=path).to_pylist()
        }.values()
    )
    figure = Figure(figsize=(13, 7), layout="constrained")
    axes = figure.add_subplot()
    present = [t.value for t in EventType if any(e["event_type"] == t.value for e in events)]
    rows = {name: index for index, name in enumerate(reversed(present))}
    colours = _colours(present, "tab20")
    for event in events:
        row = rows[event["event_type"]]
        # A span runs from its first day's start to its last day's end; not to the next
        # midnight, which for an event ending 9999-12-31 is past the calendar.
        # (Any: matplotlib's stubs type x as numbers; it takes datetimes through its units.)
        start: Any = datetime.combine(event["date_start"], time.min)
        end: Any = datetime.combine(event["date_end"], time.max)
        colour = colours[event["event_type"]]
        if end - start > timedelta(days=1):  # imprecise dates drawn as their span
            axes.hlines(row, start, end, colors=[colour], linewidth=5, alpha=0.35)
        axes.plot([start + (end - start) / 2], [row], "o", color=colour, markersize=5)
    for number, event in enumerate(key_events(events, sources)):
        middle = event["date_start"] + (event["date_end"] - event["date_start"]) / 2
        axes.annotate(
            _short(event["title"]),
            (middle, rows[event["event_type"]]),
            xytext=(0, 10 + 11 * (number % 3)),
            textcoords="offset points",
            ha="center",
            fontsize=7,
            arrowprops={"arrowstyle": "-", "color": "0.5", "linewidth": 0.5},
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.8, "linewidth": 0},
        )
    if events:
        # The margins around the data must not reach past the calendar matplotlib can label.
        # Its last label is 9999-12-31 00:00: a later instant rounds to the year 10000.
        from matplotlib.dates import date2num

        low, high = axes.get_xlim()
        first = date2num(datetime.min)  # type: ignore[no-untyped-call]
        last = date2num(datetime(9999, 12, 31))  # type: ignore[no-untyped-call]
        axes.set_xlim(max(low, first), min(high, last))
    axes.set_yticks(list(rows.values()), list(rows))
    axes.set_ylim(-0.7, max(len(rows) - 0.3, 0.7))
    axes.grid(axis="x", alpha=0.3)
    axes.set_xlabel("date (bars: the span of an imprecisely dated event)")
    if not events:
        axes.text(0.5, 0.5, "no events", transform=axes.transAxes, ha="center")
    axes.set_title(
        f"{len(events)} events by PLOVER category; labelled: the {LABELLED_EVENTS} most-cited "
        "high-confidence ASSAULT, SANCTION and AGREE events",
        fontsize=10,
    )
    return _save(figure, Path(out))


def key_events(events: list[dict[str, Any]], sources: Counter[str]) -> list[dict[str, Any]]:
    """The events the timeline labels: see the module's docstring for the rule."""
    candidates = [
        e
        for e in events
        if e["event_type"] in {t.value for t in LABELLED_TYPES} and e["confidence"] == "high"
    ]
    candidates.sort(
        key=lambda e: (-sources[e["id"]], -(e["fatalities_best"] or 0), e["date_start"], e["id"])
    )
    return candidates[:LABELLED_EVENTS]


def plot_network(
    out: str | Path, as_of: date | str | None = None, path: str | Path | None = None
) -> Path:
    """Actors joined by the relations active on `as_of` (all relations without it); a PNG.

    Only actors with at least one relation are drawn; colour is the actor's kind for nodes
    and the relation type for edges; symmetric relations have no arrow head.
    """
    _require("matplotlib", "plot")
    networkx = _require("networkx", "plot")
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch

    graph = load_graph(as_of=as_of, path=path)
    drawn = graph.subgraph([n for n in graph if graph.degree(n) > 0])
    figure = Figure(figsize=(13, 10), layout="constrained")
    axes = figure.add_subplot()
    axes.set_axis_off()
    positions = networkx.spring_layout(
        networkx.Graph(drawn), seed=7, k=1.8 / max(len(drawn), 1) ** 0.5
    )
    kinds = sorted({drawn.nodes[n]["kind"] for n in drawn})
    types = sorted({d["relation_type"] for _, _, d in drawn.edges(data=True)})
    node_colours = _colours(kinds, "tab10")
    edge_colours = _colours(types, "tab20")
    seen: Counter[frozenset[str]] = Counter()
    for source, target, data in sorted(drawn.edges(data=True), key=lambda e: e[2]["id"]):
        pair = frozenset((source, target))
        bend = 0.12 * seen[pair] * (1 if source < target else -1)
        seen[pair] += 1
        axes.add_patch(
            FancyArrowPatch(
                positions[source],
                positions[target],
                arrowstyle="-" if data["symmetric"] else "-|>",
                connectionstyle=f"arc3,rad={bend}",
                mutation_scale=10,
                color=edge_colours[data["relation_type"]],
                linewidth=1.0,
                alpha=0.8,
                shrinkA=7,
                shrinkB=7,
            )
        )
    for node in drawn:
        x, y = positions[node]
        axes.scatter(
            [x],
            [y],
            s=40 + 15 * drawn.degree(node),
            color=node_colours[drawn.nodes[node]["kind"]],
            edgecolors="white",
            zorder=3,
        )
        axes.annotate(
            _short(str(drawn.nodes[node]["name"]), 32),
            (x, y),
            xytext=(0, 7),
            textcoords="offset points",
            ha="center",
            fontsize=7,
            zorder=4,
        )
    if len(drawn):
        axes.legend(
            handles=[
                Line2D([], [], marker="o", linestyle="", color=node_colours[k], label=k)
                for k in kinds
            ]
            + [Line2D([], [], color=edge_colours[t], label=t) for t in types],
            loc="lower left",
            fontsize=7,
            frameon=False,
        )
    else:
        axes.text(0.5, 0.5, "no relations", transform=axes.transAxes, ha="center")
    when = f"active on {graph.graph['as_of'].isoformat()}" if graph.graph["as_of"] else "all"
    axes.set_title(
        f"{len(drawn)} actors and {drawn.number_of_edges()} relations ({when})", fontsize=10
    )
    axes.margins(0.08)
    return _save(figure, Path(out))


# ---------------------------------------------------------------------------------------------


def _colours(names: list[str], palette: str) -> dict[str, Any]:
    from matplotlib import colormaps

    colormap = colormaps[palette]
    # tab20 pairs a strong and a pale shade: use the strong ones first.
    order = list(range(0, colormap.N, 2)) + list(range(1, colormap.N, 2))
    return {name: colormap(order[index % colormap.N]) for index, name in enumerate(names)}


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _save(figure: Figure, target: Path) -> Path:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    with warnings.catch_warnings():
        # A name in a script the default font lacks is drawn as boxes, not an error.
        warnings.filterwarnings("ignore", message="Glyph .* missing from", category=UserWarning)
        with atomic_file(target) as temporary:
            figure.savefig(temporary, format="png", dpi=150, metadata={"Software": None})
    return target
