"""Parsed input files kept between builds: a rebuild parses again only the files that changed.

An entry holds what parsing one YAML file gave – its values and the events
that place them, with every line number – as compressed JSON: data only,
never code, so nothing in it can run, whatever an input folder contains.
It is found by a digest of the file's bytes and of the code that parsed it
(this package's version, the sources of the YAML reader, PyYAML's version),
so a changed file, another version of the tool or of its reader never
meets an old entry. An entry that cannot be read, decoded or checked is
ignored and the file is parsed again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import zlib
from pathlib import Path
from typing import Any

import yaml

from .. import __version__
from .. import cache as user_cache
from .raw import Parsed

FORMAT = 2  # of an entry; part of its key
READER_SOURCES = ("yaml_files.py", "raw.py", "cache.py")


def cached(data: bytes, depth: int, nodes_left: int) -> Parsed | None:
    """The parse of a file of these bytes, ``depth`` levels deep, if one is kept and fits there."""
    key = _key(data)
    stored = user_cache.read(_path(key))
    if stored is None:
        return None
    parsed = _decoded(stored, key)
    if parsed is None or not parsed.placeable(depth, nodes_left):
        return None
    return parsed


def store(data: bytes, parsed: Parsed) -> None:
    """Keep the parse of a file of these bytes (before its includes are put in)."""
    key = _key(data)
    entry = {
        "format": FORMAT,
        "key": key,
        "data": parsed.data,
        "places": list(parsed.locations),
        "lines": list(parsed.locations.values()),
        "events": parsed.events,
        "nodes": parsed.nodes,
        "deepest": parsed.deepest,
        "lost_ids": list(parsed.lost_ids),
    }
    try:
        encoded = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode(
            "utf-8", "surrogatepass"
        )
    except (TypeError, ValueError):  # not plain data: nothing to keep
        return
    user_cache.write(_path(key), zlib.compress(encoded, 1))


def _path(key: str) -> Path:
    return user_cache.cache_root() / "inputs" / f"{key}.json.z"


def _key(data: bytes) -> str:
    digest = hashlib.sha256(_reader_identity())
    digest.update(data)
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def _reader_identity() -> bytes:
    """What a parse depends on besides the file: the format, this version, the reader's code, PyYAML."""
    folder = Path(__file__).parent
    sources = hashlib.sha256()
    for name in READER_SOURCES:
        sources.update((folder / name).read_bytes())
    libyaml = getattr(yaml, "__with_libyaml__", False)
    return f"{FORMAT}|{__version__}|{sources.hexdigest()}|{yaml.__version__}|{libyaml}|".encode()


def _decoded(stored: bytes, key: str) -> Parsed | None:
    """The entry as a ``Parsed``, or None where it is damaged or not what its name says."""

    try:
        entry = json.loads(zlib.decompress(stored).decode("utf-8", "surrogatepass"))
        if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("key") != key:
            return None
        nodes, deepest, raw_events = entry["nodes"], entry["deepest"], entry["events"]
        if not (_is_count(nodes) and _is_count(deepest) and isinstance(raw_events, list)):
            return None
        events = [_event(event) for event in raw_events]
        data = entry["data"]
        for event in events:
            if event[0] == "include" and event[1] and not _reaches(data, event[1]):
                return None
        places, lines = entry["places"], entry["lines"]
        if not (isinstance(places, list) and isinstance(lines, list) and len(places) == len(lines)):
            return None
        # checked in bulk, as there are many: a place must be a key (TypeError), a line a number
        locations = dict(zip(map(tuple, places), lines, strict=True))
        if not all(type(line) is int for line in lines):
            return None
        lost_ids = entry["lost_ids"]
        if not (isinstance(lost_ids, list) and all(isinstance(identifier, str) for identifier in lost_ids)):
            return None
        return Parsed(data, locations, events, nodes, deepest, lost_ids=tuple(lost_ids))
    except (zlib.error, UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError):
        return None


def _event(event: Any) -> tuple[Any, ...]:
    """One event back from JSON (places as tuples); ValueError where it is not one the reader writes."""
    if not isinstance(event, list) or not event:
        raise ValueError("not an event")
    kind = event[0]
    if kind == "failed" and len(event) == 2:
        return (kind, _place(event[1]))
    if kind == "include" and len(event) == 4 and _is_line(event[2]):
        return (kind, _place(event[1]), event[2], event[3])
    if kind == "problem" and len(event) == 7:
        _, line, place, message, hint, severity, failed = event
        if (
            (line is None or _is_line(line))
            and isinstance(message, str)
            and (hint is None or isinstance(hint, str))
            and severity in ("error", "warning")
            and isinstance(failed, bool)
        ):
            return (kind, line, None if place is None else _place(place), message, hint, severity, failed)
    raise ValueError("not an event")


def _place(value: Any) -> tuple[str | int, ...]:
    if not isinstance(value, list) or not all(
        isinstance(part, str) or (isinstance(part, int) and not isinstance(part, bool) and part >= 0)
        for part in value
    ):
        raise ValueError("not a place")
    return tuple(value)


def _reaches(data: Any, place: tuple[str | int, ...]) -> bool:
    """Whether ``place`` names a value inside ``data`` (an include is put there)."""
    for part in place:
        in_mapping = isinstance(part, str) and isinstance(data, dict) and part in data
        in_list = isinstance(part, int) and isinstance(data, list) and part < len(data)
        if not (in_mapping or in_list):
            return False
        data = data[part]
    return True


def _is_line(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
