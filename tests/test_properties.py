"""Property-based checks (Hypothesis): arbitrary input never raises anything but our errors.

Readers: any Unicode in any text field of sites.csv, or any bytes as a data file, ends in a
loaded table or a DataError with problems, never in another exception.
"""

from __future__ import annotations

import csv
import io

from helpers import DATA_DIR
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.core.errors import DataError
from geo.core.sites import SITE_COLUMNS, load_commitments, load_sites

SITES = (DATA_DIR / "sites.csv").read_text(encoding="utf-8")
TEXT_FIELDS = ("name", "organisation", "city", "coord_basis", "source_note", "notes")
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=60)


def sites_with(field: str, value: str) -> str:
    rows = list(csv.DictReader(io.StringIO(SITES, newline="")))
    rows[3][field] = value
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def problems_of(load, path) -> list | None:
    """The DataError's problems, or None when the file loads (any other exception fails)."""
    try:
        load(path)
    except DataError as err:
        return err.problems
    return None


@SETTINGS
@given(field=st.sampled_from([c.name for c in SITE_COLUMNS]), value=ANY_TEXT)
def test_any_text_in_any_site_field_loads_or_says_why(tmp_path_factory, field, value):
    path = tmp_path_factory.mktemp("sites") / "sites.csv"
    path.write_text(sites_with(field, value), encoding="utf-8")
    problems = problems_of(load_sites, path)
    assert problems is None or all(p.path and p.expected for p in problems)


PLAIN_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=60,
).filter(lambda t: t.strip() == t and t)


@SETTINGS
@given(field=st.sampled_from(TEXT_FIELDS), value=PLAIN_TEXT)
def test_one_line_text_in_a_free_text_field_loads_as_written(tmp_path_factory, field, value):
    path = tmp_path_factory.mktemp("sites") / "sites.csv"
    path.write_text(sites_with(field, value), encoding="utf-8")
    sites = load_sites(path)
    assert sites.iloc[3][field] == value


@SETTINGS
@given(data=st.binary(max_size=400))
def test_any_bytes_as_a_data_file_give_a_data_error_or_a_table(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("bytes")
    for name, load in (("sites.csv", load_sites), ("commitments.csv", load_commitments)):
        path = folder / name
        path.write_bytes(data)
        problems = problems_of(load, path)
        assert problems is None or len(problems) > 0


EXPORT_SETTINGS = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
MAGIC = {"pdf": b"%PDF-", "png": b"\x89PNG\r\n\x1a\n", "svg": b"<?xml"}


@EXPORT_SETTINGS
@given(
    title=st.text(st.characters(codec="utf-8"), min_size=1, max_size=40),
    fmt=st.sampled_from(sorted(MAGIC)),
)
def test_any_title_gives_a_valid_report_file(dataset, title, fmt):
    import xml.etree.ElementTree as ET

    import pypdf
    from PIL import Image

    from geo.core.state import ViewState
    from geo.export import ExportError, ExportRequest, render_export

    try:
        request = ExportRequest(ViewState(), fmt, dpi=50, title=title)
    except ExportError:
        return  # too long once cleaned: refused with a message before drawing
    body = render_export(dataset, request)
    assert body.startswith(MAGIC[fmt])
    if fmt == "pdf":
        assert len(pypdf.PdfReader(io.BytesIO(body)).pages) == 1
    elif fmt == "png":
        assert Image.open(io.BytesIO(body)).size[0] > 0
    else:
        ET.fromstring(body)
