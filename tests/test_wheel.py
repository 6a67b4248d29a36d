"""The wheel as a new user gets it: built once, installed with the pinned runtime set into a
fresh venv, used from a folder outside the checkout.

`france-ai-map export` writes a valid PDF from the installed data, and `france-ai-map run`
serves the installed app, whose map Leaflet paints in Debian's Chromium with every non-local
request blocked and recorded (only basemap tiles may be asked for). The wheel is built while
the venv is made. Slow (a venv of the whole runtime set, about 2.5 min), so marked browser.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pypdf
import pytest
from conftest import OUTPUT_DIR, _wait_healthy, free_port
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
PIP = ("-m", "pip", "--disable-pip-version-check", "install", "--quiet", "--no-compile")
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
IDLE = '[data-test-script-state="notRunning"]'
TIMEOUT_MS = 30_000
BUILD_TIMEOUT_S = 300
# The basemap tiles are the map's only internet resource, and it paints without them (the
# same rule as test_browser.py); anything else from outside would mean a missing local file.
TILE_HOST = re.compile(r"^[a-d]\.basemaps\.cartocdn\.com$")
A4_LANDSCAPE_POINTS = (842, 595)


def run(command: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


def user_env() -> dict[str, str]:
    """The environment of a user who has no checkout: nothing points at the repository."""
    unset = ("FRANCE_AI_MAP_DATA_DIR", "PYTHONPATH", "VIRTUAL_ENV")
    return {k: v for k, v in os.environ.items() if k not in unset}


class WheelBuild:
    """`pip wheel` of the checkout, running in the background while the venv is made."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.wheel: Path | None = None
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out)]
        self.process = subprocess.Popen(
            [*command, str(ROOT)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )

    def path(self) -> Path:
        """The wheel, once built (the build hook bundles app, data and Leaflet)."""
        if self.wheel is None:
            output, _ = self.process.communicate(timeout=BUILD_TIMEOUT_S)
            assert self.process.returncode == 0, output.decode(errors="replace")
            (self.wheel,) = self.out.glob("*.whl")
        return self.wheel

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="session")
def wheel_build(tmp_path_factory) -> Iterator[WheelBuild]:
    build = WheelBuild(tmp_path_factory.mktemp("wheel"))
    yield build
    build.stop()


@pytest.fixture(scope="session")
def wheel(wheel_build) -> Path:
    return wheel_build.path()


@pytest.fixture(scope="session")
def venv_bin(wheel_build, tmp_path_factory) -> Path:
    """A fresh venv with requirements/run.lock (hash-checked), then the wheel with no deps."""
    venv = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", str(venv)], cwd=venv, env=user_env())
    python = str(venv / "bin" / "python")
    lock = str(ROOT / "requirements" / "run.lock")
    run([python, *PIP, "--require-hashes", "-r", lock], cwd=venv, env=user_env())
    run([python, *PIP, "--no-deps", str(wheel_build.path())], cwd=venv, env=user_env())
    return venv / "bin"


@pytest.fixture
def elsewhere(tmp_path) -> Path:
    """A working folder outside the checkout, with no data/ or app.py in it."""
    assert not tmp_path.resolve().is_relative_to(ROOT)
    return tmp_path


def test_help_lists_run_validate_and_export(venv_bin, elsewhere):
    result = run([str(venv_bin / "france-ai-map"), "--help"], cwd=elsewhere, env=user_env())
    for command in ("run", "validate", "export"):
        assert f"\n    {command} " in result.stdout


def test_wheel_carries_app_data_and_vendored_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "geo/bundle/app.py" in names
    assert "geo/bundle/streamlit.toml" in names
    data = {n.removeprefix("geo/bundle/data/") for n in names if n.startswith("geo/bundle/data/")}
    assert {"sites.csv", "commitments.csv", "regions.geojson", "README.md"} <= data
    assert all(n.endswith((".csv", ".geojson", "README.md")) for n in data)
    assert "geo/bundle/static/vendor/leaflet/leaflet.js" in names
    assert "geo/bundle/static/vendor/manifest.json" in names
    assert not [n for n in names if n.startswith("geo/bundle/static/geo/")]  # written at run time
    # compiled gettext catalogues, built from the .po sources (which stay out of the wheel)
    for lang in ("fr", "en", "de"):
        assert f"geo/locale/{lang}/LC_MESSAGES/messages.mo" in names
    assert not [n for n in names if n.endswith((".po", ".pot"))]


def test_validate_checks_the_installed_data(venv_bin, elsewhere):
    result = run([str(venv_bin / "france-ai-map"), "validate"], cwd=elsewhere, env=user_env())
    from geo.core.dataset import load_dataset, summarize  # the checkout's data, the same files

    first_line = summarize(load_dataset(ROOT / "data")).splitlines()[0]
    assert first_line.startswith("sites.csv: ")
    assert first_line in result.stdout
    assert result.stdout.rstrip().endswith("OK: every data file is valid.")


def test_export_pdf_from_outside_the_checkout(venv_bin, elsewhere):
    command = [str(venv_bin / "france-ai-map"), "export", "--format", "pdf", "--out", "x.pdf"]
    result = run(command, cwd=elsewhere, env=user_env())
    assert result.stdout.startswith("Wrote x.pdf (")
    reader = pypdf.PdfReader(elsewhere / "x.pdf")
    (page,) = reader.pages
    assert tuple(round(float(v)) for v in page.mediabox.upper_right) == A4_LANDSCAPE_POINTS
    assert "Microsoft" in page.extract_text()


@pytest.fixture
def served(venv_bin, elsewhere) -> Iterator[str]:
    """`france-ai-map run` on a free local port until the test ends; its URL."""
    port = free_port()
    command = [str(venv_bin / "france-ai-map"), "run", "--server.port", str(port)]
    OUTPUT_DIR.mkdir(exist_ok=True)
    with (OUTPUT_DIR / "wheel-streamlit.log").open("w") as log:
        process = subprocess.Popen(
            [*command, "--server.address", "127.0.0.1"],
            cwd=elsewhere, env=user_env(), stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, process)
            yield url
        finally:
            process.terminate()  # `run` exec's Streamlit: this pid is the server
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_run_serves_the_installed_map_with_no_external_request(page, served, output_dir):
    page.goto(served)
    expect(page.locator(IDLE)).to_have_count(1, timeout=TIMEOUT_MS)
    frame = page.frame_locator(MAP_IFRAME).last
    expect(frame.locator("path.leaflet-interactive")).to_have_count(18, timeout=TIMEOUT_MS)
    expect(frame.locator(".leaflet-marker-icon").first).to_be_visible(timeout=TIMEOUT_MS)
    page.screenshot(path=output_dir / "wheel-run.png")
    assert page.locator("text=The map cannot be drawn").count() == 0
    blocked = page.blocked  # type: ignore[attr-defined]
    assert [url for url in blocked if not TILE_HOST.match(urlsplit(url).hostname or "")] == []
