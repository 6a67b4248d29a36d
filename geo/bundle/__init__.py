"""Where an installed copy keeps its app, data and front-end files, and how to start the app.

A wheel built from the repository carries, inside this package (added by the build hook in
scripts/build_hook.py, never committed):

    geo/bundle/app.py             the Streamlit app
    geo/bundle/data/              the curated and derived data files + README.md
    geo/bundle/static/vendor/     Leaflet and its plugins (Streamlit serves static/ beside app.py)
    geo/bundle/streamlit.toml     the repository's .streamlit/config.toml

In a checkout this package holds only this file, so every lookup falls back to the current
folder (``data/``, ``static/vendor/``, ``app.py``), as the README's commands expect. The
environment variable FRANCE_AI_MAP_DATA_DIR, when set, names the data folder in both cases
(the app reads the same variable).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path

DATA_DIR_ENV = "FRANCE_AI_MAP_DATA_DIR"
APP_NAME = "app.py"
DATA_NAME = "data"
STATIC_NAME = "static"
VENDOR_NAME = "vendor"
CONFIG_NAME = "streamlit.toml"  # .streamlit/config.toml, renamed so it is not a dotfile


class BundleError(RuntimeError):
    """Something the installed copy should carry is missing; the message says what."""


def bundle_dir() -> Path | None:
    """This package's folder when it carries the app (an installed wheel), else None."""
    folder = resources.files(__name__)
    if not isinstance(folder, Path):  # e.g. a zip import: Streamlit needs real files anyway
        return None
    return folder if (folder / APP_NAME).is_file() else None


def default_data_dir() -> Path:
    """$FRANCE_AI_MAP_DATA_DIR, else the installed data, else ./data."""
    named = os.environ.get(DATA_DIR_ENV)
    if named:
        return Path(named)
    installed = bundle_dir()
    return installed / DATA_NAME if installed else Path(DATA_NAME)


def default_static_dir() -> Path:
    """The folder Streamlit serves at /app/static/: beside the installed app, else ./static."""
    installed = bundle_dir()
    return installed / STATIC_NAME if installed else Path(STATIC_NAME)


def default_vendor_dir() -> Path:
    """Leaflet and its plugins: static/vendor/ of the installed app, else ./static/vendor."""
    return default_static_dir() / VENDOR_NAME


def app_script() -> Path:
    """The app to run: the installed one, else ./app.py (a checkout)."""
    installed = bundle_dir()
    script = installed / APP_NAME if installed else Path(APP_NAME)
    if not script.is_file():
        raise BundleError(
            f"no app to run: {APP_NAME} is neither installed with this package nor in the "
            "current folder (install the wheel, or run this from a checkout)"
        )
    return script


def streamlit_config() -> dict:
    """The app's Streamlit settings: the installed copy of .streamlit/config.toml, else ./'s."""
    installed = bundle_dir()
    path = installed / CONFIG_NAME if installed else Path(".streamlit", "config.toml")
    if not path.is_file():
        return {}
    with path.open("rb") as file:
        return tomllib.load(file)


def config_flags(config: Mapping[str, Mapping[str, object]]) -> list[str]:
    """Settings as Streamlit command-line flags, e.g. ['--server.headless', 'true', ...].

    Streamlit reads .streamlit/config.toml from the working folder, not the script's, so an
    installed app gets its settings on the command line instead.
    """
    flags = []
    for section, options in config.items():
        for name, value in options.items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            flags += [f"--{section}.{name}", text]
    return flags


def streamlit_command(
    python: str, script: Path, config: Mapping, extra: Sequence[str] = ()
) -> list[str]:
    """`python -m streamlit run script <settings> <extra>`: later flags win, so extra ones do."""
    return [python, "-m", "streamlit", "run", str(script), *config_flags(config), *extra]
