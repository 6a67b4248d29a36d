"""The benchmarks' accounting compares like with like; one quick time-to-map run works."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import app_session as session  # noqa: E402
from byte_accounting import GZIP_LEVEL, Encoding, Size, encoded_size, ratio, verdict  # noqa: E402

# RFC 1952: 10-byte header + an empty final deflate block (2 bytes) + CRC32 and size (8).
EMPTY_GZIP_BYTES = 20


def test_ratio_refuses_raw_against_gzip():
    raw = Size(209_900, Encoding.RAW)
    zipped = Size(46_000, Encoding.GZIP)
    with pytest.raises(ValueError, match="cannot compare gzip -6 bytes with raw bytes"):
        ratio(zipped, raw)
    with pytest.raises(ValueError, match="cannot compare raw bytes with gzip -6 bytes"):
        ratio(raw, zipped)


def test_ratio_refuses_an_empty_baseline():
    with pytest.raises(ValueError, match="no bytes"):
        ratio(Size(10, Encoding.RAW), Size(0, Encoding.RAW))


def test_known_gzip_of_known_bytes():
    assert encoded_size([b""], Encoding.GZIP) == Size(EMPTY_GZIP_BYTES, Encoding.GZIP)
    # Each payload is encoded on its own, as each travels on its own.
    assert encoded_size([b"", b"", b""], Encoding.GZIP).nbytes == 3 * EMPTY_GZIP_BYTES
    assert ratio(encoded_size([b""], Encoding.GZIP), encoded_size([b""] * 4, Encoding.GZIP)) == 0.25


def test_raw_and_gzip_sizes_of_the_same_bytes_differ_and_each_ratio_is_like_for_like():
    text = b'{"type": "Feature", "geometry": null}' * 500
    raw, zipped = encoded_size([text], Encoding.RAW), encoded_size([text], Encoding.GZIP)
    assert raw.nbytes == len(text)
    assert zipped.nbytes == len(gzip.compress(text, compresslevel=GZIP_LEVEL, mtime=0))
    assert zipped.nbytes < raw.nbytes / 10  # mixing the two would flatter either side
    half = text[: len(text) // 2]
    assert ratio(encoded_size([half], Encoding.RAW), raw) == 0.5
    assert 0.5 < ratio(encoded_size([half], Encoding.GZIP), zipped) < 1


def test_verdict_says_by_how_much():
    assert verdict(180, 250, " ms") == "MET (70 ms to spare)"
    assert verdict(3.9, 2.1, " s", 2) == "NOT MET by 1.80 s"
    assert verdict(40, 40, " ms") == "MET (0 ms to spare)"


@pytest.mark.browser
def test_time_to_map_of_the_app_is_measured(browser, app_url, dataset):
    ms, top, _ = session.time_to_paint(
        browser, app_url, session.map_ready(len(dataset.regions)), offline_route=True
    )
    assert ms > 0
    assert top > 0  # the map's iframe, below the page's title


def test_the_user_bench_measures_a_small_french_file(dataset):
    # bench_user's in-process figures on 300 rows: every figure made, of the same file.
    import bench_user
    from user_files import french_sites_csv

    from geo import bundle
    from geo.core.state import ViewState
    from geo.core.view import compute_view
    from geo.export import render_html

    data = french_sites_csv(dataset.departements, 300)
    assert data.decode("cp1252").count("\r\n") == 301  # header + rows, as Excel writes them
    shipped = render_html(dataset, compute_view(dataset, ViewState()), bundle.default_vendor_dir())
    rows, matches = bench_user.in_process(dataset, 300, data, shipped)
    assert [row[0] for row in rows] == [
        "(v) validation",
        "(w) view + their filter",
        "(r) report PNG 300 dpi",
        "(h) standalone HTML",
    ]
    assert "300 rows kept, 0 problems" in rows[0][4]  # every generated row is valid
    assert 0 < matches < 300  # one category of five
    assert bench_user.judged(1.5, 2.0, " s") == "<= 2 s: MET (0.50 s to spare)"
    assert bench_user.judged(1.5, None, " s") == ""


def test_the_landscape_bench_copies_chains_whole(dataset):
    # bench_landscape's scaled tables: K copies of the rows count exactly K times the total,
    # so the timing at K copies is of the same chains, not of broken links.
    import bench_landscape

    ms, rows, total = bench_landscape.counting(dataset, 1, runs=1)
    ms3, rows3, total3 = bench_landscape.counting(dataset, 3, runs=1)
    assert (rows3, ms > 0, ms3 > 0) == (3 * rows, True, True)
    assert total > 0
    assert total3 == 3 * total
    copies = bench_landscape.copied(dataset.investments, 3)
    assert copies.index.is_unique
    linked = copies[copies["part_of"] != ""]
    assert linked["part_of"].isin(copies.index).all()


def test_the_i18n_bench_counts_every_catalogue_alike():
    # bench_i18n's sizes: the three catalogues hold the same msgids, each fully translated, and
    # the compiled .mo exists (the bench compares them side by side).
    import bench_i18n

    sizes = {lang: bench_i18n.catalogue_sizes(lang) for lang in ("fr", "en", "de")}
    assert len({entries for entries, _, _, _ in sizes.values()}) == 1
    assert all(done == entries for entries, done, _, _ in sizes.values())
    assert all(po > 0 and mo > 0 for _, _, po, mo in sizes.values())
    assert bench_i18n.msgids("fr") == bench_i18n.msgids("de")
