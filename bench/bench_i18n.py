"""What the three languages cost: catalogue sizes, look-ups, the view, the map and the report.

Prints figures; asserts nothing. Run: `python bench/bench_i18n.py` (or `make bench`).

Every comparison is made in one run, on the same machine and the same shipped data, English
beside French beside German (geo.i18n.use_language around the same call):
- the catalogues: entries, .po bytes (the source in git) and .mo bytes (what is loaded);
- a look-up: median of 20 rounds of every msgid of the catalogue through geo.i18n.gettext;
- compute_view of the view with the investment layer and the euro metric, median of 20;
- the standalone interactive map (render_html): raw bytes and gzip -9 bytes;
- the report PNG at 300 dpi, A4 landscape (render_export), median of 3 after a warm-up, and
  the PDF's bytes.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from babel.messages.pofile import read_po  # noqa: E402
from bench_landscape import median_ms  # noqa: E402  (a sibling script, as run_all runs it)

from geo import bundle, i18n  # noqa: E402
from geo.core.dataset import load_dataset  # noqa: E402
from geo.core.state import ViewState  # noqa: E402
from geo.core.view import compute_view  # noqa: E402
from geo.export import ExportRequest, render_export, render_html  # noqa: E402

STATE = ViewState(layer_investments=True, metric="announced_eur")


def catalogue_sizes(lang: str) -> tuple[int, int, int, int]:
    """(entries, translated entries, .po bytes, .mo bytes) of one language's catalogue."""
    folder = i18n.LOCALE_DIR / lang / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    entries = [m for m in catalog if m.id]
    done = [m for m in entries if m.string and not m.fuzzy]
    mo = folder / "messages.mo"
    return (
        len(entries),
        len(done),
        (folder / "messages.po").stat().st_size,
        mo.stat().st_size if mo.exists() else 0,
    )


def msgids(lang: str) -> list[str]:
    with (i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return [m.id for m in read_po(handle, locale=lang) if m.id and isinstance(m.id, str)]


def main() -> int:
    dataset = load_dataset(ROOT / "data")
    print("Catalogues (geo/locale/<lang>/LC_MESSAGES):")
    for lang in i18n.LANGUAGES:
        entries, done, po, mo = catalogue_sizes(lang)
        print(f"  {lang}: {entries:5} entries, {done:5} translated, .po {po:>9,} B, .mo {mo:>9,} B")
    ids = msgids("fr")
    print(f"Look-ups: every msgid ({len(ids)}) through i18n.gettext, median of 20 rounds:")
    for lang in i18n.LANGUAGES:
        with i18n.use_language(lang):
            ms = median_ms(lambda: [i18n.gettext(m) for m in ids], 20)
        print(f"  {lang}: {ms:7.2f} ms a round ({ms * 1000 / max(len(ids), 1):.2f} µs a msgid)")
    print("compute_view, investment layer + euro metric (median of 20, after a warm-up):")
    compute_view(dataset, STATE)
    for lang in i18n.LANGUAGES:
        with i18n.use_language(lang):
            print(f"  {lang}: {median_ms(lambda: compute_view(dataset, STATE), 20):8.1f} ms")
    print("Standalone interactive map (render_html), like with like:")
    for lang in i18n.LANGUAGES:
        with i18n.use_language(lang):
            raw = render_html(dataset, compute_view(dataset, STATE), bundle.default_vendor_dir())
        packed = len(gzip.compress(raw, compresslevel=9, mtime=0))
        print(f"  {lang}: raw {len(raw):>9,} B, gzip -9 {packed:>9,} B")
    print("Report, A4 landscape (render_export): PNG 300 dpi median of 3, PDF bytes:")
    for lang in i18n.LANGUAGES:
        with i18n.use_language(lang):
            png = ExportRequest(STATE, "png", dpi=300)
            render_export(dataset, png)  # warm-up: fonts, boundaries
            ms = median_ms(lambda r=png: render_export(dataset, r), 3)
            size = len(render_export(dataset, png))
            pdf = len(render_export(dataset, ExportRequest(STATE, "pdf")))
        print(f"  {lang}: PNG {ms / 1000:5.2f} s, {size / 1e6:.2f} MB; PDF {pdf:>9,} B")
    return 0


if __name__ == "__main__":
    sys.exit(main())
