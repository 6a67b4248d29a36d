"""A small investments.csv for the app's tests: every counting case on a few rows.

The shipped table grows as sources are checked; these rows stay put, so the tests can say
what each case must show. Figures follow the issue's candidates, simplified.
"""

from __future__ import annotations

from pathlib import Path

from helpers import copy_data, write_csv

from geo.core.investments import INVESTMENT_COLUMNS

MS_URL = "https://news.microsoft.com/fr-fr/2024/05/13/microsoft-announces-the-largest-investment-to-date-in-france-to-accelerate-the-adoption-of-ai-skilling-and-innovation/"
BF_URL = "https://www.lejournaldesentreprises.com/article/cambrai-beneficiaire-dun-investissement-massif-pour-developper-lia-en-france-annonce-par-le-canadien-2113116"
EQ_URL = "https://telecomtalk.info/equinix-opens-datacenter-in-france-eur350-million/989542/"
MGX_URL = "https://www.usine-digitale.fr/article/mgx-bpifrance-nvidia-et-mistral-ai-vont-creer-en-france-le-plus-grand-campus-ia-d-europe.N2232196"

COMMUNE = {"precision": "commune", "coord_source": "commune_reference",
           "coord_basis": "the commune's reference point, within a few km"}  # fmt: skip

ROWS: list[dict[str, str]] = [
    # Microsoft's programme: no region of its own; two located shares, one region-only.
    {"id": "ms-france-2024", "investor": "Microsoft", "project": "Cloud and AI programme",
     "amount": "4000000000", "currency": "EUR", "precision": "not_located",
     "announced": "2024-05-13", "event": "choose-france-2024", "status": "announced"},
    {"id": "ms-alsace-2024", "investor": "Microsoft", "project": "Data-centre campus",
     "city": "Petit-Landau", "insee_commune": "68254", "insee_reg": "44", "lat": "47.7308",
     "lon": "7.5194", **COMMUNE, "announced": "2024-05-13", "event": "choose-france-2024",
     "status": "permit_filed", "part_of": "ms-france-2024"},
    {"id": "ms-paris-2024", "investor": "Microsoft", "project": "Paris region expansion",
     "insee_reg": "11", "precision": "region_only", "announced": "2024-05-13",
     "event": "choose-france-2024", "status": "announced", "part_of": "ms-france-2024"},
    # Brookfield: a programme, a located part 'up to', then a raise.
    {"id": "bf-france-2025", "investor": "Brookfield", "project": "AI infrastructure by 2030",
     "amount": "20000000000", "currency": "EUR", "capacity_mw": "1000",
     "precision": "not_located", "announced": "2025-02-10", "event": "ai-action-summit-2025",
     "status": "announced"},
    {"id": "bf-cambrai-2025", "investor": "Brookfield", "partners": "Data4",
     "project": "Campus at Cambrai", "amount": "10000000000", "qualifier": "up to",
     "currency": "EUR", "city": "Cambrai", "insee_commune": "59122", "insee_reg": "32",
     "lat": "50.1759", "lon": "3.2345", **COMMUNE, "announced": "2025-05-19",
     "event": "choose-france-2025", "status": "announced", "part_of": "bf-france-2025"},
    {"id": "bf-france-2026", "investor": "Brookfield", "project": "Programme raised",
     "amount": "30000000000", "currency": "EUR", "precision": "not_located",
     "announced": "2026-02", "status": "announced", "revises": "bf-france-2025"},
    # Equinix: a pledge and its restatement at the next summit; a range; MW only.
    {"id": "eq-meudon-2024", "investor": "Equinix", "project": "xScale PA13x",
     "amount": "350000000", "currency": "EUR", "capacity_mw": "28.8", "city": "Meudon",
     "insee_commune": "92048", "insee_reg": "11", "lat": "48.8123", "lon": "2.2382",
     **COMMUNE, "announced": "2024-05", "event": "choose-france-2024", "status": "operating"},
    {"id": "eq-meudon-2025", "investor": "Equinix", "project": "xScale PA13x (again)",
     "amount": "350000000", "currency": "EUR", "city": "Meudon", "insee_commune": "92048",
     "insee_reg": "11", "lat": "48.8123", "lon": "2.2382", **COMMUNE,
     "announced": "2025-05", "event": "choose-france-2025", "status": "operating",
     "restates": "eq-meudon-2024"},
    {"id": "mgx-2025", "investor": "MGX", "project": "AI campus, 1 GW",
     "amount": "30000000000", "amount_max": "50000000000", "currency": "EUR",
     "capacity_mw": "1000", "precision": "not_located", "announced": "2025-02-10",
     "event": "ai-action-summit-2025", "status": "announced"},
    {"id": "nebius-bethune-2026", "investor": "Nebius", "project": "AI factory",
     "capacity_mw": "240", "city": "Béthune", "insee_commune": "62119", "insee_reg": "32",
     "lat": "50.5303", "lon": "2.6408", **COMMUNE, "announced": "2026-02",
     "status": "announced"},
]  # fmt: skip
SOURCES = {"ms": MS_URL, "bf": BF_URL, "eq": EQ_URL, "mgx": MGX_URL, "nebius": EQ_URL}


def sample_rows() -> list[dict[str, str]]:
    """The rows with every column, a source and who stated the amount."""
    fields = [c.name for c in INVESTMENT_COLUMNS]
    rows = []
    for row in ROWS:
        full = dict.fromkeys(fields, "")
        full.update(row)
        full["source_urls"] = SOURCES[row["id"].split("-")[0]]
        full["source_note"] = "Test row after the issue's candidate"
        full["stated_by"] = "investor"
        rows.append(full)
    return rows


def write_sample_data(tmp_path: Path) -> Path:
    """A copy of data/ whose investments.csv holds the sample rows; its folder."""
    data = copy_data(tmp_path)
    write_csv(data / "investments.csv", [c.name for c in INVESTMENT_COLUMNS], sample_rows())
    return data
