"""Fixtures for the browser tests: the real app as a subprocess, Debian's Chromium, no internet."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS
from hypothesis import settings

# Property tests check results, not speed: on a loaded 2-core machine Hypothesis' default
# 200 ms deadline per example failed a reader test that passes alone.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_DIR = Path(__file__).resolve().parent / "output"
STARTUP_TIMEOUT_S = 60
DATA_DIR_ENV = "FRANCE_AI_MAP_DATA_DIR"
# The CLI follows the environment's locale like any gettext program (LANGUAGE, LC_ALL, ...):
# the suite pins English so a developer's French shell does not change expected output.
for _name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"
LOCAL_PREFIXES = ("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:", "file:")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_app(
    data_dir: Path | None = None, log_name: str = "streamlit.log", port: int | None = None
) -> Iterator[str]:
    """Run `streamlit run app.py` on ``port`` (default: a free one) until the block ends; yield
    its URL.

    Polls /_stcore/health until it answers (no fixed sleep). ``data_dir`` is passed as
    FRANCE_AI_MAP_DATA_DIR; the server's output goes to tests/output/<log_name>.
    """
    port = port or free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    OUTPUT_DIR.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != DATA_DIR_ENV}
    if data_dir is not None:
        env[DATA_DIR_ENV] = str(data_dir)
    url = f"http://127.0.0.1:{port}"
    with (OUTPUT_DIR / log_name).open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            _wait_healthy(url, process)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """The app on the shipped data."""
    with running_app() as url:
        yield url


def _wait_healthy(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited with status {process.returncode}; see tests/output/")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.read().strip() == b"ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)  # polling interval, not a wait for the app
    pytest.fail(f"streamlit did not answer {url}/_stcore/health within {STARTUP_TIMEOUT_S} s")


@pytest.fixture(scope="session")
def dataset():
    """The shipped data, loaded once; tests that break data work on copies (helpers.copy_data)."""
    from geo.core.dataset import load_dataset

    return load_dataset()


@pytest.fixture(autouse=True)
def _close_figures():
    """Close matplotlib figures after each test that made some."""
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, shared by every browser test (Playwright's sync API allows
    one running instance per thread, so tests use this fixture rather than starting their own)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A page that can reach only the local app: any other request is aborted and recorded."""
    context = browser.new_context(viewport={"width": 1500, "height": 1600})
    page = context.new_page()
    page.blocked = []  # type: ignore[attr-defined]

    def route(route):
        url = route.request.url
        if url.startswith(LOCAL_PREFIXES):
            route.continue_()
        else:
            page.blocked.append(url)  # type: ignore[attr-defined]
            route.abort()

    page.route("**/*", route)
    yield page
    context.close()


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """tests/output/ for screenshots (not committed)."""
    OUTPUT_DIR.mkdir(exist_ok=True)
    return OUTPUT_DIR
