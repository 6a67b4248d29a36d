"""The map's front-end files: the one list of vendored files, and the map's own script and styles.

Third-party files (Leaflet and two plugins) come from npm through scripts/vendor_assets.py,
which reads VENDOR_FILES below, into a vendor folder the caller names (the app's is
static/vendor/). The map's own script and styles live in this package (static/map.js,
static/map.css). Two ways to ship both: served (linked by URL; the app's static folder is
served at /app/static/) or inline (copied into the page, so an exported file needs no server
and no internet). Nothing here loads from a CDN, and nothing here knows where the repository is.
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from geo.core.files import write_atomic

# Streamlit serves the app's ./static folder at this URL when server.enableStaticServing is on.
STATIC_URL = "/app/static/"
VENDOR_SUBDIR = "vendor"
# Files the app writes at run time (boundaries, the map's own script and styles).
PUBLISH_SUBDIR = "geo"
MANIFEST_NAME = "manifest.json"
LEAFLET_IMAGES = "leaflet/images/"
KINDS = ("js", "css", "other")


@dataclass(frozen=True)
class VendorFile:
    """One vendored file: where it is in its npm package and where it goes in the vendor folder.

    The destination layout keeps each CSS file beside the images its url(...) entries name.
    """

    package: str  # npm package name
    source: str  # path inside the npm package
    path: str  # path inside the vendor folder (the URL is <vendor URL>/<path>)
    kind: str  # "js" or "css" (linked, in load order) or "other" (images, licences)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {self.kind!r}")


def _files(package: str, *entries: tuple[str, str, str]) -> tuple[VendorFile, ...]:
    return tuple(VendorFile(package, source, path, kind) for source, path, kind in entries)


# THE list of vendored files; js and css entries are in load order.
VENDOR_FILES: tuple[VendorFile, ...] = (
    *_files(
        "leaflet",
        ("dist/leaflet.js", "leaflet/leaflet.js", "js"),
        ("dist/leaflet.css", "leaflet/leaflet.css", "css"),
        ("dist/images/layers.png", "leaflet/images/layers.png", "other"),
        ("dist/images/layers-2x.png", "leaflet/images/layers-2x.png", "other"),
        ("dist/images/marker-icon.png", "leaflet/images/marker-icon.png", "other"),
        ("dist/images/marker-icon-2x.png", "leaflet/images/marker-icon-2x.png", "other"),
        ("dist/images/marker-shadow.png", "leaflet/images/marker-shadow.png", "other"),
        ("LICENSE", "leaflet/LICENSE", "other"),
    ),
    *_files(
        "leaflet.markercluster",
        ("dist/leaflet.markercluster.js", "leaflet.markercluster/leaflet.markercluster.js", "js"),
        ("dist/MarkerCluster.css", "leaflet.markercluster/MarkerCluster.css", "css"),
        (
            "dist/MarkerCluster.Default.css",
            "leaflet.markercluster/MarkerCluster.Default.css",
            "other",
        ),
        ("MIT-LICENCE.txt", "leaflet.markercluster/MIT-LICENCE.txt", "other"),
    ),
    *_files(
        "leaflet.fullscreen",
        ("Control.FullScreen.js", "leaflet.fullscreen/Control.FullScreen.js", "js"),
        ("Control.FullScreen.css", "leaflet.fullscreen/Control.FullScreen.css", "css"),
        ("icon-fullscreen.svg", "leaflet.fullscreen/icon-fullscreen.svg", "other"),
        ("LICENSE", "leaflet.fullscreen/LICENSE", "other"),
    ),
)
VENDOR_JS: tuple[str, ...] = tuple(f.path for f in VENDOR_FILES if f.kind == "js")
VENDOR_CSS: tuple[str, ...] = tuple(f.path for f in VENDOR_FILES if f.kind == "css")

# The map's own front-end files, package data of geo.webmap: kind -> file in static/.
MAP_FILES: dict[str, str] = {"js": "map.js", "css": "map.css"}

# "</script" inside inlined JS would end the tag early; "<\/script" means the same to JS.
_SCRIPT_END = re.compile(r"</(script)", re.IGNORECASE)
_CSS_URL = re.compile(r"url\((['\"]?)([^'\")]+)\1\)")


class AssetsMissingError(RuntimeError):
    """The vendored front-end files are not in the vendor folder (run `make assets`)."""


def missing_assets(vendor_dir: Path) -> list[str]:
    """The vendored files the map links (js and css) that are absent from ``vendor_dir``."""
    return [path for path in (*VENDOR_JS, *VENDOR_CSS) if not (Path(vendor_dir) / path).is_file()]


def vendor_urls(prefix: str = STATIC_URL) -> tuple[list[str], list[str]]:
    """The (js, css) URLs of the vendored files in load order, under ``prefix``vendor/."""
    base = f"{prefix}{VENDOR_SUBDIR}/"
    return [base + p for p in VENDOR_JS], [base + p for p in VENDOR_CSS]


def leaflet_images_url(prefix: str = STATIC_URL) -> str:
    """Where Leaflet finds its default icon images when served."""
    return f"{prefix}{VENDOR_SUBDIR}/{LEAFLET_IMAGES}"


def map_file_text(kind: str) -> str:
    """The text of the map's own script ("js") or styles ("css"), read from package data."""
    return resources.files("geo.webmap").joinpath("static", MAP_FILES[kind]).read_text("utf-8")


def publish_map_files(static_dir: Path, url_prefix: str = STATIC_URL) -> dict[str, str]:
    """Write the map's own script and styles into ``static_dir``/geo/ and return their URLs.

    Names carry a hash of the content, so a browser never runs a stale script after an
    upgrade. Writing is atomic and skipped when the file exists. Returns {"js": url, "css": url}.
    """
    target = Path(static_dir) / PUBLISH_SUBDIR
    target.mkdir(parents=True, exist_ok=True)
    urls = {}
    for kind, name in MAP_FILES.items():
        data = map_file_text(kind).encode("utf-8")
        stem, suffix = name.rsplit(".", 1)
        path = target / f"{stem}-{hashlib.sha256(data).hexdigest()[:12]}.{suffix}"
        if not path.is_file():
            write_atomic(path, data)
        urls[kind] = f"{url_prefix}{PUBLISH_SUBDIR}/{path.name}"
    return urls


def inline_script(js: str) -> str:
    """JavaScript made safe to sit inside a <script> element."""
    return _SCRIPT_END.sub(r"<\\/\1", js)


def inline_assets_html(vendor_dir: Path) -> str:
    """<style> and <script> tags holding the vendored CSS and JS (images as data: URIs)."""
    vendor_dir = Path(vendor_dir)
    files = _manifest_files(vendor_dir)
    parts = []
    for rel in VENDOR_CSS:
        css = _read_asset(vendor_dir, rel, files)
        parts.append(f"<style>\n{_inline_css_urls(css, (vendor_dir / rel).parent)}\n</style>")
    for rel in VENDOR_JS:
        parts.append(f"<script>\n{inline_script(_read_asset(vendor_dir, rel, files))}\n</script>")
    return "\n".join(parts)


def _manifest_files(vendor_dir: Path) -> set[str]:
    manifest = vendor_dir / MANIFEST_NAME
    if not manifest.is_file():
        raise AssetsMissingError(f"{manifest} is missing: run `make assets` to vendor Leaflet")
    data = json.loads(manifest.read_text(encoding="utf-8"))
    return {f["path"] for pkg in data.get("packages", []) for f in pkg.get("files", [])}


def _read_asset(vendor_dir: Path, rel: str, listed: set[str]) -> str:
    path = vendor_dir / rel
    if rel not in listed or not path.is_file():
        raise AssetsMissingError(f"{path} is missing or not in the manifest: run `make assets`")
    return path.read_text(encoding="utf-8")


def _inline_css_urls(css: str, folder: Path) -> str:
    """Replace url(relative-file) in CSS by data: URIs so the CSS works inline."""

    def replace(match: re.Match) -> str:
        target = match.group(2)
        if target.startswith(("data:", "#", "http:", "https:", "/")):
            return match.group(0)
        path = folder / target
        if not path.is_file():
            return match.group(0)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f'url("data:{mime};base64,{data}")'

    return _CSS_URL.sub(replace, css)
