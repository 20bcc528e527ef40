"""Compact XML for test fixtures, after python-docx's ``cxml``: a Word fragment in one line.

    element('w:p/(w:pPr/w:pStyle{w:val=Heading1},w:r/w:t"Ziele")')

``/`` makes the next element a child, ``(a,b)`` lists several children,
``{name=value,…}`` gives attributes and ``"text"`` the text. Prefixes are
Word's usual ones and are declared on the root.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
}
_TOKEN = re.compile(r'\s*(?:(?P<name>[\w:]+)|(?P<attrs>\{[^}]*\})|(?P<text>"[^"]*")|(?P<punct>[/(),]))')


def xml(compact: str, *, declare: bool = True) -> str:
    """The XML text of ``compact`` as lxml would write it; ``declare`` puts the namespaces on the root."""
    tokens = [match for match in _TOKEN.finditer(compact) if match.group(0).strip()]
    parser = _Parser(tokens)
    nodes = parser.siblings()
    if parser.position != len(tokens):
        raise ValueError(f"cannot read compact XML {compact!r} at token {parser.position}")
    text = "".join(nodes)
    if not declare:
        return text
    declarations = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
    return re.sub(r"^<([\w:]+)", lambda m: f"<{m.group(1)} {declarations}", text, count=1)


def element(compact: str) -> Any:
    """The lxml element of ``compact``."""
    return etree.fromstring(xml(compact))


class _Parser:
    def __init__(self, tokens: list[re.Match[str]]) -> None:
        self.tokens = tokens
        self.position = 0

    def peek(self, kind: str) -> str | None:
        if self.position < len(self.tokens):
            return self.tokens[self.position].group(kind)
        return None

    def take(self, kind: str) -> str | None:
        value = self.peek(kind)
        if value is not None:
            self.position += 1
        return value

    def siblings(self) -> list[str]:
        nodes = [self.node()]
        while self.peek("punct") == ",":
            self.take("punct")
            nodes.append(self.node())
        return nodes

    def node(self) -> str:
        if self.peek("punct") == "(":
            self.take("punct")
            nodes = self.siblings()
            if self.take("punct") != ")":
                raise ValueError("missing ')'")
            return "".join(nodes)
        name = self.take("name")
        if name is None:
            raise ValueError(f"expected an element name at token {self.position}")
        attributes = ""
        raw = self.take("attrs")
        if raw:
            pairs = [pair.split("=", 1) for pair in raw[1:-1].split(",") if pair]
            attributes = "".join(f' {key.strip()}="{value.strip()}"' for key, value in pairs)
        text = self.take("text")
        content = text[1:-1] if text else ""
        if self.peek("punct") == "/":
            self.take("punct")
            content += self.node()
        if not content:
            return f"<{name}{attributes}/>"
        return f"<{name}{attributes}>{content}</{name}>"
