"""Where each value of a concept came from, so that a document can say where its text came from.

After validation every text, date and number of the concept is replaced by
an equal value that also carries its *source key*: the path of the value in
the inputs. A list entry is named by its id where it has one
(``themes.@bildung.measures.@m-sprachkurs.title``), else by its content – a
key figure by its indicator, a person by the name, a partner in a list of
names by the name itself (``…partners.=Jobcenter``) – so that the key stays
the same when entries are added or moved. The context passes these values on
as they are; whatever the document prints is marked with the key's short
name (``markers``), and ``review`` finds the file and line again from the
key. Text put together from several values and fixed words (``A und B``,
``Name (Rolle)``) knows where each value in it lies (``assembled``), so
each is marked on its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .load import Path_
from .model import When

MARKER_PREFIX = "_cb"  # a leading underscore hides a bookmark in Word's dialog


Span = tuple[int, int, str]
"""Where a value lies in assembled text: start, end, and its marker name."""


class Sourced(str):
    """Text that knows where it came from; equal to, and used like, the plain text.

    Either the whole text is one value (``source_of``), or the text was put
    together from values and fixed words and knows each value's place
    (``spans_of``).
    """

    _cb_source: str | None = None
    _cb_spans: tuple[Span, ...] = ()


class _SourcedDate(dt.date):
    _cb_source: str


class _SourcedFloat(float):
    _cb_source: str


class _SourcedInt(int):
    _cb_source: str


def source_of(value: object) -> str | None:
    """The marker name of a value that came from the inputs as a whole, or None."""
    return getattr(value, "_cb_source", None)


def spans_of(value: str) -> tuple[Span, ...]:
    """Where the values from the inputs lie in ``value``: all of it, parts of it, or nowhere."""
    spans: tuple[Span, ...] = getattr(value, "_cb_spans", ())
    if spans:
        return spans
    source = getattr(value, "_cb_source", None)
    return ((0, len(value), source),) if source and value else ()


def assembled(*parts: object) -> str:
    """The parts joined into one text that knows where each value from the inputs lies in it.

    A part is text, or a number or year from the inputs (printed as ``str``
    prints it); parts that are empty or None are left out.
    """
    texts = [_as_text(part) for part in parts if part is not None and part != ""]
    text = "".join(texts)
    spans: list[Span] = []
    offset = 0
    for part in texts:
        spans.extend((offset + start, offset + end, source) for start, end, source in spans_of(part))
        offset += len(part)
    if not spans:
        return text
    if len(spans) == 1 and spans[0][:2] == (0, len(text)):
        return sourced(text, spans[0][2])
    result = Sourced(text)
    result._cb_spans = tuple(spans)
    return result


def joined(separator: str, items: Iterable[object]) -> str:
    """``separator.join(items)``, each item keeping its source (``assembled``)."""
    parts: list[object] = []
    for item in items:
        if parts:
            parts.append(separator)
        parts.append(item)
    return assembled(*parts)


def _as_text(part: object) -> str:
    if isinstance(part, str):
        return part
    return sourced(str(part), source_of(part))


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


# the field that names an entry without an id, in the order they are tried (a key figure's
# indicator, a person's or an organisation's name, a term, a principle's title, a result's theme …)
_NAMING_FIELDS = ("id", "indicator", "name", "term", "title", "theme", "file", "text")


def _parts(items: list[Any], *, raw: bool = False) -> list[list[str]]:
    """The key parts of each entry of a list: the first names it (see the module's description).

    An entry is named by its id, or else by the content of its naming field
    (or itself, where it is text); entries of the same name are counted
    (``=Jobcenter#2``), and the rest by their position. Text read from the
    inputs (``raw``) is also named by its position: the model may hold it
    as something else than text (the dates of an event).
    """
    seen: dict[str, int] = {}
    found = []
    for index, item in enumerate(items):
        names = []
        name = _name_of(item)
        if name is not None:
            seen[name] = seen.get(name, 0) + 1
            names.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
        if name is None or (raw and isinstance(item, str)):
            names.append(str(index))
        found.append(names)
    return found


def _name_of(item: Any) -> str | None:
    if isinstance(item, str):
        return "=" + item.strip() if item.strip() else None
    if isinstance(item, dict):
        values: Any = item
    elif isinstance(item, BaseModel):
        # only the model's fields: asking a pydantic model for one it lacks is slow (an exception)
        fields = type(item).model_fields
        values = {name: getattr(item, name) for name in _NAMING_FIELDS if name in fields}
    else:
        return None
    for field in _NAMING_FIELDS:
        value = values.get(field)
        if isinstance(value, str) and value.strip():
            return ("@" if field == "id" else "=") + value.strip()
    return None


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
            for index, (item, parts) in enumerate(zip(value, _parts(value), strict=True)):
                item_key = f"{child}.{parts[0]}"
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
    elif isinstance(value, When):  # a point of a timeframe: its own object, equal by its fields alone
        object.__setattr__(value, "_cb_source", marker_name(key))
        return None
    elif isinstance(value, int):
        marked = _SourcedInt(value)
    elif isinstance(value, float):
        marked = _SourcedFloat(value)
    else:
        return None
    marked._cb_source = marker_name(key)
    return marked


# fields that take a model, or its text alone (``budget: ca. 30.000 €`` for ``budget: {text: …}``)
_TEXT_OF_MODEL = {"budget"}


def raw_sources(data: Any) -> dict[str, Path_]:
    """Every marker name the loaded inputs ``data`` can give, with the path of its value."""
    return {marker_name(key): path for key, path in _raw_keys(data, "", ())}


def _raw_keys(data: Any, key: str, path: Path_, field: bool = False) -> Iterator[tuple[str, Path_]]:
    """Every key a value of the inputs can have, with its path; ``field``: the value of a field,
    which may stand for a list of one entry (``lead: A`` for ``lead: [A]``)."""
    if isinstance(data, dict):
        for name, value in data.items():
            yield from _raw_keys(value, f"{key}.{name}" if key else str(name), (*path, name), True)
    elif isinstance(data, list):
        for index, (item, parts) in enumerate(zip(data, _parts(data, raw=True), strict=True)):
            for part in parts:
                yield from _raw_keys(item, f"{key}.{part}", (*path, index))
    elif data is not None and key:
        yield key, path
        if path and path[-1] in _TEXT_OF_MODEL:
            yield f"{key}.text", path
    if field and not isinstance(data, list) and data is not None:
        # a single value or entry where the model takes a list is its first entry
        for part in _parts([data], raw=True)[0]:
            yield from _raw_keys(data, f"{key}.{part}", path)


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
