"""YAML files read into plain data, every value with its file and line.

The files are composed into PyYAML's node tree rather than constructed, so
every value keeps its place. Scalars keep the text the user typed: the
schema, not YAML 1.1's guessing, decides whether ``no``, ``012`` or ``3.10``
is a number, a flag or text. Anchors, merge keys and tags other than plain
YAML's are refused; includes may not leave the input folder.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from ..errors import Location, Problem
from . import cache
from .raw import (
    INVISIBLE_HINT,
    MAX_DEPTH,
    NOT_FOUND,
    NOT_UTF8,
    NOT_UTF8_HINT,
    Parsed,
    Path_,
    RawConcept,
    decode,
    dotted,
    inside,
    invisible_character,
    not_a_file,
    resolved,
)

# Limits far above any real concept (a 4,000-measure stress concept stays well
# below them) that stop hostile or broken inputs early, with a clear message.
MAX_FILE_BYTES = 20_000_000
MAX_FILES = 2_000
MAX_NODES = 2_000_000
MAX_INCLUDE_DEPTH = 50
LINK_LOOP_HINT = "replace the symbolic link by the file it should point to"
INCLUDE_KEY = "include"


# What YAML's reader refuses outright, raw in the file.
_UNPRINTABLE = yaml.reader.Reader.NON_PRINTABLE
_NULLS = {"", "~", "null", "Null", "NULL"}
# The tags plain YAML resolves to; anything else (``!!python/object`` …) is refused.
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_IMPLICIT_TAGS = {
    yaml.ScalarNode: "tag:yaml.org,2002:str",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


class NodeLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Composes nodes without guessing types: the schema types the values, not YAML 1.1."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        return _IMPLICIT_TAGS[kind]


class Reader:
    """Reads the YAML files of one input folder into its ``RawConcept``.

    Each file is parsed on its own into a ``Parsed`` – its values and the
    events that place them (lines, problems, includes), relative to wherever
    the file is included – and then applied at its place. A rebuild takes the
    ``Parsed`` of an unchanged file from the cache (``cache.py``).
    """

    def __init__(self, raw: RawConcept, root: Path) -> None:
        self.raw = raw
        self.root = root
        self.nodes = 0

    def problem(
        self, file: Path, line: int | None, path: Path_, message: str, hint: str | None = None
    ) -> None:
        self.raw.problems.append(Problem(Location(file, line), dotted(path), message, hint, path=path))
        self.raw.failed.add(path)

    def read_file(self, file: Path, path: Path_, stack: list[Path]) -> Any:
        shown = self.display(file)
        try:
            size = file.stat().st_size
            if size > MAX_FILE_BYTES:
                self.problem(
                    shown,
                    None,
                    path,
                    f"is too large ({size // 1_000_000} MB; at most "
                    f"{MAX_FILE_BYTES // 1_000_000} MB per file)",
                    "split it into several included files",
                )
                return None
            if len(self.raw.files) >= MAX_FILES:
                self.problem(shown, None, path, f"is one file too many (at most {MAX_FILES} files)")
                return None
            data = file.read_bytes()
        except OSError as exc:
            self.problem(shown, None, path, f"cannot be read: {exc.strerror}")
            return None
        self.raw.files.append(shown)
        parsed = cache.cached(data, len(path), MAX_NODES - self.nodes)
        if parsed is None:
            parsed = parse(data, len(path), MAX_NODES - self.nodes)
            if parsed.placeable(len(path), MAX_NODES - self.nodes):
                cache.store(data, parsed)
        self.nodes += parsed.nodes
        return self.apply(parsed, shown, file, path, [*stack, file.resolve()])

    def apply(self, parsed: Parsed, shown: Path, file: Path, path: Path_, stack: list[Path]) -> Any:
        """Put the file's values and their places at ``path``, reading the files it includes."""
        data = parsed.data
        raw = self.raw
        # included files place their values after these, as when they were read in the middle
        raw.locations.update({path + place: (shown, line) for place, line in parsed.locations.items()})
        if parsed.lost_ids:
            line = next((e[1] for e in parsed.events if e[0] == PROBLEM and e[5] == "error" and e[6]), None)
            for identifier in parsed.lost_ids:
                raw.lost_ids.setdefault(identifier, Location(shown, line))
        for event in parsed.events:
            kind = event[0]
            if kind == PROBLEM:
                _, line, relative, message, hint, severity, failed = event
                place = path + relative if relative is not None else None
                shown_place = dotted(place) if place is not None else ""
                raw.problems.append(
                    Problem(Location(shown, line), shown_place, message, hint, severity, path=place)
                )
                if failed and place is not None:
                    raw.failed.add(place)
            elif kind == FAILED:
                raw.failed.add(path + event[1])
            elif kind == INCLUDE:
                _, relative, line, target = event
                value = self.include(shown, file, stack, path + relative, line, target)
                if not relative:
                    data = value
                else:
                    parent = data
                    for part in relative[:-1]:
                        parent = parent[part]
                    parent[relative[-1]] = value
        return data

    def include(self, shown: Path, file: Path, stack: list[Path], path: Path_, line: int, target: Any) -> Any:
        def problem(message: str, hint: str | None = None) -> None:
            self.problem(shown, line, path, message, hint)

        if not isinstance(target, str) or not target:
            problem("include needs a file name", "e.g. include: handlungsfelder/bildung.yaml")
            return None
        relative = Path(target)
        candidate = file.parent / relative
        if resolved(candidate) is None:
            problem(f"include {target!r} is a loop of symbolic links", LINK_LOOP_HINT)
            return None
        if len(stack) >= MAX_INCLUDE_DEPTH:
            problem(
                f"include {target!r} is nested too deeply (at most {MAX_INCLUDE_DEPTH} files, each"
                " including the next)",
                "include the files from concept.yaml or a file it includes",
            )
            return None
        if relative.is_absolute() or not inside(candidate, self.root):
            problem(
                f"include {target!r} leads outside the input folder",
                "keep included files inside the folder of concept.yaml",
            )
            return None
        what = not_a_file(candidate)
        if what == NOT_FOUND:
            self.missing(shown, line, path, target, candidate)
            return None
        if what is not None:
            problem(f"include {target!r} {what}", "include a YAML file")
            return None
        if resolved(candidate) in stack:
            problem(f"include {target!r} includes itself in a loop")
            return None
        return self.read_file(candidate, path, stack)

    def missing(self, shown: Path, line: int, path: Path_, target: str, candidate: Path) -> None:
        """An included file not found: the file meant, where one is named almost so, and its ids.

        References to the ids of the file meant fail because it is missing;
        they are told with this problem. Where no file is named almost so, the
        ids it would give cannot be known, and references to ids that do not
        exist are told with it.
        """
        where = Location(shown, line)
        meant = _file_meant(candidate, self.root)
        if meant is None:
            hint = "paths are relative to the file that includes them"
            if self.raw.unknown_ids_lost_at is None:
                self.raw.unknown_ids_lost_at = where
        else:
            written = (Path(target).parent / meant.name).as_posix()
            hint = f"did you mean {written!r}?"
            text, _ = decode(meant.read_bytes())
            for identifier in _WRITTEN_ID.findall(text):
                self.raw.lost_ids.setdefault(identifier, where)
        self.problem(shown, line, path, f"included file {target!r} not found", hint)

    def display(self, file: Path) -> Path:
        """A path as the user would write it: relative to the input folder's parent."""
        return self.raw.folder / file.resolve().relative_to(self.root) if inside(file, self.root) else file


# --- one file, parsed on its own ----------------------------------------------------------------
#
# Events, in the order the file's nodes are met (places are relative to where the file sits):
PROBLEM = "problem"  # (PROBLEM, line, place or None for the file, message, hint, severity, failed)
FAILED = "failed"  # (FAILED, place): a value reported already
INCLUDE = "include"  # (INCLUDE, place, line, target): the value at place is the file target names


def parse(data: bytes, depth: int, nodes_left: int) -> Parsed:
    """Parse one file's bytes, ``depth`` levels deep in the concept, with ``nodes_left`` values allowed."""
    events: list[tuple[Any, ...]] = []
    locations: dict[Path_, int] = {}
    text, not_utf8 = decode(data)
    if not_utf8 is not None:
        events.append((PROBLEM, not_utf8, None, NOT_UTF8, NOT_UTF8_HINT, "warning", False))
    text = _without_unprintable(text, events)
    try:
        node = yaml.compose(text, Loader=NodeLoader)
    except RecursionError:
        events.append(
            (PROBLEM, None, (), f"is nested too deeply (at most {MAX_DEPTH} levels)", None, "error", True)
        )
        return Parsed(None, locations, events, 0, 0)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message, hint = _syntax_error(exc, text, line)
        events.append((PROBLEM, line, (), message, hint, "error", True))
        return Parsed(None, locations, events, 0, 0, lost_ids=tuple(_WRITTEN_ID.findall(text)))
    if node is None:
        return Parsed(None, locations, events, 0, 0)
    # missing fields of an included part are reported in its own file
    locations[()] = node.start_mark.line + 1
    converter = _NodeConverter(locations, events, depth, nodes_left)
    value = converter.convert(node, ())
    return Parsed(value, locations, events, converter.nodes, converter.deepest, converter.limited)


def _without_unprintable(text: str, events: list[tuple[Any, ...]]) -> str:
    """Report characters YAML cannot read (a vertical tab pasted from Word) and blank them.

    Blanking lets the rest of the file be checked in the same run; the
    report keeps the build from going ahead.
    """
    if not _UNPRINTABLE.search(text):
        return text
    for line_number, line in enumerate(text.split("\n"), 1):
        for match in _UNPRINTABLE.finditer(line):
            character = match.group()
            name = unicodedata.name(character, "control character")
            message = (
                f"contains the invisible character U+{ord(character):04X} ({name})"
                f" in column {match.start() + 1}"
            )
            events.append((PROBLEM, line_number, None, message, INVISIBLE_HINT, "error", False))
    return _UNPRINTABLE.sub(" ", text)


def _file_meant(missing: Path, root: Path) -> Path | None:
    """The file in the folder of ``missing`` whose name is almost that (``.yml`` for ``.yaml``)."""
    folder = missing.parent
    if not folder.is_dir() or not inside(folder, root):
        return None
    names = [
        entry.name
        for entry in folder.iterdir()
        if entry.suffix in (".yaml", ".yml") and entry.is_file() and inside(entry, root)
    ]
    close = difflib.get_close_matches(missing.name, names, n=1, cutoff=0.8)
    if not close or (folder / close[0]).stat().st_size > MAX_FILE_BYTES:
        return None
    return folder / close[0]


# "id: wohnen", "- id: wohnen-m1": the ids a file that cannot be parsed would have given
_WRITTEN_ID = re.compile(
    r"""^[ \t-]*id:[ \t]*["']?([A-Za-z0-9][A-Za-z0-9_.\-]*)["']?[ \t]*(?:#.*)?$""", re.MULTILINE
)


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, line: int | None) -> tuple[str, str | None]:
    """What YAML could not read, in words that quote the line and say what to write."""
    problem = str(exc.problem or exc.context)
    about_tabs = "\t" in text and ("tab" in problem or "\\t" in problem)
    tabbed = _tab_indented(text.split("\n"), line or 1, about_tabs)
    if tabbed is not None:
        number, typed = tabbed
        return (
            f"YAML syntax error: a tab indents line {number} ({typed!r})",
            "indent with spaces only: replace the tab with spaces, as many as the lines around it use",
        )
    if about_tabs:
        return f"YAML syntax error: {problem}", "write spaces instead of tabs"
    return f"YAML syntax error: {problem}", None


def _tab_indented(lines: list[str], line: int, about_tabs: bool) -> tuple[int, str] | None:
    """The line (its number and text) whose indentation holds the tab that YAML stumbled over.

    Where YAML names the tab, libyaml gives the line before the tab's, so the
    first tab-indented line from there on is meant. Where it does not ("found
    character that cannot start any token" is what a tab before a key gives),
    only a tab-indented line at the line YAML names, or next to it, is taken
    for the cause: a tab elsewhere is not what stopped it.
    """
    tabbed = [
        number
        for number, text in enumerate(lines, 1)
        if text.strip() and "\t" in text[: len(text) - len(text.lstrip())]
    ]
    if about_tabs:
        found = next((number for number in tabbed if number >= line - 1), None)
    else:
        near = [number for number in tabbed if abs(number - line) <= 1]
        found = min(near, key=lambda number: abs(number - line)) if near else None
    return (found, lines[found - 1].strip()) if found is not None else None


class _NodeConverter:
    def __init__(
        self, locations: dict[Path_, int], events: list[tuple[Any, ...]], depth: int, nodes_left: int
    ) -> None:
        self.locations = locations
        self.events = events
        self.depth = depth
        self.nodes_left = nodes_left
        self.nodes = 0
        self.deepest = 0
        self.limited = False
        self.seen: set[int] = set()

    def problem(self, node: yaml.Node, path: Path_, message: str, hint: str | None = None) -> None:
        self.events.append((PROBLEM, node.start_mark.line + 1, path, message, hint, "error", True))

    def convert(self, node: yaml.Node, path: Path_) -> Any:
        if self.depth + len(path) > MAX_DEPTH:
            self.limited = True
            self.problem(node, path, f"is nested too deeply (at most {MAX_DEPTH} levels)")
            return None
        self.deepest = max(self.deepest, len(path))
        self.nodes += 1
        if self.nodes > self.nodes_left:
            self.limited = True
            if self.nodes == self.nodes_left + 1:
                self.problem(node, path, f"the inputs hold too many values (at most {MAX_NODES:,})")
            return None
        if id(node) in self.seen:
            self.problem(
                node, path, "anchors and aliases (&name, *name) are not supported", "write the value out"
            )
            return None
        self.seen.add(id(node))
        self.locations.setdefault(path, node.start_mark.line + 1)
        if node.tag not in _PLAIN_TAGS and node.tag != "!":
            self.problem(
                node, path, f"the tag {node.tag} is not allowed", "remove the tag; plain YAML is enough"
            )
            self.events.append((FAILED, path))
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, path + (index,)) for index, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        if node.style in (None, "") and node.value in _NULLS:  # plain scalar (libyaml says "")
            return None
        invisible = invisible_character(node.value)
        if invisible:
            self.problem(node, path, invisible, INVISIBLE_HINT)
            return node.value
        if "\r" in node.value:
            # XML turns a carriage return into a line break anyway; say so rather than let it happen
            self.events.append(
                (
                    PROBLEM,
                    node.start_mark.line + 1,
                    path,
                    "a carriage return (\\r) was turned into a line break",
                    "write \\n for a line break",
                    "warning",
                    False,
                )
            )
            return node.value.replace("\r\n", "\n").replace("\r", "\n")
        return node.value

    def mapping(self, node: yaml.MappingNode, path: Path_) -> Any:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, path, "a key must be a plain name")
                continue
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key == "<<":
                self.problem(key_node, path, "merge keys (<<) are not supported", "write the fields out")
                continue
            if key in first_line:
                self.problem(
                    key_node,
                    path + (key,),
                    f"duplicate key (first given at line {first_line[key]})",
                    "remove one of them; YAML would silently keep only the last",
                )
                continue
            first_line[key] = line
            self.locations[path + (key,)] = line
            result[key] = self.convert(value_node, path + (key,))
        if list(result) == [INCLUDE_KEY]:
            # read where the file is placed: the included file's place depends on it
            self.events.append((INCLUDE, path, node.start_mark.line + 1, result[INCLUDE_KEY]))
            return None
        return result
