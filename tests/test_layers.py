"""The import-linter contracts in pyproject.toml hold, and they do catch a wrong import."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_every_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_an_upward_import_and_a_streamlit_import_break_the_contracts(tmp_path):
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    shutil.copytree(ROOT / "geo", tmp_path / "geo", ignore=shutil.ignore_patterns("__pycache__"))
    core = tmp_path / "geo" / "core" / "errors.py"
    core.write_text(core.read_text(encoding="utf-8") + "\nfrom geo import export\n")
    style = tmp_path / "geo" / "style.py"
    style.write_text(style.read_text(encoding="utf-8") + "\nimport streamlit\n")
    result = lint_imports(tmp_path)
    assert result.returncode == 1
    assert "Contracts: 0 kept, 2 broken." in result.stdout
    assert "geo.core.errors -> geo.export" in result.stdout
    assert "geo.style -> streamlit" in result.stdout
