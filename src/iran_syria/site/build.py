"""Build the static site: every page, script, style and download written into one folder that
works from any web server and from disk, the same bytes for the same package."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..errors import IranSyriaError
from .data import SiteData, read_site_data
from .downloads import sha256sums, write_downloads
from .home import codebook_html, home_context
from .pages import record_pages
from .tables import SEARCH_INDEX, search_index_script, table_pages

_HERE = Path(__file__).resolve().parent
#: A file every built site holds, so that a rebuild may replace the folder and nothing else.
MARKER = ".iran-syria-site"


class SiteFolderError(IranSyriaError):
    """The output folder holds something that is not a site built here."""


@dataclass(frozen=True)
class SiteBuild:
    out: Path
    pages: int
    files: int
    downloads: int


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(_HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["filesize"] = _filesize
    return env


def _filesize(size: int) -> str:
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1_000_000:.1f} MB"


def build_site(out: str | Path, path: str | Path | None = None) -> SiteBuild:
    """Write the site of the package at `path` (default: the shipped one) into the folder `out`.

    The folder is built beside `out` and then put in its place, so a reader never sees half a
    site. An existing `out` is replaced only when it is empty or a site built by this function.
    """
    target = Path(out)
    if target.exists() and (
        not target.is_dir() or (any(target.iterdir()) and not (target / MARKER).is_file())
    ):
        raise SiteFolderError(
            f"{target}: exists and is not a site built by `iran-syria site`; "
            "choose a new or empty folder"
        )
    data = read_site_data(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=target.parent))
    try:
        files = _write_site(staging, data)
        staging.chmod(0o755)  # mkdtemp makes it private; a web server must read it
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return SiteBuild(
        out=target, pages=files["pages"], files=files["files"], downloads=files["downloads"]
    )


def _write(site: Path, relative: str, text: str) -> None:
    path = site / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _write_site(site: Path, data: SiteData) -> dict[str, int]:
    env = _environment()
    (site / MARKER).write_text("built by iran-syria site\n", encoding="utf-8")
    # GitHub Pages would otherwise run Jekyll over the folder.
    (site / ".nojekyll").write_text("", encoding="utf-8")
    shutil.copytree(_HERE / "static", site / "static")
    _write(site, SEARCH_INDEX, search_index_script(data))
    downloads = write_downloads(site, data.package_dir, data.descriptor)
    _write(site, "downloads/SHA256SUMS", sha256sums(downloads))
    title = str(data.descriptor.get("title", data.descriptor.get("name", "")))
    common = {
        "site_title": title,
        "version": data.version,
        "data_license": "CC BY 4.0",
        "description": "",
    }
    pages = 0
    for relative, html in record_pages(env, data, common):
        _write(site, relative, html)
        pages += 1
    for relative, html in table_pages(env, data, common).items():
        _write(site, relative, html)
        pages += 1
    home = home_context(data, downloads)
    _write(
        site,
        "index.html",
        env.get_template("home.html").render(**{**common, **home}, root="", section="home"),
    )
    _write(
        site,
        "codebook/index.html",
        env.get_template("codebook.html").render(
            **common,
            title="Codebook",
            codebook=codebook_html(data.package_dir),
            root="../",
            section="codebook",
        ),
    )
    pages += 2
    files = sum(1 for p in site.rglob("*") if p.is_file())
    return {"pages": pages, "files": files, "downloads": len(downloads)}
