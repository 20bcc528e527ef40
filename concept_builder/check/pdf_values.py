"""Reading a PDF's values as pikepdf gives them, without surprises: true only for a true boolean, a
string's text, an integer that is not a boolean, a stream's bytes (none where it cannot be read)."""

from __future__ import annotations

from typing import Any

import pikepdf


def is_true(value: object) -> bool:
    return value is True  # pikepdf gives PDF booleans as bool; anything else is not true


def stream_bytes(stream: pikepdf.Stream) -> bytes:
    try:
        return stream.read_bytes()
    except pikepdf.PdfError:
        return b""


def string(value: Any) -> str:
    return str(value).strip() if isinstance(value, pikepdf.String) else ""


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
