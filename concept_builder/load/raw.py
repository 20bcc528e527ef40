"""The merged data of an input folder before validation, with the place of every value."""

from __future__ import annotations

import codecs
import errno
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Location, Problem

Path_ = tuple[str | int, ...]
MAX_DEPTH = 40  # levels of nesting, counted through includes: far above any real concept
"""Where a value sits in the merged data: ``("themes", 0, "title")``."""


@dataclass
class RawConcept:
    """The merged data of an input folder, before validation."""

    folder: Path
    data: Any = None
    # (file, line[, cell]) per value; Location objects are made only for the few that are reported
    locations: dict[Path_, tuple[Any, ...]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    failed: set[Path_] = field(default_factory=set)  # values already reported, not to be reported again
    # ids written in files that could not be read, with the problem that says so: what refers to
    # them follows from that problem
    lost_ids: dict[str, Location] = field(default_factory=dict)
    # a file not found whose ids cannot be known: references to ids that do not exist may be to its
    unknown_ids_lost_at: Location | None = None
    follow_ons: dict[Location, list[str]] = field(default_factory=dict)  # problem → ids referred to in vain
    # where the value of a field left empty would be written: the empty cell of a workbook's row
    blanks: dict[Path_, tuple[Any, ...]] = field(default_factory=dict)

    def lost(self, ref: str) -> bool:
        """Whether a reference to ``ref``, an id that does not exist, follows from a file that could
        not be read; if so, it is noted with that file's problem rather than reported on its own.
        """
        where = self.lost_ids.get(ref, self.unknown_ids_lost_at)
        if where is None:
            return False
        self.follow_ons.setdefault(where, []).append(ref)
        return True

    def value(self, path: Path_) -> Any:
        """The value at ``path`` as loaded, or None."""
        value = self.data
        for part in path:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return None
        return value

    def location(self, path: Path_) -> Location | None:
        """The place of ``path``, or of its nearest ancestor that has one."""
        while True:
            if path in self.locations:
                return Location(*self.locations[path])
            if not path:
                return None
            path = path[:-1]

    def named(self, path: Path_) -> str:
        """``themes[wohnen].measures[wohnen-m1].status``: the path with the id of each item that has one."""
        parts: list[str | int] = []
        value = self.data
        for part in path:
            value = value[part] if _has(value, part) else None
            identifier = value.get("id") if isinstance(value, dict) else None
            if isinstance(part, int) and isinstance(identifier, str) and _ID.match(identifier):
                parts.append(Named(identifier))
            else:
                parts.append(part)
        return dotted(tuple(parts))


class Named(str):
    """An item's id standing for its position in a path."""


_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")


def _has(container: Any, part: str | int) -> bool:
    if isinstance(container, dict):
        return part in container
    return isinstance(container, list) and isinstance(part, int) and 0 <= part < len(container)


def dotted(path: Path_) -> str:
    """``('themes', 0, 'title')`` → ``themes[0].title``; an id in brackets where it names the item."""
    text = ""
    for part in path:
        if isinstance(part, (int, Named)):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def resolved(file: Path) -> Path | None:
    """``file`` with every symbolic link followed; None where the links go round in a loop."""
    try:
        return file.resolve()
    except (RuntimeError, OSError):  # Python reports a loop of links as RuntimeError
        return None


NOT_FOUND = "not found"


def not_a_file(file: Path) -> str | None:
    """What ``file`` is, in words, where it is not a file that can be read: ``NOT_FOUND``, "is a
    folder", "is a named pipe"…; None for a file.

    A named pipe or a device would block or never end; a loop of links and a
    path through more links than the system follows are not missing files.
    """
    try:
        mode = file.stat().st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "is a loop of symbolic links, or leads through more of them than the system follows"
        if file.is_symlink():
            return "is a symbolic link to a file that does not exist"
        if error.errno in (errno.ENOENT, errno.ENOTDIR):
            return NOT_FOUND
        return f"cannot be read: {error.strerror}"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file"
    return "is not a regular file"


def inside(file: Path, root: Path) -> bool:
    """Whether ``file``, with every link followed, lies in the folder ``root`` (resolved)."""
    target = resolved(file)
    return target is not None and target.is_relative_to(root)


# --- what every reader of input files shares ---------------------------------------------

# Characters XML 1.0 cannot hold, as pasted from Word (vertical tab) or e-mails.
ILLEGAL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
INVISIBLE_HINT = "delete it; it often comes with text pasted from Word or e-mail"
NOT_UTF8 = "is not UTF-8; it was read as Windows-1252 (Latin-1)"
NOT_UTF8_HINT = "check the umlauts, then save the file as UTF-8"


def invisible_character(text: str) -> str | None:
    """What is wrong with ``text`` if it holds a character a document cannot hold, else None."""
    found = ILLEGAL_CHARACTERS.search(text)
    if found is None:
        return None
    character = found.group()
    name = unicodedata.name(character, "control character")
    return f"contains the invisible character U+{ord(character):04X} ({name})"


def decode(data: bytes) -> tuple[str, int | None]:
    """Text in UTF-8 (with or without BOM) or UTF-16 with BOM; else Windows-1252.

    Returns the text and, where it was not UTF-8, the line of the first byte
    that was not, for a warning.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
    try:
        return data.decode("cp1252"), line
    except UnicodeDecodeError:
        return data.decode("latin-1"), line


@dataclass
class Parsed:
    """One YAML file's values, the line of each, and its events; ``nodes`` values, ``deepest`` place.

    Places are relative to where the file sits. A file's places are its own:
    only the place it is included at was placed before, by the file
    including it, and the file's own root replaces that.
    """

    data: Any
    locations: dict[Path_, int]
    events: list[tuple[Any, ...]]
    nodes: int
    deepest: int
    limited: bool = False  # a limit of depth or size was met: the result depends on where the file sits
    # the ids a file that could not be parsed would have given: references to them are follow-on errors
    lost_ids: tuple[str, ...] = ()

    def placeable(self, depth: int, nodes_left: int) -> bool:
        """Whether this result is what parsing the file at a place ``depth`` deep would give."""
        return not self.limited and depth + self.deepest <= MAX_DEPTH and self.nodes <= nodes_left
