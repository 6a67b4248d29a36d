"""Run every benchmark in turn and print its figures (`make bench`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHES = (
    "bench_map.py",
    "bench_export.py",
    "bench_user.py",
    "bench_landscape.py",
    "bench_i18n.py",
    "bench_load.py",
)


def main() -> int:
    folder = Path(__file__).resolve().parent
    status = 0
    for name in BENCHES:
        print(f"== {name}", flush=True)
        status |= subprocess.run([sys.executable, str(folder / name)], check=False).returncode
        print(flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
