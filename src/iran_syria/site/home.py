"""The home page (what the dataset is, its coverage, counts, changes, how to cite it, licences,
charts, downloads and its schema.org Dataset description) and the codebook page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from ..cite import AUTHOR, cite
from ..coverage import STATEMENT
from ..schema import PACKAGE_METADATA, codebook
from .charts import network_svg, relation_days, timeline_svg
from .data import RECORD_TABLES, SiteData
from .downloads import Download


def _markdown() -> MarkdownIt:
    # CommonMark with tables (the codebook is mostly tables); raw HTML in the text stays text.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def render_markdown(text: str) -> Markup:
    # A code block wider than the page scrolls; tabindex lets a keyboard reach and scroll it.
    return Markup(_markdown().render(text).replace("<pre>", '<pre tabindex="0">'))


def changes_section(package_dir: Path, version: str) -> tuple[str, Markup] | None:
    """The CHANGELOG section of `version`, else [Unreleased], from the checkout the package
    sits in; None for an installed package, which ships no changelog."""
    changelog = package_dir.parent / "CHANGELOG.md"
    if not changelog.is_file():
        return None
    text = changelog.read_text(encoding="utf-8")
    for heading in (version, "Unreleased"):
        match = re.search(
            rf"^## \[{re.escape(heading)}\][^\n]*\n(.*?)(?=^## \[|\Z)", text, re.M | re.S
        )
        if match and match.group(1).strip():
            # One level down, so the page's own h2 stays the section's heading.
            body = re.sub(r"^### ", "#### ", match.group(1).strip(), flags=re.M)
            return heading, render_markdown(body)
    return None


def home_context(data: SiteData, downloads: list[Download]) -> dict[str, Any]:
    descriptor = data.descriptor
    version = data.version
    counts = {
        table: sum(1 for row in data.tables[table] if row.get("status", "active") == "active")
        for table in RECORD_TABLES
    }
    first_day, last_day = relation_days(data)
    return {
        "title": str(descriptor.get("title", "")),
        "description": str(descriptor.get("description", "")),
        "coverage": render_markdown(STATEMENT),
        "counts": counts,
        "changes": changes_section(data.package_dir, version),
        "cite_text": cite("text", version),
        "cite_bibtex": cite("bibtex", version),
        "licenses": descriptor.get("licenses", []),
        "timeline": timeline_svg(data, ""),
        "network": network_svg(data, ""),
        "network_days": (first_day, last_day, _default_day(last_day)),
        "downloads": downloads,
        "json_ld": json_ld(data, downloads),
    }


def _default_day(last_day: str) -> str:
    """The day the network first shows: the day before Assad's fall, as the README's plot, when
    the data reaches it."""
    return "2024-12-01" if last_day >= "2024-12-01" else last_day


def json_ld(data: SiteData, downloads: list[Download]) -> Markup:
    """The schema.org Dataset description search engines read, as a script element's text."""
    descriptor = data.descriptor
    starts = [e["date_start"] for e in data.tables["events"] if e["status"] == "active"]
    coverage_end = str(descriptor.get("coverage_end") or PACKAGE_METADATA["coverage_end"])
    document = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": descriptor.get("title"),
        "alternateName": descriptor.get("name"),
        "description": descriptor.get("description"),
        "version": data.version,
        # The descriptor's id: the repository until a DOI exists (schema.REPOSITORY_URL).
        **(
            {"identifier": descriptor["id"], "sameAs": descriptor["id"]}
            if descriptor.get("id")
            else {}
        ),
        "license": [str(item.get("path")) for item in descriptor.get("licenses", [])],
        "isAccessibleForFree": True,
        "keywords": descriptor.get("keywords", []),
        "creator": {"@type": "Organization", "name": AUTHOR},
        "citation": cite("text", data.version),
        "temporalCoverage": f"{min(starts).isoformat() if starts else ''}/{coverage_end}",
        "spatialCoverage": [
            {"@type": "Place", "name": "Syria"},
            {"@type": "Place", "name": "Iran"},
            {"@type": "Place", "name": "Lebanon"},
            {"@type": "Place", "name": "Iraq"},
            {"@type": "Place", "name": "Israel"},
        ],
        "distribution": [
            {
                "@type": "DataDownload",
                "name": d.name,
                "contentUrl": d.path,
                "encodingFormat": d.media_type,
                "contentSize": f"{d.size} B",
                "sha256": d.sha256,
            }
            for d in downloads
        ],
    }
    text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)
    return Markup(text.replace("</", "<\\/"))


def codebook_html(package_dir: Path) -> Markup:
    """The package's CODEBOOK.md (generated from the models) as HTML."""
    shipped = package_dir / "CODEBOOK.md"
    text = shipped.read_text(encoding="utf-8") if shipped.is_file() else codebook()
    # Its "generated, do not edit" comment is for editors of the file, not for readers.
    return render_markdown(re.sub(r"<!--.*?-->\n*", "", text, flags=re.S))
