"""The front-end assets the map serves from /app/static/vendor/ are present, whole and current."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENDOR_DIR = ROOT / "static" / "vendor"
MANIFEST = VENDOR_DIR / "manifest.json"

# What the map links to (as /app/static/vendor/<path>), plus the licences shipped beside them.
EXPECTED_FILES = {
    "leaflet": [
        "leaflet/leaflet.js",
        "leaflet/leaflet.css",
        "leaflet/images/layers.png",
        "leaflet/images/layers-2x.png",
        "leaflet/images/marker-icon.png",
        "leaflet/images/marker-icon-2x.png",
        "leaflet/images/marker-shadow.png",
        "leaflet/LICENSE",
    ],
    "leaflet.markercluster": [
        "leaflet.markercluster/leaflet.markercluster.js",
        "leaflet.markercluster/MarkerCluster.css",
        "leaflet.markercluster/MarkerCluster.Default.css",
        "leaflet.markercluster/MIT-LICENCE.txt",
    ],
    "leaflet.fullscreen": [
        "leaflet.fullscreen/Control.FullScreen.js",
        "leaflet.fullscreen/Control.FullScreen.css",
        "leaflet.fullscreen/icon-fullscreen.svg",
        "leaflet.fullscreen/LICENSE",
    ],
}


@pytest.fixture(scope="module")
def manifest() -> dict:
    if not MANIFEST.is_file():
        pytest.fail(f"{MANIFEST} is missing: run `make assets` (or `make setup`)")
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def test_manifest_lists_every_expected_file(manifest):
    listed = {pkg["name"]: [f["path"] for f in pkg["files"]] for pkg in manifest["packages"]}
    for name, paths in EXPECTED_FILES.items():
        assert name in listed, f"package {name} missing from manifest.json"
        assert set(paths) <= set(listed[name]), f"{name}: missing {set(paths) - set(listed[name])}"


def test_files_exist_match_their_sha256_and_are_not_symlinks(manifest):
    for pkg in manifest["packages"]:
        for entry in pkg["files"]:
            path = VENDOR_DIR / entry["path"]
            # Streamlit refuses to serve a symlink that leaves ./static, so copies only.
            assert not path.is_symlink(), f"{path} is a symlink"
            assert path.is_file(), f"{path} is missing"
            data = path.read_bytes()
            assert hashlib.sha256(data).hexdigest() == entry["sha256"], f"{path} was modified"
            assert len(data) == entry["bytes"]


def test_no_symlink_anywhere_under_vendor():
    links = [p for p in VENDOR_DIR.rglob("*") if p.is_symlink()]
    assert links == []


def test_versions_match_package_lock(manifest):
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    for pkg in manifest["packages"]:
        locked = lock["packages"][f"node_modules/{pkg['name']}"]["version"]
        assert pkg["version"] == locked, f"{pkg['name']}: run `make assets` to refresh"


def test_css_urls_resolve_to_vendored_files():
    # A url(...) in a vendored CSS that points nowhere shows as a missing icon in the map.
    for css in VENDOR_DIR.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        for part in text.split("url(")[1:]:
            target = part.split(")", 1)[0].strip("'\" ")
            if target.startswith(("data:", "#")):
                continue
            assert (css.parent / target).is_file(), f"{css.name}: url({target}) not vendored"


def test_vendor_script_check_agrees():
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "vendor_assets.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "up to date" in proc.stdout


def import_script(name: str):
    """A module of scripts/ (not a package), imported as the build hook imports its sibling."""
    import importlib
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(ROOT / "scripts"))


def test_build_hook_bundles_app_data_settings_and_only_the_listed_vendor_files(tmp_path):
    build_hook, vendor_assets = import_script("build_hook"), import_script("vendor_assets")
    (VENDOR_DIR / "stray.txt").write_text("not in the manifest\n", encoding="utf-8")
    try:
        build_hook.build_bundle(ROOT, tmp_path)
    finally:
        (VENDOR_DIR / "stray.txt").unlink()
    assert (tmp_path / "app.py").read_bytes() == (ROOT / "app.py").read_bytes()
    config = (ROOT / ".streamlit" / "config.toml").read_bytes()
    assert (tmp_path / "streamlit.toml").read_bytes() == config
    data = sorted(p.name for p in (tmp_path / "data").iterdir())
    shipped = sorted(p.name for p in (ROOT / "data").iterdir() if p.suffix in (".csv", ".geojson"))
    assert data == sorted([*shipped, "README.md"])
    vendored = sorted(
        str(p.relative_to(tmp_path / "static" / "vendor"))
        for p in (tmp_path / "static" / "vendor").rglob("*")
        if p.is_file()
    )
    assert vendored == sorted(["manifest.json", *(f.path for f in vendor_assets.VENDOR_FILES)])
    assert vendor_assets.manifest_problems(tmp_path / "static" / "vendor") == []


def test_missing_sources_stop_the_build_with_one_line(tmp_path):
    build_hook = import_script("build_hook")
    with pytest.raises(SystemExit, match=r"cannot bundle the app: app\.py, data, "):
        build_hook.build_bundle(tmp_path, tmp_path / "out")


def test_build_hook_compiles_every_catalogue_into_a_loadable_mo(tmp_path):
    import gettext

    from babel.messages.pofile import read_po

    build_hook = import_script("build_hook")
    line = build_hook.compile_catalogues(ROOT / "geo" / "locale", tmp_path)
    assert line.startswith("compiled catalogues: ")
    for lang in ("fr", "en", "de"):
        source = ROOT / "geo" / "locale" / lang / "LC_MESSAGES" / "messages.po"
        with source.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        with (tmp_path / lang / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        assert compiled.info()["language"] == lang
        for message in catalog:
            if message.id and isinstance(message.id, str) and not message.context:
                assert compiled.gettext(message.id) == message.string


def test_build_hook_without_catalogues_stops_with_one_line(tmp_path):
    build_hook = import_script("build_hook")
    with pytest.raises(SystemExit, match="no gettext catalogues under"):
        build_hook.compile_catalogues(tmp_path, tmp_path / "out")
