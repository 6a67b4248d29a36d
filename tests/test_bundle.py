"""geo.bundle: where the data, static and app are (installed copy or checkout), and `run`."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from geo import bundle, cli

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".streamlit" / "config.toml"


@pytest.fixture
def checkout(monkeypatch):
    """Run from the checkout, with no data folder named in the environment."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv(bundle.DATA_DIR_ENV, raising=False)


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """A fake installed bundle: geo/bundle/ with an app.py, as the wheel has it."""
    (tmp_path / "app.py").write_text("print('app')\n", encoding="utf-8")
    (tmp_path / "streamlit.toml").write_text("[server]\nheadless = true\n", encoding="utf-8")
    monkeypatch.setattr(bundle.resources, "files", lambda name: tmp_path)
    monkeypatch.delenv(bundle.DATA_DIR_ENV, raising=False)
    return tmp_path


def test_a_checkout_uses_the_current_folder(checkout):
    assert bundle.bundle_dir() is None  # geo/bundle/ in git holds only __init__.py
    assert bundle.default_data_dir() == Path("data")
    assert bundle.default_vendor_dir() == Path("static", "vendor")
    assert bundle.app_script() == Path("app.py")
    assert bundle.streamlit_config() == tomllib.loads(CONFIG.read_text(encoding="utf-8"))


def test_an_installed_copy_uses_its_bundle(installed, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # a data/ and app.py here must not win over the installed ones
    assert bundle.bundle_dir() == installed
    assert bundle.default_data_dir() == installed / "data"
    assert bundle.default_static_dir() == installed / "static"
    assert bundle.default_vendor_dir() == installed / "static" / "vendor"
    assert bundle.app_script() == installed / "app.py"
    assert bundle.streamlit_config() == {"server": {"headless": True}}


def test_the_environment_names_the_data_folder(installed, monkeypatch, tmp_path):
    monkeypatch.setenv(bundle.DATA_DIR_ENV, str(tmp_path / "mine"))
    assert bundle.default_data_dir() == tmp_path / "mine"


def test_no_app_anywhere_is_a_bundle_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(bundle.BundleError, match=r"no app to run: app\.py is neither installed"):
        bundle.app_script()
    assert cli.main(["run"]) == 1
    assert capsys.readouterr().err.startswith("Error: no app to run: app.py is neither")


def test_config_becomes_streamlit_flags():
    flags = bundle.config_flags(tomllib.loads(CONFIG.read_text(encoding="utf-8")))
    pairs = dict(zip(flags[::2], flags[1::2], strict=True))
    assert pairs["--server.enableStaticServing"] == "true"
    assert pairs["--server.headless"] == "true"
    assert pairs["--server.enableWebsocketCompression"] == "true"
    assert pairs["--browser.gatherUsageStats"] == "false"
    assert pairs["--global.minCachedMessageSize"] == "300"
    assert pairs["--runner.magicEnabled"] == "false"
    assert pairs["--client.toolbarMode"] == "viewer"
    assert pairs["--theme.base"] == "light"
    assert pairs["--theme.primaryColor"] == "#0078D4"


def test_streamlit_knows_every_flag():
    # `streamlit config show` takes the same option flags as `streamlit run` and rejects an
    # unknown one, so a setting Streamlit does not have fails here, not when a user runs.
    flags = bundle.config_flags(tomllib.loads(CONFIG.read_text(encoding="utf-8")))
    result = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show", *flags],
        capture_output=True, text=True, cwd=ROOT.parent, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "enableStaticServing = true" in result.stdout
    assert 'toolbarMode = "viewer"' in result.stdout
    assert 'primaryColor = "#0078D4"' in result.stdout


def test_run_replaces_itself_by_streamlit_with_extra_flags_last(checkout, monkeypatch):
    calls = []
    monkeypatch.setattr(cli.os, "execv", lambda path, argv: calls.append((path, argv)))
    cli.main(["run", "--server.port", "8600", "--server.address", "127.0.0.1"])
    ((path, argv),) = calls
    assert path == sys.executable
    assert argv[:5] == [sys.executable, "-m", "streamlit", "run", "app.py"]
    assert argv[-4:] == ["--server.port", "8600", "--server.address", "127.0.0.1"]
    assert argv[argv.index("--server.enableStaticServing") + 1] == "true"


def test_only_run_passes_unknown_options_on(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["validate", "--server.port"])
    assert exit_.value.code == 2
    assert "error: unrecognized arguments: --server.port\n" in capsys.readouterr().err


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: france-ai-map ")
    for command in ("run", "validate", "export"):
        assert f"\n    {command} " in out
