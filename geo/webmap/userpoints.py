"""A reader's sites as one compact payload for the map's canvas layer (FranceAiMap.userPoints).

Coordinates travel as little-endian offsets at 1e-5 degree (about 1 m), base64; text columns
with few distinct values as an index array plus the distinct values; names as a plain list;
amounts as Int32 at a scale (1 or 100) when they allow it, else Float64. A payload too big to
stay readable (over COMPRESS_ABOVE_BYTES, or over its budget) travels deflated (zlib, RFC
1950, what the browser's DecompressionStream("deflate") reads) and base64, as {"kind", "n",
"complete", "deflate"}. Free columns (date, URL, attributes) go only while the payload, as
carried, stays within its budget; otherwise the popup shows name, category, initiative,
amount, commune and line, and the app's table holds the rest. Nothing here is HTML: the
script inserts every text as text.
"""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

import numpy as np
import pandas as pd

from geo.core import legend
from geo.core.userdata.view import SITE_COLUMNS, UserView
from geo.i18n import N_, _

COORD_SCALE = 100_000  # 5 decimals
# Bytes of the user payload: the page around it (script, styles, boundaries) takes the rest of
# the goals (whole map <= 1 MB at 10,000 points, <= 5 MB at 100,000).
SMALL_POINTS = 10_000
SMALL_BUDGET_BYTES = 700_000
LARGE_BUDGET_BYTES = 3_600_000
# A text column is sent as index + distinct values when it has at most this many values.
MAX_CODED_VALUES = 65_535
MISSING_INT = -(2**31)  # a missing whole number in an Int32 column
# Amounts go as Int32 at the first of these scales that holds them exactly (cents at most).
AMOUNT_SCALES = (1, 100)
# Past this many bytes of compact JSON (about 10,000 typical rows) the payload goes deflated,
# for the browser to inflate: 3.3 times smaller on 100,000 rows named "Établissement n°12345".
COMPRESS_ABOVE_BYTES = 1_000_000
DEFLATE_LEVEL = 6  # 9 saves 1.4 % on 100,000 French rows and takes twice as long (0.5 s)
# Free columns: (column, popup label, how the script shows it: "text" or "url", a link when
# the value is an http(s) URL).
SCRIPT_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("'", "\\u0027"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)
EXTRA_COLUMNS = (("date", N_("Date"), "text"), ("url", N_("Source"), "url"))


def payload_budget(points: int) -> int:
    """The byte budget of the payload of ``points`` points."""
    return SMALL_BUDGET_BYTES if points <= SMALL_POINTS else LARGE_BUDGET_BYTES


def user_points_payload(user: UserView) -> dict[str, Any]:
    """What FranceAiMap.userPoints draws: points (or grid cells) and their popup fields
    (headed in the current language)."""
    if user.aggregated and user.grid is not None:
        return _grid_payload(user.grid)
    sites = user.sites
    colours = legend.user_category_colours(user.categories)
    palette = [*legend.USER_COLOURS, legend.USER_OTHER_COLOUR]
    colour_of = {colour: i for i, colour in enumerate(palette)}
    categories = sites["category"].astype(str)
    # One look-up per distinct category, not per row.
    colour_index = categories.map(
        {c: colour_of[legend.user_colour(c, colours, user.categories)] for c in categories.unique()}
    )
    payload: dict[str, Any] = {
        "kind": "points",
        "n": len(sites),
        "lat": encode_coordinates(sites["lat"]),
        "lon": encode_coordinates(sites["lon"]),
        "names": sites["name"].astype(str).tolist(),
        "palette": palette,
        "colour": _int_array(colour_index.to_numpy(), np.uint8),
        "fields": [
            [_("Category"), encode_text(categories), "text"],
            [_("Initiative"), encode_text(sites["initiative"].astype(str)), "text"],
            [_("Amount"), encode_numbers(sites["amount"]), "text"],
            [_("Commune"), encode_text(sites["insee_commune"].astype(str)), "text"],
            [_("Line"), encode_lines(sites["line"]), "text"],
        ],
        "source": user.sites_source,
        "complete": True,
    }
    extras = [(_(label), sites[c], kind) for c, label, kind in EXTRA_COLUMNS if c in sites]
    extras += [(column, sites[column], "text") for column in _attributes(sites)]
    return _add_extras(payload, extras, payload_budget(len(sites)))


def _add_extras(payload: dict[str, Any], extras: list, budget: int) -> dict[str, Any]:
    """The payload as carried, with the free columns that keep it within ``budget`` bytes:
    all of them in readable JSON when that fits, else deflated with as many as fit."""
    readable_up_to = min(budget, COMPRESS_ABOVE_BYTES)
    fields = [[label, encode_text(column.astype(str)), kind] for label, column, kind in extras]
    raw = payload_size(payload) + sum(payload_size(field) + 1 for field in fields)
    if raw <= readable_up_to:
        payload["fields"] += fields
        return payload
    return _deflate_within(payload, fields, budget)


def _deflate_within(payload: dict[str, Any], extras: list, budget: int) -> dict[str, Any]:
    """The payload deflated with the ``extras`` that keep it within ``budget`` bytes.

    One pass of one compressor: the JSON is written field by field, and a copy of the
    compressor tells what each extra field costs, deflated with all before it.
    """
    head = {key: value for key, value in payload.items() if key not in ("fields", "complete")}
    text = _json(head)[:-1] + ',"fields":[' + ",".join(_json(f) for f in payload["fields"])
    # "complete" goes outside, so the bytes of each trial below are the final ones.
    envelope = {"kind": payload["kind"], "n": payload["n"], "complete": False, "deflate": ""}
    room = budget - payload_size(envelope)
    compressor = zlib.compressobj(DEFLATE_LEVEL)  # zlib format (RFC 1950)
    chunks = [compressor.compress(text.encode("utf-8"))]
    size = len(chunks[0])
    for field in extras:
        trial = compressor.copy()
        chunk = trial.compress(("," + _json(field)).encode("utf-8"))
        ending = trial.copy()
        rest = len(ending.compress(b"]}") + ending.flush())
        if _base64_size(size + len(chunk) + rest) > room:
            payload["complete"] = False
            break
        compressor = trial
        chunks.append(chunk)
        size += len(chunk)
        payload["fields"].append(field)
    chunks += [compressor.compress(b"]}"), compressor.flush()]
    envelope["complete"] = payload["complete"]
    envelope["deflate"] = base64.b64encode(b"".join(chunks)).decode("ascii")
    return envelope


def inflate_payload(packed: dict[str, Any]) -> dict[str, Any]:
    """The payload a packed one carries (as the script reads it: ``complete`` is outside)."""
    if "deflate" not in packed:
        return packed
    inner = json.loads(zlib.decompress(base64.b64decode(packed["deflate"])).decode("utf-8"))
    return {**inner, "complete": packed["complete"]}


def _grid_payload(grid: pd.DataFrame) -> dict[str, Any]:
    return {
        "kind": "grid",
        "n": len(grid),
        "lat": encode_coordinates(grid["lat"]),
        "lon": encode_coordinates(grid["lon"]),
        "count": _int_array(grid["count"].to_numpy(), np.int32),
        "total": int(grid["count"].sum()),
        "palette": [legend.USER_COLOURS[0]],
    }


def encode_coordinates(degrees: pd.Series) -> dict[str, Any]:
    """Degrees at 1/COORD_SCALE degree: an origin plus unsigned offsets, base64 little-endian,
    3 bytes each when the span allows (167 degrees: France with its overseas regions), else 4."""
    scaled = np.round(degrees.to_numpy(float) * COORD_SCALE).astype(np.int64)
    origin = int(scaled.min()) if len(scaled) else 0
    offsets = scaled - origin
    if len(offsets) and offsets.max() >= 2**24:
        return {"origin": origin, "width": 4, "data": _int_array(offsets, np.uint32)}
    data = offsets.astype("<u4").view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
    return {"origin": origin, "width": 3, "data": base64.b64encode(data).decode("ascii")}


def encode_text(values: pd.Series) -> dict[str, Any]:
    """A text column: {"values", "index"} when that is smaller than {"text"}, else {"text"}."""
    texts = values.astype(str)
    codes, uniques = pd.factorize(texts, sort=False)
    width = 1 if len(uniques) <= 255 else 2
    plain = int(texts.str.len().sum()) + 3 * len(texts)
    coded = int(pd.Series(uniques).str.len().sum()) + 3 * len(uniques) + len(texts) * width * 4 // 3
    if len(uniques) <= MAX_CODED_VALUES and coded < plain:
        dtype = np.uint8 if width == 1 else np.uint16
        return {"values": [str(u) for u in uniques], "index": _int_array(codes, dtype)}
    return {"text": texts.tolist()}


def encode_numbers(values: pd.Series) -> dict[str, Any]:
    """Numbers for the script to write as 1,234.5: as base64 Int32 times ``scale`` (MISSING for
    none) when a scale of AMOUNT_SCALES holds them all exactly, else as base64 Float64 (NaN
    for none; infinities are none too)."""
    numbers = values.astype(float).to_numpy()
    finite = np.isfinite(numbers)
    kept = numbers[finite]
    for scale in AMOUNT_SCALES:
        scaled = np.round(kept * scale)
        # scaled / scale == kept: the script's ints[i] / scale gives back the very same double.
        if (np.abs(scaled) < 2**31 - 1).all() and (scaled / scale == kept).all():
            ints = np.full(len(numbers), MISSING_INT, np.int64)
            ints[finite] = scaled
            return {"ints": _int_array(ints, np.int32), "missing": MISSING_INT, "scale": scale}
    return {"floats": _int_array(np.where(finite, numbers, np.nan), np.float64)}


def encode_lines(lines: pd.Series) -> dict[str, Any]:
    """Line numbers: a start and one byte per step when they climb in small steps (a file
    read top to bottom), else as text (GeoJSON's "feature 3", or any other order)."""
    numeric = pd.to_numeric(lines, errors="coerce")
    if len(lines) and numeric.notna().all() and (numeric % 1 == 0).all():
        ints = numeric.to_numpy(np.int64)
        steps = np.diff(ints)
        if len(steps) == 0 or (steps.min() >= 0 and steps.max() <= 255):
            return {"start": int(ints[0]), "steps": _int_array(steps, np.uint8)}
    return encode_text(lines.astype(str))


def payload_size(value: Any) -> int:
    """Bytes of a value in the page (script_json); of a packed payload, what the page carries."""
    return len(script_json(value).encode("utf-8"))


def script_json(value: Any) -> str:
    """Compact JSON that is safe inside a <script> element (and shorter than tojson's).

    ``<``, ``>``, ``&`` and ``'`` are written as \\u escapes, so no text from the file can
    end the script or start markup; other characters stay as they are (UTF-8 page).
    """
    text = _json(value)
    for char, escape in SCRIPT_ESCAPES:
        text = text.replace(char, escape)
    return text


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _base64_size(size: int) -> int:
    return 4 * ((size + 2) // 3)


def _int_array(values: np.ndarray, dtype: type) -> str:
    little = np.dtype(dtype).newbyteorder("<")
    return base64.b64encode(np.asarray(values).astype(little).tobytes()).decode("ascii")


def _attributes(sites: pd.DataFrame) -> list[str]:
    return [c for c in sites.columns if c not in SITE_COLUMNS]
