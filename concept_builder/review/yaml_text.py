"""A YAML file changed in place: each value replaced where the parser found it, every other byte kept.

A library that loads and dumps the whole file cannot promise to keep its
comments, order, quoting and layout; replacing the characters of one value
in the file's own text can. The text is read as the loader reads it – a
byte-order mark set aside, Windows line ends (CRLF) read as one – and
written back the same way, so that the offsets the parser gives are those
of the text and the file keeps its line ends.
"""

from __future__ import annotations

import codecs
import difflib
import json
import re
from dataclasses import dataclass
from typing import Any

import yaml

from ..load import Path_
from ..load.yaml_files import NodeLoader


@dataclass(frozen=True)
class YamlText:
    """A YAML file's text with LF line ends and without a byte-order mark, and how it was written."""

    text: str
    bom: bool = False
    crlf: bool = False

    @classmethod
    def decode(cls, data: bytes) -> YamlText:
        """The text of a UTF-8 file; ``UnicodeDecodeError`` for other bytes."""
        bom = data.startswith(codecs.BOM_UTF8)
        text = data[len(codecs.BOM_UTF8) if bom else 0 :].decode("utf-8")
        # only a file that ends every line with CRLF is written back so; a mixed one keeps what it has
        crlf = "\r\n" in text and text.count("\n") == text.count("\r\n")
        return cls(text.replace("\r\n", "\n") if crlf else text, bom, crlf)

    def encode(self, text: str) -> bytes:
        """``text`` (a changed version of this file's text) written as the file was."""
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return (codecs.BOM_UTF8 if self.bom else b"") + text.encode("utf-8")


def compose(text: str) -> Any:
    """The node tree of ``text``; ``yaml.YAMLError`` where it does not parse."""
    return yaml.compose(text, Loader=NodeLoader)


def node_at(node: Any, path: Path_) -> tuple[Any, bool]:
    """The node at ``path`` (or None), and whether it sits inside a flow collection (``{…}``, ``[…]``)."""
    flow = False
    for part in path:
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.flow_style:
            flow = True
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            node = next(
                (v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None
            )
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return None, flow
        if node is None:
            return None, flow
    return node, flow


def scalar(text: str, node: Any, value: str, *, flow: bool = False) -> str:
    """``value`` written in the style of ``node`` (plain, quoted or a block), for its place in ``text``.

    Inside a flow collection (``flow``) a plain value may hold none of the
    flow indicators (``, [ ] { }``); it is quoted where it would.
    """
    style = node.style or ""
    if style in ("|", ">"):
        return _block(text, node, value, style)
    if style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if style == "" and plain_ok(value, flow=flow):
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def plain_ok(value: str, *, flow: bool = False) -> bool:
    """Whether ``value`` reads back as the same text when written without quotes (in a flow collection)."""
    if not value or "\n" in value or value != value.strip():
        return False
    try:
        node = compose(f"[{value}]\n" if flow else f"k: {value}\n")
    except yaml.YAMLError:
        return False
    if flow:
        entries = node.value if isinstance(node, yaml.SequenceNode) else []
        scalar_node = entries[0] if len(entries) == 1 else None
    else:
        scalar_node = node.value[0][1] if isinstance(node, yaml.MappingNode) and node.value else None
    return isinstance(scalar_node, yaml.ScalarNode) and scalar_node.value == value and not scalar_node.style


def _block(text: str, node: Any, value: str, style: str) -> str:
    region = text[node.start_mark.index : node.end_mark.index]
    header, _, body = region.partition("\n")
    trailing = len(region) - len(region.rstrip("\n"))
    indent = next(
        (line[: len(line) - len(line.lstrip(" "))] for line in body.split("\n") if line.strip()),
        " " * (node.start_mark.column + 2),
    )
    lines = value.strip("\n").split("\n")
    if style == ">":
        if any(line.startswith((" ", "\t")) for line in lines):
            header = "|" + header[1:]  # lines that keep their indentation: only a literal block keeps them
        else:
            old = [line[len(indent) :] if line.startswith(indent) else line for line in body.split("\n")]
            lines = _folded(old, value.strip("\n"))
    content = "\n".join(indent + line if line else "" for line in lines)
    return f"{header}\n{content}" + "\n" * max(trailing, 1)


def _folded(old_lines: list[str], value: str) -> list[str]:
    """The lines of a folded block (``>``) that reads as ``value``, keeping the old block's line breaks.

    In a folded block a line break between two lines reads as a space, and k
    empty lines as k line breaks. A paragraph the value has unchanged keeps
    its lines; a changed one breaks where the old one broke, as far as the
    words around each break are still there.
    """
    old = _folded_paragraphs(old_lines)
    by_text = {" ".join(lines): lines for lines in old}
    pieces = re.split(r"(\n+)", value)
    paragraphs = pieces[0::2]
    out: list[str] = []
    for index, piece in enumerate(pieces):
        if index % 2:
            out.extend([""] * len(piece))
            continue
        kept = by_text.get(piece)
        if kept is not None:
            out.extend(kept)
            continue
        number = index // 2
        partner = old[number] if len(old) == len(paragraphs) else _likeliest(old, piece)
        out.extend(_broken_like(partner, piece) if partner else [piece])
    return out


def _folded_paragraphs(lines: list[str]) -> list[list[str]]:
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def _likeliest(old: list[list[str]], paragraph: str) -> list[str] | None:
    scored = [(difflib.SequenceMatcher(None, " ".join(lines), paragraph).ratio(), lines) for lines in old]
    return max(scored, key=lambda entry: entry[0])[1] if scored else None


def _broken_like(old_lines: list[str], paragraph: str) -> list[str]:
    """``paragraph`` broken into lines where the old paragraph's lines broke, where that can be found."""
    old = " ".join(old_lines)
    breaks = []
    position = 0
    for line in old_lines[:-1]:
        position += len(line)
        breaks.append(position)  # the space that joins this line to the next
        position += 1
    blocks = difflib.SequenceMatcher(None, old, paragraph, autojunk=False).get_matching_blocks()
    cuts: list[int] = []
    for at in breaks:
        mapped = next((b + at - a for a, b, size in blocks if a <= at < a + size), None)
        if (
            mapped is not None
            and paragraph[mapped] == " "
            and 0 < mapped < len(paragraph) - 1
            and paragraph[mapped - 1] != " "
            and paragraph[mapped + 1] not in " \t"
            and (not cuts or mapped > cuts[-1])
        ):
            cuts.append(mapped)
    lines = []
    start = 0
    for cut in cuts:
        lines.append(paragraph[start:cut])
        start = cut + 1
    lines.append(paragraph[start:])
    return lines


def path_in_file(locations: dict[Path_, tuple[Any, ...]], path: Path_, file: Any) -> Path_:
    """The part of a value's path inside its own file (below the include that brought the file in).

    ``locations`` are the loader's places of values (``RawConcept.locations``).
    """
    for length in range(len(path) + 1):
        location = locations.get(path[:length])
        if location is not None and location[0] == file:
            return path[length:]
    return path
