"""Small helpers for tests that break copies of the shipped data."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import streamlit as st

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def copy_data(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit_csv(path: Path, row_id: str, **changes: str) -> int:
    """Change fields of the row whose id is row_id; return that row's line number."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    line = None
    for number, row in enumerate(rows, start=2):
        if row["id"] == row_id:
            row.update(changes)
            line = number
    assert line is not None, f"no row {row_id} in {path}"
    write_csv(path, fields, rows)
    return line


def write_csv(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    """Write rows back with the same columns."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def recorded_downloads(monkeypatch) -> list[dict]:
    """Arguments of every st.download_button call (the real button is still drawn)."""
    calls: list[dict] = []
    original = st.download_button

    def record(label, data, **kwargs):
        calls.append({"label": label, "data": data, **kwargs})
        return original(label, data, **kwargs)

    monkeypatch.setattr(st, "download_button", record)
    return calls
