"""Like-for-like byte counts: both sides of a ratio measured with the same encoding.

A size is always tagged with how it was encoded (raw, or gzip at one fixed level), and
`ratio` refuses to divide sizes of different encodings: the old bench divided the app's
compressed websocket bytes by explore()'s uncompressed HTML and reported 21.9 %.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

GZIP_LEVEL = 6  # what nginx and most servers use by default


class Encoding(Enum):
    RAW = "raw"
    GZIP = f"gzip -{GZIP_LEVEL}"


@dataclass(frozen=True)
class Size:
    """A byte count and the encoding it was measured in."""

    nbytes: int
    encoding: Encoding

    def __str__(self) -> str:
        return f"{self.nbytes / 1024:.1f} KB {self.encoding.value}"


def encoded_size(payloads: Iterable[bytes], encoding: Encoding) -> Size:
    """Total size of ``payloads``, each encoded on its own (as each travels on its own)."""
    if encoding is Encoding.RAW:
        return Size(sum(len(data) for data in payloads), encoding)
    total = sum(len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)) for data in payloads)
    return Size(total, encoding)


def ratio(ours: Size, theirs: Size) -> float:
    """ours / theirs; a ValueError if the two were not measured in the same encoding."""
    if ours.encoding is not theirs.encoding:
        raise ValueError(
            f"cannot compare {ours.encoding.value} bytes with {theirs.encoding.value} bytes"
        )
    if theirs.nbytes == 0:
        raise ValueError("the baseline has no bytes")
    return ours.nbytes / theirs.nbytes


def verdict(value: float, goal: float, unit: str = "", digits: int = 0) -> str:
    """'MET' or 'NOT MET by <excess>' for a figure whose goal is an upper bound."""
    if value <= goal:
        return f"MET ({goal - value:.{digits}f}{unit} to spare)"
    return f"NOT MET by {value - goal:.{digits}f}{unit}"
