"""The dataset as a static web site: a page per record, search, charts, the codebook and the
downloads, for readers who never install Python. Needs `pip install "iran-syria[site]"`."""

from __future__ import annotations

from .build import SiteBuild, SiteFolderError, build_site

__all__ = ["SiteBuild", "SiteFolderError", "build_site"]
