"""A small investments table of our own for the report, export and CLI tests: one case of each
counting rule (a programme with located parts, a raised pledge, a range with a part, a
restatement, undisclosed amounts, a non-EUR amount, region-only and not-located rows) and
hostile text where a reader's eye or a spreadsheet would meet it."""

from __future__ import annotations

import csv
from pathlib import Path

from helpers import copy_data

COLUMNS = (
    "id", "investor", "partners", "project", "amount", "amount_max", "qualifier", "currency",
    "capacity_mw", "capacity_qualifier", "gpus", "city", "insee_commune", "insee_reg", "lat",
    "lon", "precision", "coord_basis", "coord_source", "announced", "event", "status",
    "status_as_of", "restates", "revises", "part_of", "stated_by", "source_urls", "source_note",
    "notes",
)  # fmt: skip
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE_INVESTOR = 'Brookfield <b>&</b> "Co"'
FORMULA_INVESTOR = '=HYPERLINK("http://x.example","y")'
HOSTILE_PROJECT = "<script>alert(1)</script> & campus"
COMMUNE_BASIS = "INSEE reference point of the commune; the site may be a few km away"


def _row(**fields: str) -> dict[str, str]:
    row = dict.fromkeys(COLUMNS, "")
    row.update(fields)
    row["source_note"] = row["source_note"] or "Test source"
    return row


def _commune(code: str, city: str, reg: str, lat: str, lon: str) -> dict[str, str]:
    return {
        "city": city, "insee_commune": code, "insee_reg": reg, "lat": lat, "lon": lon,
        "precision": "commune", "coord_basis": COMMUNE_BASIS, "coord_source": "commune_reference",
    }  # fmt: skip


PARIS = _commune("92048", "Meudon", "11", "48.8130", "2.2350")
ROWS = (
    _row(id="ms-programme", investor="Microsoft", project="Cloud and AI programme in France",
         amount="4000000000", currency="EUR", precision="not_located", announced="2024-05-13",
         event="choose-france-2024", status="announced", stated_by="investor",
         source_urls="https://news.microsoft.com/fr-fr/2024/05/13/programme/"),
    _row(id="ms-petit-landau", investor="Microsoft", project="New data-centre campus",
         **_commune("68254", "Petit-Landau", "44", "47.7240", "7.5150"), announced="2024-05-13",
         event="choose-france-2024", status="permit_filed", part_of="ms-programme",
         stated_by="investor", source_urls="https://www.lalsace.fr/economie/petit-landau"),
    _row(id="ms-paris-region", investor="Microsoft", project="Expansion of the Paris region",
         insee_reg="11", precision="region_only", announced="2024-05-13",
         event="choose-france-2024", status="announced", part_of="ms-programme",
         stated_by="investor", source_urls="https://news.microsoft.com/fr-fr/2024/05/13/regions/"),
    _row(id="brook-2025", investor=HOSTILE_INVESTOR, project=HOSTILE_PROJECT,
         amount="20000000000", currency="EUR", capacity_mw="1000",
         **_commune("59122", "Cambrai", "32", "50.1760", "3.2350"), announced="2025-02-10",
         event="ai-action-summit-2025", status="announced", stated_by="government",
         source_urls="https://www.lejournaldesentreprises.com/article/cambrai"),
    _row(id="brook-2026", investor=HOSTILE_INVESTOR, project="Plan raised",
         amount="30000000000", currency="EUR", capacity_mw="1000",
         **_commune("59122", "Cambrai", "32", "50.1760", "3.2350"), announced="2026-01",
         status="announced", revises="brook-2025", stated_by="press",
         source_urls="https://data-central.co.uk/brookfield"),
    _row(id="mgx-envelope", investor="MGX", project="AI campus envelope",
         amount="30000000000", amount_max="50000000000", currency="EUR", capacity_mw="1000",
         precision="not_located", announced="2025-02-10", event="ai-action-summit-2025",
         status="announced", stated_by="government",
         source_urls="https://www.elysee.fr/emmanuel-macron/2025/02/10/uae"),
    _row(id="mgx-fouju", investor="MGX", partners="Bpifrance;Mistral AI;Nvidia",
         project="Campus IA, first phase", amount="8500000000", currency="EUR",
         capacity_mw="1400", **_commune("77195", "Fouju", "11", "48.5830", "2.7730"),
         announced="2025-05-19", event="choose-france-2025", status="permit_filed",
         part_of="mgx-envelope", stated_by="investor",
         source_urls="https://www.usine-digitale.fr/article/campus-ia"),
    _row(id="equinix-meudon", investor="Equinix", project="xScale PA13x",
         amount="350000000", currency="EUR", capacity_mw="28.8", **PARIS,
         announced="2024-05-13", event="choose-france-2024", status="operating",
         status_as_of="2025-02", stated_by="investor",
         source_urls="https://telecomtalk.info/equinix-opens-datacenter-in-france/"),
    _row(id="equinix-again", investor="Equinix", project="xScale PA13x, said again",
         amount="350000000", currency="EUR", capacity_mw="28.8", **PARIS,
         announced="2025-05-19", event="choose-france-2025", status="operating",
         restates="equinix-meudon", stated_by="government",
         source_urls="https://www.maddyness.com/2025/05/19/choose-france/"),
    _row(id="nebius-bethune", investor="Nebius", project="AI factory",
         capacity_mw="240", **_commune("62119", "Béthune", "32", "50.5300", "2.6400"),
         announced="2026-02", status="announced", stated_by="press",
         source_urls="https://www.datacenterdynamics.com/en/news/nebius-bethune/"),
    _row(id="usd-south", investor=FORMULA_INVESTOR, project="Cloud region", amount="1000000000",
         currency="USD", insee_reg="93", precision="region_only", announced="2025",
         status="announced", stated_by="press", source_urls="https://example.org/usd-south"),
)  # fmt: skip
# Two rows in La Réunion: drawn in its inset (a point and a region-only ring).
REUNION = (
    _row(id="reunion-region", investor="Equinix", project="Data centre", amount="100000000",
         currency="EUR", insee_reg="04", precision="region_only", announced="2025",
         status="announced", stated_by="press", source_urls="https://example.org/reunion"),
    _row(id="reunion-saint-denis", investor="Equinix", project="Second data centre",
         amount="200000000", currency="EUR",
         **_commune("97411", "Saint-Denis", "04", "-20.8820", "55.4500"), announced="2025",
         status="operating", stated_by="press", source_urls="https://example.org/saint-denis"),
)  # fmt: skip
# The hand sums of the counting rules over ROWS (see each row): euros added per region.
REGION_EUR = {"11": 8_500_000_000 + 350_000_000, "32": 30_000_000_000}
# Microsoft's EUR 4 bn (its parts disclose no amount) and MGX's range less its located part.
NOT_LOCATED_EUR = 4_000_000_000 + (30_000_000_000 - 8_500_000_000)
TOTAL_EUR = sum(REGION_EUR.values()) + NOT_LOCATED_EUR
TOTAL_MW = 1000 + 1400 + 28.8 + 240  # Brookfield's chain once, Equinix's restatement not again
LOCATED = 7  # rows with a point
REGION_ONLY_REGIONS = 2  # 11 (Microsoft) and 93 (the USD row)
NO_POINT = 4  # region-only and not-located rows: null geometry in the GeoJSON


def write_investments(path: Path, rows=ROWS) -> None:
    """Write the table with the contract's columns."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def landscape_data(tmp_path: Path, rows=ROWS) -> Path:
    """A copy of data/ whose investments.csv is ROWS (or the rows given)."""
    folder = copy_data(tmp_path)
    write_investments(folder / "investments.csv", rows)
    return folder


def svg_circles(root, gid: str) -> int:
    """Markers the scatter with this gid draws in the SVG: one <use> of a shared path each,
    or one <path> each (what matplotlib writes when every marker has its own look)."""
    count = 0
    for group in root.iter(f"{SVG}g"):
        if group.get("id") == gid:
            uses = list(group.iter(f"{SVG}use"))
            defs = {id(p) for d in group.iter(f"{SVG}defs") for p in d.iter(f"{SVG}path")}
            paths = [p for p in group.iter(f"{SVG}path") if id(p) not in defs]
            count += len(uses) or len(paths)
    return count
