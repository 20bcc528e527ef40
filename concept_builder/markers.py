"""Invisible markers that tell which input value each piece of a document's text comes from.

Every value the document prints unchanged from the inputs is enclosed in a
hidden bookmark named after the value's source (``sources.marker_name``):
``_cb`` and ten letters of a hash of the value's path, and ``_2``, ``_3`` …
where the same value is printed again. Bookmarks were chosen over content
controls because Word and LibreOffice both keep them through editing,
tracked changes and saving (LibreOffice 7.4 drops the tags of content
controls), they leave no trace in the PDF (no form fields, no tags), and they
cost about 80 bytes each. Free text of several paragraphs gets a marker in
each paragraph, all named after the same source.

While rendering, a marked value is enclosed in characters no input can hold
raw – Unicode noncharacters, which ``word.escape_text`` writes as character
references – with the marker's name: ``U+FDD0 name U+FDD1 text U+FDD2``.
Once the body is rendered, ``place_markers`` turns them into bookmarks,
splitting the template's run where the value sits inside other text, with
the run's formatting on each piece. This works on the body's bytes with
regular expressions, as the other post-passes do: the markers sit inside
``w:t`` text, whose enclosing run has the fixed form ``<w:r …>…</w:r>``.
A marker anywhere else (an attribute, a field code) is dropped.

The document also records, in its custom properties, a digest of its inputs,
the variant it is and the concept it shows (title and district), so that
``review`` can tell whether the inputs changed since it was built, and
whether it is being read against another concept's inputs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree
from markupsafe import Markup

from .sources import source_of, spans_of
from .word import keeps_spaces

START = "\ufdd0"
NAMED = "\ufdd1"
END = "\ufdd2"

_START = START.encode()
_SENTINEL = re.compile(
    rb"%s([A-Za-z0-9_]{1,40})%s|%s" % (re.escape(_START), re.escape(NAMED.encode()), re.escape(END.encode()))
)
_STRAY = re.compile(rb"\xef\xb7[\x90-\x92]")  # U+FDD0 … U+FDD2 in UTF-8
_BOOKMARK_ID = re.compile(rb'<w:bookmarkStart\b[^>]*\bw:id="(\d+)"')
_RUN_OPEN = re.compile(rb"<w:r(?: [^>]*)?>")
_FIRST_TEXT = re.compile(r"<w:t(?: [^>]*)?>")
_EMPTY_TEXT = re.compile(rb"<w:t(?: [^>]*)?></w:t>")
_TEXT = re.compile(rb"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_PRESERVED = b'<w:t xml:space="preserve">'
_TEXT_OPENINGS = (b"<w:t>", _PRESERVED)  # how a text element opens in a run cut from nothing

# The custom document properties that record how a document was built
PROPERTY_INPUTS = "concept-builder inputs"
PROPERTY_VARIANT = "concept-builder variant"
PROPERTY_FOR = "concept-builder for"
PROPERTY_CONCEPT = "concept-builder concept"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_PROPERTY_FORMAT = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the id Word gives user-defined properties
MAX_PROPERTY = 255  # characters Word keeps in a document property


def around_text(xml: str, source: str | None) -> str:
    """Escaped text for inside a ``w:t``, enclosed in the marker of ``source``."""
    return f"{START}{source}{NAMED}{xml}{END}" if source else xml


def marked_text(text: str, escape: Callable[[str], str]) -> str | None:
    """``text`` escaped for inside a ``w:t`` (by ``escape``), each value from the inputs in it
    enclosed in its marker; None for text with no value from the inputs.

    Text put together from several values (``A und B``) gets a marker per value,
    the words between them stay outside (``sources.assembled``).
    """
    source = source_of(text)
    if source:  # most values are printed whole
        return around_text(escape(text), source) if text else None
    spans = spans_of(text)
    if not spans:
        return None
    pieces = []
    position = 0
    for start, end, source in spans:
        if start < position:  # not expected: spans come in order and apart
            continue
        if start > position:
            pieces.append(escape(text[position:start]))
        pieces.append(around_text(escape(text[start:end]), source))
        position = end
    if position < len(text):
        pieces.append(escape(text[position:]))
    return "".join(pieces)


def around_markup(markup: Markup, source: str | None) -> Markup:
    """Prepared runs, or each of prepared paragraphs, enclosed in the marker of ``source``.

    Each paragraph gets a marker of its own: LibreOffice 7.4 writes a bookmark
    that spans paragraphs with a second start and no end of the first.
    """
    if not source:
        return markup
    xml = str(markup)
    if xml.startswith("<w:p>") or xml.startswith("<w:p "):
        return Markup(
            "".join(_around(paragraph + "</w:p>", source) for paragraph in xml.split("</w:p>")[:-1])
        )
    return Markup(_around(xml, source))


def _around(xml: str, source: str) -> str:
    first = _FIRST_TEXT.search(xml)
    last = xml.rfind("</w:t>")
    if first is None or last < first.end():
        return xml
    return xml[: first.end()] + START + source + NAMED + xml[first.end() : last] + END + xml[last:]


def place_markers(body: bytes) -> bytes:
    """Turn the markers in a rendered body into bookmarks (see the module's description).

    Two passes over the sentinels, for the hundred thousand values of a large
    concept: the first finds each one's run and pairs starts with ends, the
    second cuts the runs and names the bookmarks in document order.
    """
    if _START not in body:
        return body
    starts, ends, names, runs, partners = _sentinels(body)
    next_id = max((int(i) for i in _BOOKMARK_ID.findall(body)), default=0) + 1
    seen: dict[bytes, int] = {}
    closing: dict[int, int] = {}  # index of an end → the id of its bookmark
    view = memoryview(body)  # the text between the runs is joined in without a copy of its own
    pieces: list[bytes | memoryview] = []
    position = 0
    index = 0
    count = len(starts)
    while index < count:
        run = runs[index]
        if run is None:  # not in a run's text: drop the sentinel
            pieces.append(view[position : starts[index]])
            position = ends[index]
            index += 1
            continue
        run_start, run_end = run
        first = index
        bookmarks: list[bytes] = []
        while index < count and starts[index] < run_end:
            name = names[index]
            if name is not None and partners[index] >= 0:  # a start with its end: a bookmark
                number = seen[name] = seen.get(name, 0) + 1
                if number > 1:
                    name += b"_%d" % number
                closing[partners[index]] = next_id
                bookmarks.append(b'<w:bookmarkStart w:id="%d" w:name="%s"/>' % (next_id, name))
                next_id += 1
            elif name is None and index in closing:
                bookmarks.append(b'<w:bookmarkEnd w:id="%d"/>' % closing.pop(index))
            else:  # unmatched: dropped
                bookmarks.append(b"")
            index += 1
        cut = _split_run(body, run_start, run_end, starts, ends, first, bookmarks)
        pieces += [view[position:run_start], cut]
        position = run_end
    pieces.append(view[position:])
    placed = b"".join(pieces)
    del pieces, view
    return _STRAY.sub(b"", placed)


def _sentinels(
    body: bytes,
) -> tuple[list[int], list[int], list[bytes | None], list[tuple[int, int] | None], list[int]]:
    """Each sentinel's start and end, its marker name (None at an end), the run whose text holds it
    (None outside run text) and, for a start, the index of its end (-1: none)."""
    starts: list[int] = []
    ends: list[int] = []
    names: list[bytes | None] = []
    runs: list[tuple[int, int] | None] = []
    partners: list[int] = []
    open_starts: list[int] = []
    previous: tuple[int, int] | None = None
    after = 0  # where the previous sentinel ends
    find = body.find
    for match in _SENTINEL.finditer(body):
        start, end = match.span()
        if previous is not None and start < previous[1] and find(b"<", after, start) < 0:
            run: tuple[int, int] | None = previous  # in the same text as the sentinel before
        else:
            run = previous = _enclosing_run(body, start)
        after = end
        name = match.group(1)
        index = len(starts)
        starts.append(start)
        ends.append(end)
        names.append(name)
        runs.append(run)
        partners.append(-1)
        if run is None:
            continue
        if name is not None:
            open_starts.append(index)
        elif open_starts:
            partners[open_starts.pop()] = index
    return starts, ends, names, runs, partners


def _enclosing_run(body: bytes, position: int) -> tuple[int, int] | None:
    """The run whose text holds ``position`` (start, end), or None where it is not run text."""
    tag = body.rfind(b"<", 0, position)
    if not (body.startswith(b"<w:t>", tag) or body.startswith(b"<w:t ", tag)):
        return None
    start = _run_start(body, tag)
    end = body.find(b"</w:r>", position)
    if start < 0 or end < 0 or body.rfind(b"</w:r>", start, tag) >= 0:
        return None
    return start, end + len(b"</w:r>")


def _run_start(body: bytes, before: int) -> int:
    """Where the last run opened before ``before`` starts, or -1.

    The nearest ``<w:r`` is found first and skipped while it is a run's
    property (``<w:rPr>``, ``<w:rFonts …>``): a search for ``<w:r>`` and
    ``<w:r `` alone would scan the whole body back where no run has attributes.
    """
    while (before := body.rfind(b"<w:r", 0, before)) >= 0:
        if body[before + 4 : before + 5] in (b">", b" "):
            return before
    return -1


def _split_run(
    body: bytes, start: int, end: int, starts: list[int], ends: list[int], first: int, bookmarks: list[bytes]
) -> bytes:
    """The run cut at each of its sentinels (from index ``first``) into runs of the same formatting,
    the bookmarks between them."""
    opening = _RUN_OPEN.match(body, start)
    assert opening is not None
    content_start = opening.end()
    if body.startswith(b"<w:rPr>", content_start):
        content_start = body.index(b"</w:rPr>", content_start) + len(b"</w:rPr>")
    head = body[start:content_start]
    content_end = end - len(b"</w:r>")
    last = first + len(bookmarks) - 1
    if (
        len(bookmarks) == 2
        and body[content_start : starts[first]] in _TEXT_OPENINGS
        and body.startswith(b"</w:t>", ends[last])
        and ends[last] + len(b"</w:t>") == content_end
        and ends[first] < starts[last]
        and body.find(b"<", ends[first], starts[last]) < 0
    ):  # most values: the whole text of their run, cut from nothing
        text = body[ends[first] : starts[last]]
        return b"%s%s%s%s</w:t></w:r>%s" % (bookmarks[0], head, _opening(text), text, bookmarks[1])
    # the text between two cuts: each piece after a cut continues in a newly opened w:t
    result: list[bytes] = []
    position = content_start
    prefix = b""
    for index, bookmark in enumerate(bookmarks, first):
        result += [_run(head, prefix + body[position : starts[index]] + b"</w:t>"), bookmark]
        prefix = _PRESERVED
        position = ends[index]
    result.append(_run(head, prefix + body[position:content_end]))
    return b"".join(result)


def _run(head: bytes, content: bytes) -> bytes:
    """A run of ``content`` with the formatting ``head``; nothing where it would be empty.

    Each text keeps its spaces where it has some to keep (``_opening``): a
    piece cut from a template's text may end in one ("Ziel 1.3 ").
    """
    if b"></w:t>" in content and not _EMPTY_TEXT.sub(b"", content):  # only empty text: a piece at a cut
        return b""
    return head + _TEXT.sub(_with_opening, content) + b"</w:r>"


def _with_opening(match: re.Match[bytes]) -> bytes:
    text = match.group(1)
    return b"%s%s</w:t>" % (_opening(text), text)


def _opening(text: bytes) -> bytes:
    """How a text element holding ``text`` (escaped XML, whose references hold no spaces) opens:
    saying that it keeps its spaces only where it has some to keep, as for text not cut by a marker."""
    return _PRESERVED if keeps_spaces(text.decode("utf-8")) else b"<w:t>"


# --- what the document records about its build ------------------------------------------------


def build_record(concept: Any, variant: str, for_name: str) -> dict[str, str]:
    """What a document records about its build: the digest of its inputs, its variant and selection,
    the concept's title and district."""
    digest = getattr(concept, "inputs_digest", None)
    if not digest:
        return {}  # a concept made in code, not loaded from files: nothing to review against
    meta = concept.meta
    record = {
        PROPERTY_INPUTS: digest,
        PROPERTY_VARIANT: variant,
        PROPERTY_CONCEPT: concept_identity(meta.title, meta.district),
    }
    if for_name:
        record[PROPERTY_FOR] = for_name
    return record


def concept_identity(title: object, district: object) -> str:
    """What names a concept in its documents: ``Integrationskonzept – Landkreis Goslar``."""
    return f"{str(title).strip()} – {str(district).strip()}"[:MAX_PROPERTY]


def custom_properties(existing: bytes | None, values: dict[str, str]) -> bytes:
    """The custom properties part with ``values`` set (text), keeping the other properties there are."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root: etree._Element | None = None
    if existing:
        try:
            root = etree.fromstring(existing, parser)
        except etree.XMLSyntaxError:
            root = None
    if root is None or root.tag != f"{{{_CUSTOM_NS}}}Properties":
        namespaces: Any = {None: _CUSTOM_NS, "vt": _VT_NS}
        root = etree.Element(f"{{{_CUSTOM_NS}}}Properties", nsmap=namespaces)
    properties = root.findall(f"{{{_CUSTOM_NS}}}property")
    for prop in properties:
        if prop.get("name") in values:
            root.remove(prop)
    used = [
        int(str(p.get("pid")))
        for p in root.findall(f"{{{_CUSTOM_NS}}}property")
        if p.get("pid", "").isdigit()
    ]
    pid = max([1, *used]) + 1  # ids start at 2
    for name, value in values.items():
        prop = etree.SubElement(root, f"{{{_CUSTOM_NS}}}property")
        prop.set("fmtid", _PROPERTY_FORMAT)
        prop.set("pid", str(pid))
        prop.set("name", name)
        etree.SubElement(prop, f"{{{_VT_NS}}}lpwstr").text = value[:MAX_PROPERTY]
        pid += 1
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def read_custom_properties(data: bytes) -> dict[str, str]:
    """The text properties of a custom properties part, by name."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return {}
    found = {}
    for prop in root.findall(f"{{{_CUSTOM_NS}}}property"):
        name = prop.get("name")
        if name:
            found[str(name)] = "".join(str(text) for text in prop.itertext())
    return found
