"""The home page's two charts, drawn as SVG text here (no plotting library, so the same package
gives the same bytes): events per quarter by PLOVER category with key events labelled, and the
network of actors and relations, laid out once with a seeded spring layout, that a small script
filters to the relations and actors of a chosen day."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from ..models import EventType, partial_date_bounds
from ..plot import key_events
from .data import SiteData, relation_words
from .fields import href

#: Twenty colours that stay apart on white (Tableau 20, dark tones first).
PALETTE = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#aec7e8",
    "#ffbb78",
    "#98df8a",
    "#ff9896",
    "#c5b0d5",
    "#c49c94",
    "#f7b6d2",
    "#c7c7c7",
    "#dbdb8d",
    "#9edae5",
]
#: How many key events the timeline labels: fewer than the PNG, so that labels never overlap.
TIMELINE_LABELS = 8
#: Rows of labels above the timeline's bars.
TIMELINE_LANES = 5
#: The seed of the network layout: a fixed seed gives the same picture for the same package.
LAYOUT_SEED = 7
NETWORK_WIDTH = 900
#: Actors whose names the network shows (the most connected); the others name themselves on hover.
NAMED_ACTORS = 28


def _n(value: float) -> str:
    """A coordinate with one decimal, the same text on every platform."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def timeline_svg(data: SiteData, root: str) -> Markup:
    """Active events per quarter (by date_start), stacked by category, key events labelled."""
    events = [e for e in data.tables["events"] if e["status"] == "active"]
    if not events:
        return Markup("<p>No events.</p>")
    counts: Counter[tuple[int, str]] = Counter()
    for event in events:
        start: date = event["date_start"]
        counts[(start.year * 4 + (start.month - 1) // 3, event["event_type"])] += 1
    first = min(q for q, _ in counts) // 4 * 4
    last = max(q for q, _ in counts) // 4 * 4 + 3
    present = [t.value for t in EventType if any(e["event_type"] == t.value for e in events)]
    # The strongest colours go to the most frequent categories.
    frequency = Counter(e["event_type"] for e in events)
    by_frequency = sorted(present, key=lambda name: (-frequency[name], name))
    colour = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(by_frequency)}
    totals: Counter[int] = Counter()
    for (quarter, _), count in counts.items():
        totals[quarter] += count
    peak = max(totals.values())
    width, left, right, lanes, lane_height = 960, 36, 12, TIMELINE_LANES, 15
    top = 8 + lanes * lane_height + 8
    plot_height = 200
    bottom = top + plot_height
    step = (width - left - right) / (last - first + 1)

    def x_of(quarter: float) -> float:
        return left + (quarter - first) * step

    def y_of(count: float) -> float:
        return bottom - count / peak * plot_height

    parts: list[str] = []
    tick = max(1, round(peak / 4))
    for value in range(0, peak + 1, tick):
        y = _n(y_of(value))
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y}" y2="{y}"/>')
        parts.append(
            f'<text class="axis" x="{left - 4}" y="{y}" dy="0.32em" text-anchor="end">{value}</text>'
        )
    for year in range(first // 4, last // 4 + 1):
        if year % 5 == 0:
            x = _n(x_of(year * 4))
            parts.append(f'<line class="tick" x1="{x}" x2="{x}" y1="{bottom}" y2="{bottom + 4}"/>')
            parts.append(
                f'<text class="axis" x="{x}" y="{bottom + 15}" text-anchor="middle">{year}</text>'
            )
    for quarter in range(first, last + 1):
        height_so_far = 0
        for name in present:
            count = counts.get((quarter, name), 0)
            if not count:
                continue
            y_top = y_of(height_so_far + count)
            label = escape(f"{name}: {count} in Q{quarter % 4 + 1} {quarter // 4}")
            parts.append(
                f'<rect x="{_n(x_of(quarter) + 0.4)}" y="{_n(y_top)}" width="{_n(max(step - 0.8, 0.8))}" '
                f'height="{_n(y_of(height_so_far) - y_top)}" fill="{colour[name]}"><title>{label}</title></rect>'
            )
            height_so_far += count
    parts.extend(_labels(data, root, events, x_of, y_of, totals, width - right, lane_height))
    legend_top = bottom + 28
    for i, name in enumerate(present):
        key_x, key_y = left + (i % 8) * 112, legend_top + (i // 8) * 18
        parts.append(
            f'<rect x="{key_x}" y="{key_y}" width="11" height="11" fill="{colour[name]}"/>'
        )
        parts.append(f'<text class="legend" x="{key_x + 15}" y="{key_y + 9.5}">{name}</text>')
    height = legend_top + ((len(present) - 1) // 8 + 1) * 18 + 4
    return Markup(
        # A group, not an img: the key events' labels inside are links (an img holds nothing focusable).
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="group" aria-labelledby="timeline-title">'
        f'<title id="timeline-title">{len(events)} active events per quarter by PLOVER category, '
        f"{first // 4} to {last // 4}; key events labelled</title>" + "".join(parts) + "</svg>"
    )


def _labels(
    data: SiteData,
    root: str,
    events: list[dict[str, Any]],
    x_of: Any,
    y_of: Any,
    totals: Counter[int],
    right_edge: float,
    lane_height: int,
) -> list[str]:
    """Key events placed in lanes above the bars: each label takes the lowest lane where it
    overlaps no other, and one that fits nowhere is left out rather than drawn over another."""
    sources = Counter(
        record for record, _ in {(c["record_id"], c["source_id"]) for c in data.tables["citations"]}
    )
    chosen = sorted(
        key_events(events, sources)[:TIMELINE_LABELS], key=lambda e: (e["date_start"], e["id"])
    )
    lanes = len(range(TIMELINE_LANES))
    placed: list[tuple[int, float, float, float]] = []  # lane, text from, text to, leader x
    parts = []
    for event in chosen:
        start: date = event["date_start"]
        quarter = start.year * 4 + (start.month - 1) // 3
        x = x_of(quarter + 0.5)
        text = event["title"] if len(event["title"]) <= 32 else event["title"][:31].rstrip() + "…"
        text_width = len(text) * 5.6 + 4
        # The text starts at its leader, or ends there when it would run off the chart.
        anchor_end = x + text_width > right_edge
        x_from, x_to = (x - text_width, x) if anchor_end else (x - 2, x - 2 + text_width)
        lane = next(
            (
                lane
                for lane in range(lanes)
                if all(
                    # no overlap with a label in this lane
                    not (other == lane and a < x_to + 6 and x_from - 6 < b)
                    # this leader crosses no label below, and no leader from above crosses this text
                    and not (other < lane and a - 2 <= x <= b + 2)
                    and not (other > lane and x_from - 2 <= leader <= x_to + 2)
                    for other, a, b, leader in placed
                )
            ),
            None,
        )
        if lane is None:
            continue
        placed.append((lane, x_from, x_to, x))
        y_text = 8 + (lanes - 1 - lane) * lane_height + 11
        link = href(root, "events", event["id"])
        anchor = ' text-anchor="end"' if anchor_end else ""
        parts.append(
            f'<line class="leader" x1="{_n(x)}" x2="{_n(x)}" y1="{y_text + 3}" y2="{_n(y_of(totals[quarter]) - 1)}"/>'
            f'<a href="{escape(link)}"><text class="label" x="{_n(x if anchor_end else x_from)}" y="{y_text}"{anchor}>'
            f"{escape(text)}<title>{escape(event['title'])}</title></text></a>"
        )
    return parts


def _bounds(value: str | None, which: int) -> str:
    return partial_date_bounds(value)[which].isoformat() if value else ""


def network_svg(data: SiteData, root: str) -> Markup:
    """Active actors with at least one active relation, every active relation as a line; each
    carries its dates (data-start, data-end) so a script can show those of one day."""
    import networkx as nx

    actors = {a["id"]: a for a in data.tables["actors"] if a["status"] == "active"}
    relations = sorted(
        (
            r
            for r in data.tables["relations"]
            if r["status"] == "active" and r["source_id"] in actors and r["target_id"] in actors
        ),
        key=lambda r: r["id"],
    )
    graph = nx.Graph()
    for relation in relations:
        graph.add_edge(relation["source_id"], relation["target_id"])
    if not graph:
        return Markup("<p>No relations.</p>")
    nodes = sorted(graph.nodes)
    size, height = NETWORK_WIDTH, 700
    place = _layout(graph, size, height)
    types = sorted({str(r["relation_type"]) for r in relations})
    colour = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(types)}
    degree = dict(graph.degree)
    named = _named(nodes, degree, place, actors)
    parts = ['<g class="edges">']
    for relation in relations:
        (x1, y1), (x2, y2) = place(relation["source_id"]), place(relation["target_id"])
        end = relation["date_end"].isoformat() if relation["date_end"] else ""
        label = escape(
            f"{data.name_of(relation['source_id'])} {relation_words(relation)} "
            f"{data.name_of(relation['target_id'])}"
        )
        parts.append(
            f'<line data-source="{relation["source_id"]}" data-target="{relation["target_id"]}" '
            f'data-start="{relation["date_start"].isoformat()}" data-end="{end}" '
            f'x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour[relation["relation_type"]]}">'
            f"<title>{label}</title></line>"
        )
    parts.append('</g><g class="nodes">')
    for node in nodes:
        actor = actors[node]
        x, y = place(node)
        radius = _n(3 + min(degree[node], 30) ** 0.5 * 1.3)
        name = escape(actor["name"])
        text = ""
        if node in named:
            # A name that would run off the right edge ends at its circle instead.
            flip = float(x) + 6 + _name_width(actor["name"]) > size
            side = 'dx="-6" text-anchor="end"' if flip else 'dx="6"'
            text = f'<text x="{x}" y="{y}" {side} dy="-5">{name}</text>'

        parts.append(
            # Out of the tab order: three hundred stops would trap a keyboard user in the chart,
            # and every actor is one link away on the actors page.
            f'<a href="{escape(href(root, "actors", node))}" tabindex="-1" data-start="{_bounds(actor["start_date"], 0)}" '
            f'data-end="{_bounds(actor["end_date"], 1)}" data-id="{node}"><circle cx="{x}" cy="{y}" r="{radius}">'
            f"<title>{name}</title></circle>{text}</a>"
        )
    parts.append("</g>")
    legend = "".join(
        f'<li><span class="swatch" style="background:{colour[name]}"></span>{name.replace("_", " ")}</li>'
        for name in types
    )
    svg = (
        f'<svg class="chart network" id="network" viewBox="0 0 {size} {height}" role="group" '
        f'aria-labelledby="network-title"><title id="network-title">{len(nodes)} actors joined by '
        f"{len(relations)} relations</title>" + "".join(parts) + "</svg>"
    )
    return Markup(svg + f'<ul class="legend" aria-label="Relation types">{legend}</ul>')


def _layout(graph: Any, width: int, height: int) -> Any:
    """Positions from a seeded spring layout of the largest component, spread so that its dense
    middle stays legible (half of each coordinate is its rank); the small components sit in a
    row along the bottom instead of drifting to the edges."""
    import networkx as nx

    components = sorted(
        (sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0])
    )
    main = graph.subgraph(components[0])
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(main.nodes))
    ordered.add_edges_from(sorted(tuple(sorted(edge)) for edge in main.edges))
    layout = nx.spring_layout(
        ordered, seed=LAYOUT_SEED, k=2.5 / len(ordered) ** 0.5, iterations=150
    )
    margin, strip = 40, 50 if len(components) > 1 else 0
    positions: dict[str, tuple[str, str]] = {}
    names = sorted(layout)
    for axis, extent in ((0, width - 2 * margin - 120), (1, height - 2 * margin - strip)):
        values = [float(layout[n][axis]) for n in names]
        low, high = min(values), max(values)
        rank = {
            n: i for i, n in enumerate(sorted(names, key=lambda n: (float(layout[n][axis]), n)))
        }
        for n in names:
            share = 0.5 * (float(layout[n][axis]) - low) / ((high - low) or 1) + 0.5 * rank[
                n
            ] / max(len(names) - 1, 1)
            previous = positions.get(n, ("", ""))
            coordinate = _n(margin + share * extent)
            positions[n] = (coordinate, previous[1]) if axis == 0 else (previous[0], coordinate)
    x = float(margin)
    for component in components[1:]:
        for i, n in enumerate(component):
            positions[n] = (_n(x + 14 * i), _n(height - margin / 2 - 6 * (i % 2)))
        x += 14 * len(component) + 14
    return lambda node: positions[node]


def _name_width(name: str) -> float:
    """About how wide a name is drawn at the network's 10 px."""
    return len(name) * 5.6


def _named(
    nodes: list[str], degree: dict[str, int], place: Any, actors: dict[str, Any]
) -> set[str]:
    """The most connected actors whose names fit without covering another name."""
    boxes: list[tuple[float, float, float, float]] = []
    named: set[str] = set()
    for node in sorted(nodes, key=lambda n: (-degree[n], n)):
        if len(named) >= NAMED_ACTORS:
            break
        x, y = (float(v) for v in place(node))
        width = _name_width(actors[node]["name"])
        left = x - 6 - width if x + 6 + width > NETWORK_WIDTH else x + 6
        box = (left, y - 16, left + width, y - 3)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
            continue
        boxes.append(box)
        named.add(node)
    return named


def relation_days(data: SiteData) -> tuple[str, str]:
    """The first and last day a relation starts or ends: the range of the network's day control."""
    days = [r["date_start"] for r in data.tables["relations"]] + [
        r["date_end"] for r in data.tables["relations"] if r["date_end"]
    ]
    return min(days).isoformat(), max(days).isoformat()


def events_per_type(data: SiteData) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for event in data.tables["events"]:
        if event["status"] == "active":
            counts[event["event_type"]] += 1
    return dict(counts)


#: Capitals drawn on an event's map for orientation (WGS84, to two decimals).
_LANDMARKS = (
    # name, latitude, longitude, the side its name is written on (e: right, w: left)
    ("Damascus", 33.51, 36.29, "e"),
    ("Beirut", 33.89, 35.50, "w"),
    ("Baghdad", 33.31, 44.36, "e"),
    ("Tehran", 35.69, 51.39, "w"),
    ("Jerusalem", 31.77, 35.21, "w"),
    ("Amman", 31.95, 35.93, "e"),
    ("Ankara", 39.93, 32.86, "e"),
    ("Riyadh", 24.71, 46.68, "e"),
)


def place_svg(latitude: float, longitude: float, name: str) -> Markup:
    """A small map drawn offline: the event's point among the region's capitals on a plain
    longitude-latitude grid, the frame widened to hold a point far from the region."""
    west, east = min(31.0, longitude - 2), max(54.0, longitude + 2)
    south, north = min(23.0, latitude - 2), max(42.0, latitude + 2)
    width, height = 320.0, 320.0 * (north - south) / (east - west)
    if height > 260:
        width, height = width * 260 / height, 260.0

    def at(lat: float, lon: float) -> tuple[str, str]:
        return _n((lon - west) / (east - west) * width), _n(
            (north - lat) / (north - south) * height
        )

    parts = [f'<rect class="sea" width="{_n(width)}" height="{_n(height)}"/>']
    for meridian in range(int(west) // 5 * 5 + 5, int(east) + 1, 5):
        x, _ = at(south, meridian)
        parts.append(f'<line class="graticule" x1="{x}" x2="{x}" y1="0" y2="{_n(height)}"/>')
    for parallel in range(int(south) // 5 * 5 + 5, int(north) + 1, 5):
        _, y = at(parallel, west)
        parts.append(f'<line class="graticule" x1="0" x2="{_n(width)}" y1="{y}" y2="{y}"/>')
    for label, lat, lon, side in _LANDMARKS:
        x, y = at(lat, lon)
        placing = 'dx="-4" dy="-2" text-anchor="end"' if side == "w" else 'dx="4" dy="8"'
        parts.append(f'<circle class="landmark" cx="{x}" cy="{y}" r="2"/>')
        parts.append(f'<text class="landmark" x="{x}" y="{y}" {placing}>{label}</text>')
    x, y = at(latitude, longitude)
    parts.append(
        f'<circle class="event-point" cx="{x}" cy="{y}" r="5"><title>{escape(name)}</title></circle>'
    )
    return Markup(
        f'<svg class="place-map" viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" '
        f'height="{_n(height)}" role="img" aria-label="{escape(name)} at latitude {latitude:g}, '
        f'longitude {longitude:g}, among the capitals of the region">' + "".join(parts) + "</svg>"
    )
