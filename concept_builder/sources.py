"""Where each value of a concept came from, so that a document can say where its text came from.

After validation every text, date and number of the concept is replaced by
an equal value that also carries its *source key*: the path of the value in
the inputs, with list entries that have an id named by it
(``themes.@bildung.measures.@m-sprachkurs.title``) so that the key stays the
same when entries are added or moved. The context passes these values on as
they are; whatever the document prints unchanged is marked with the key's
short name (``markers``), and ``review`` finds the file and line again from
the key. Text put together from several values carries no key of its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .load import Path_

MARKER_PREFIX = "_cb"  # a leading underscore hides a bookmark in Word's dialog


class Sourced(str):
    """Text that knows where it came from (``source_of``); equal to, and used like, the plain text."""

    _cb_source: str


class _SourcedDate(dt.date):
    _cb_source: str


class _SourcedFloat(float):
    _cb_source: str


class _SourcedInt(int):
    _cb_source: str


def source_of(value: object) -> str | None:
    """The marker name of a value that came from the inputs, or None."""
    return getattr(value, "_cb_source", None)


def sourced(text: str, source: str | None) -> str:
    """``text`` carrying ``source`` (a value printed otherwise than typed: a date, a number, a label)."""
    if source is None or not text:
        return text
    result = Sourced(text)
    result._cb_source = source
    return result


def marker_name(key: str) -> str:
    """The short, stable name of a source key, as a bookmark may be called (letters and digits).

    The first 50 bits of the key's BLAKE2 hash (no clash among a concept's
    values) as ten letters of lower-case base32, taken two letters (ten bits)
    at a time: what ``base64.b32encode`` gives, without its per-call cost,
    which showed at the hundred thousand values of a large concept.
    """
    bits = int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()[:7], "big") >> 6
    pairs = _BASE32_PAIRS
    return (
        MARKER_PREFIX
        + pairs[bits >> 40]
        + pairs[(bits >> 30) & 1023]
        + pairs[(bits >> 20) & 1023]
        + pairs[(bits >> 10) & 1023]
        + pairs[bits & 1023]
    )


_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"  # RFC 4648's alphabet, in lower case
_BASE32_PAIRS = [first + second for first in _BASE32 for second in _BASE32]


def _part(container: Any, index: int, item: Any) -> str:
    identifier = item.get("id") if isinstance(item, dict) else getattr(item, "id", None)
    if isinstance(identifier, str) and identifier:
        return "@" + identifier
    return str(index)


def mark_sources(concept: BaseModel) -> None:
    """Give every text, date and number of a validated concept its source (in place)."""
    _mark_model(concept, "")


def _mark_model(model: BaseModel, key: str) -> None:
    for name in type(model).model_fields:
        value = getattr(model, name)
        if value is None:
            continue
        child = f"{key}.{name}" if key else name
        if isinstance(value, list):
            for index, item in enumerate(value):
                item_key = f"{child}.{_part(value, index, item)}"
                if isinstance(item, BaseModel):
                    _mark_model(item, item_key)
                else:
                    marked = _marked(item, item_key)
                    if marked is not None:
                        value[index] = marked
        elif isinstance(value, BaseModel):
            _mark_model(value, child)
        else:
            marked = _marked(value, child)
            if marked is not None:
                object.__setattr__(model, name, marked)  # the models are frozen for everyone else


def _marked(value: Any, key: str) -> Any:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        marked: Any = Sourced(value)
    elif isinstance(value, dt.datetime):
        return None
    elif isinstance(value, dt.date):
        marked = _SourcedDate(value.year, value.month, value.day)
    elif isinstance(value, int):
        marked = _SourcedInt(value)
    elif isinstance(value, float):
        marked = _SourcedFloat(value)
    else:
        return None
    marked._cb_source = marker_name(key)
    return marked


def raw_sources(data: Any) -> dict[str, Path_]:
    """Every marker name the loaded inputs ``data`` can give, with the path of its value."""
    return {marker_name(key): path for key, path in _raw_keys(data, "", ())}


def _raw_keys(data: Any, key: str, path: Path_) -> Iterator[tuple[str, Path_]]:
    if isinstance(data, dict):
        for name, value in data.items():
            yield from _raw_keys(value, f"{key}.{name}" if key else str(name), (*path, name))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _raw_keys(item, f"{key}.{_part(data, index, item)}", (*path, index))
    elif data is not None and key:
        yield key, path
        # a single value where the model takes a list (``lead: A`` for ``lead: [A]``) is its first entry
        yield f"{key}.0", path


def inputs_digest(folder: Path, files: list[Path]) -> str:
    """A digest of the input files (names within ``folder``, and content): did they change since a build?"""
    digest = hashlib.sha256()
    for file in sorted(set(files), key=str):
        try:
            content = file.read_bytes()
            name = file.relative_to(folder).as_posix()
        except (OSError, ValueError):
            content, name = b"", file.as_posix()
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(content)
    return "sha256:" + digest.hexdigest()
