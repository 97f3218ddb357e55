"""Screenshots of the web site for the README: docs/site-home.png and docs/site-record.png.

Builds the site of the shipped package, serves it on 127.0.0.1 and photographs it with the
system's Chromium through Playwright, as the browser tests do. Run: make screenshots
"""

from __future__ import annotations

import functools
import http.server
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
RECORD = "events/evt-2020-01-03-soleimani-killed/index.html"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def main() -> int:
    from playwright.sync_api import sync_playwright

    from iran_syria.site import build_site

    with tempfile.TemporaryDirectory() as folder:
        site = build_site(Path(folder) / "site", path=ROOT / "datapackage").out
        handler = functools.partial(_Quiet, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM)
                page = browser.new_page(viewport={"width": 1200, "height": 1400})
                page.goto(base + "index.html")
                page.fill("#home-search", "Soleimani")
                page.locator("#results a").first.wait_for()
                page.screenshot(path=str(ROOT / "docs" / "site-home.png"))
                page.set_viewport_size({"width": 1200, "height": 1500})
                page.goto(base + RECORD)
                page.screenshot(path=str(ROOT / "docs" / "site-record.png"))
                browser.close()
        finally:
            server.shutdown()
    print("wrote docs/site-home.png and docs/site-record.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
