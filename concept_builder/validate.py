"""Stage 2: turn loaded data into a typed ``Concept`` and check it as a whole.

Schema errors come from pydantic; this module maps each back to FILE:LINE
and adds what a schema cannot say: duplicate ids, references to ids that do
not exist, and gaps a draft may still have (warnings).
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .errors import InputError, Problem
from .load import Path_, RawConcept, dotted, load_raw
from .markdown import REFERENCE, SAFE_SCHEMES, link_targets
from .model import MARKDOWN, Concept

_DATE_HINT = "write dates as YYYY-MM-DD, e.g. 2018-11-30, or as 30.11.2018"


@dataclass
class Report:
    """The outcome of validating an input folder."""

    folder: Path
    concept: Concept | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def concept_or_raise(self) -> Concept:
        """The concept, or ``InputError`` listing every problem."""
        if self.errors or self.concept is None:
            raise InputError(self.problems)
        return self.concept


def validate_folder(folder: str | Path) -> Report:
    """Load and validate an input folder, collecting every problem."""
    raw = load_raw(folder)
    report = Report(folder=Path(folder), concept=None, problems=list(raw.problems))
    if raw.data is None and raw.problems:
        return report
    if not isinstance(raw.data, dict):
        report.problems.append(
            Problem(raw.location(()), "", "concept.yaml must hold a mapping of fields", "start with meta:")
        )
        return report
    report.problems.extend(_reference_problems(raw))
    report.problems.extend(_free_text_problems(raw))
    try:
        concept = Concept.model_validate(raw.data)
    except ValidationError as exc:
        for error in exc.errors():
            schema_problem = _schema_problem(raw, error)
            if schema_problem is not None:
                report.problems.append(schema_problem)
    else:
        report.problems.extend(_file_problems(raw, concept))
        report.problems.extend(_consent_problems(raw, concept))
        concept._folder = raw.folder
        report.concept = concept
    report.problems.sort(key=_sort_key)
    return report


def load_concept(folder: str | Path) -> Concept:
    """Load, validate and return the concept in ``folder``; raise ``InputError`` if it is invalid."""
    return validate_folder(folder).concept_or_raise()


def _sort_key(problem: Problem) -> tuple[str, int]:
    location = problem.location
    return (str(location.file), location.line or 0) if location else ("", 0)


# --- schema errors -------------------------------------------------------------


def _schema_problem(raw: RawConcept, error: ErrorDetails) -> Problem | None:
    path: Path_ = tuple(part for part in error["loc"] if isinstance(part, (str, int)))
    # pydantic names the union branch or validator in the path; drop what is not data
    path = tuple(part for part in path if not (isinstance(part, str) and "[" in part))
    if any(path[:n] in raw.failed for n in range(len(path) + 1)):
        return None  # the loader has reported this value already
    kind = error["type"]
    message, hint = error["msg"], None
    if kind == "missing":
        message = "is required but missing"
        location = raw.location(path[:-1])
    else:
        location = raw.location(path)
    if kind == "extra_forbidden":
        message = "is not a known field"
        known = _fields_at(path[:-1])
        match = difflib.get_close_matches(str(path[-1]), known, n=1, cutoff=0.6)
        hint = f"did you mean '{match[0]}'?" if match else f"known fields: {', '.join(known)}"
    elif kind == "literal_error":
        expected = _literal_values(path)
        message = f"{error['input']!r} is not one of {', '.join(repr(v) for v in expected)}"
        match = difflib.get_close_matches(str(error["input"]), expected, n=1, cutoff=0.5)
        hint = f"did you mean '{match[0]}'?" if match else None
    elif kind.startswith("date"):
        message = f"{raw.value(path)!r} is not a valid date"
        hint = _DATE_HINT
    elif kind in {"int_parsing", "float_parsing", "int_from_float"}:
        message = f"{error['input']!r} is not a number"
        hint = "write digits only, e.g. 70; put words like 'rund' in another field"
    elif kind == "value_error":
        message = message.removeprefix("Value error, ")
    elif kind == "string_type" and isinstance(error["input"], (dict, list)):
        message = "should be text, not a " + ("list" if isinstance(error["input"], list) else "mapping")
    elif kind == "string_pattern_mismatch":
        message = f"{error['input']!r} is not a valid id"
        hint = "use letters, digits, - _ . and start with a letter or digit"
    elif kind == "too_short" and isinstance(error["input"], list):
        message = "needs at least one entry"
    elif kind == "string_too_short":
        message = "must not be empty"
    elif kind in {"dict_type", "model_type", "model_attributes_type"}:
        message = "should be a mapping of fields"
    elif kind == "list_type":
        message = "should be a list (one '- ' line per entry)"
    return Problem(location, dotted(path), message, hint)


def _unwrap(annotation: Any) -> Iterator[Any]:
    """The classes inside ``X | None``, ``list[X]``, ``Annotated[X, ...]``."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _unwrap(typing.get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType, list):
        for arg in typing.get_args(annotation):
            yield from _unwrap(arg)
    else:
        yield annotation


def _annotation_at(path: Path_) -> Any:
    annotation: Any = Concept
    for part in path:
        if isinstance(part, int):
            continue
        models = [a for a in _unwrap(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
        if not models or part not in models[0].model_fields:
            return None
        annotation = models[0].model_fields[part].annotation
    return annotation


def _fields_at(path: Path_) -> list[str]:
    for candidate in _unwrap(_annotation_at(path)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return list(candidate.model_fields)
    return []


def _literal_values(path: Path_) -> list[str]:
    values: list[str] = []
    for candidate in _unwrap(_annotation_at(path)):
        if typing.get_origin(candidate) is typing.Literal:
            values.extend(str(v) for v in typing.get_args(candidate))
    return values


# --- references between parts ----------------------------------------------------
#
# These checks read the loaded data rather than the typed concept, so that they
# run – and report – even where other parts of the inputs failed the schema.


def _entries(data: Any, *keys: str) -> list[tuple[int, dict[str, Any]]]:
    """The mappings in the list at ``data[key1][key2]…``, with their positions."""
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    if not isinstance(data, list):
        return []
    return [(index, item) for index, item in enumerate(data) if isinstance(item, dict)]


def _refs(item: dict[str, Any], key: str) -> list[tuple[int, str]]:
    values = item.get(key)
    if not isinstance(values, list):
        return []
    return [(index, value) for index, value in enumerate(values) if isinstance(value, str)]


def _reference_problems(raw: RawConcept) -> Iterator[Problem]:
    data = raw.data

    def problem(path: Path_, message: str, hint: str | None = None, severity: str = "error") -> Problem:
        return Problem(raw.location(path), dotted(path), message, hint, severity)  # type: ignore[arg-type]

    def unknown(path: Path_, ref: str, kind: str, known: Iterable[Any]) -> Problem:
        candidates = [k for k in known if isinstance(k, str)]
        match = difflib.get_close_matches(ref, candidates, n=1, cutoff=0.6)
        hint = f"did you mean '{match[0]}'?" if match else f"no {kind} has this id"
        return problem(path, f"refers to {kind} {ref!r}, which does not exist", hint)

    owners: dict[str, Path_] = {}
    for path, identifier in _ids(data):
        if identifier in owners:
            first = raw.location(owners[identifier])
            yield problem(
                path, f"id {identifier!r} is used twice (first at {first})", "every id must be unique"
            )
        else:
            owners[identifier] = path

    themes = _entries(data, "themes")
    theme_ids = {t.get("id") for _, t in themes}
    event_ids = {e.get("id") for _, e in _entries(data, "process", "events")}
    cross = {c.get("id") for _, c in _entries(data, "cross_cutting_themes")}
    goal_theme = {g.get("id"): t.get("id") for _, t in themes for _, g in _entries(t, "goals")}

    served: set[str] = set()
    for t_index, theme in themes:
        base: Path_ = ("themes", t_index)
        goals = _entries(theme, "goals")
        for index, ref in _refs(theme, "cross_cutting"):
            if ref not in cross:
                yield unknown(base + ("cross_cutting", index), ref, "cross-cutting theme", cross)
        for g_index, goal in goals:
            parent = goal.get("parent")
            if isinstance(parent, str) and goal_theme.get(parent) != theme.get("id"):
                ids = [g.get("id") for _, g in goals if isinstance(g.get("id"), str)]
                yield unknown(base + ("goals", g_index, "parent"), parent, "goal of this theme", ids)
        for m_index, measure in _entries(theme, "measures"):
            m_path = base + ("measures", m_index)
            for index, ref in _refs(measure, "goals"):
                if ref not in goal_theme:
                    yield unknown(m_path + ("goals", index), ref, "goal", goal_theme)
                elif index == 0 and goal_theme[ref] != theme.get("id"):
                    yield problem(
                        m_path + ("goals", 0),
                        f"the first goal {ref!r} belongs to another theme",
                        "list a goal of this theme first: it gives the measure its number",
                    )
                served.add(ref)
            for index, ref in _refs(measure, "cross_cutting"):
                if ref not in cross:
                    yield unknown(m_path + ("cross_cutting", index), ref, "cross-cutting theme", cross)
        if not goals:
            yield problem(base, f"theme {theme.get('id')!r} has no goals yet", severity="warning")
    for t_index, theme in themes:
        goals = _entries(theme, "goals")
        parents = {g.get("parent") for _, g in goals}
        for g_index, goal in goals:
            if goal.get("id") not in served and goal.get("id") not in parents:
                yield problem(
                    ("themes", t_index, "goals", g_index),
                    f"goal {goal.get('id')!r} has no measures yet",
                    "add a measure whose goals list this id",
                    "warning",
                )
    for q_index, quote in _entries(data, "quotes"):
        for index, ref in _refs(quote, "themes"):
            if ref not in theme_ids:
                yield unknown(("quotes", q_index, "themes", index), ref, "theme", theme_ids)
        event = quote.get("event")
        if isinstance(event, str) and event not in event_ids:
            yield unknown(("quotes", q_index, "event"), event, "event", event_ids)
    for e_index, event in _entries(data, "process", "events"):
        for r_index, result in _entries(event, "results"):
            theme_ref = result.get("theme")
            if isinstance(theme_ref, str) and theme_ref not in theme_ids:
                path = ("process", "events", e_index, "results", r_index, "theme")
                yield unknown(path, theme_ref, "theme", theme_ids)


def _free_text_problems(raw: RawConcept) -> Iterator[Problem]:
    """``[[id]]`` references must name a theme, goal or measure; links must be web or mail links."""
    referable: list[str] = []
    for _, theme in _entries(raw.data, "themes"):
        for item in (
            [theme] + [g for _, g in _entries(theme, "goals")] + [m for _, m in _entries(theme, "measures")]
        ):
            if isinstance(item.get("id"), str):
                referable.append(item["id"])
    known = set(referable)
    for path, text in _strings(raw.data, ()):
        if "[" not in text or not _is_markdown(path):
            continue
        for ref in REFERENCE.findall(text):
            if ref not in known:
                match = difflib.get_close_matches(ref, referable, n=1, cutoff=0.6)
                hint = f"did you mean '{match[0]}'?" if match else "[[id]] refers to a theme, goal or measure"
                yield Problem(
                    raw.location(path), dotted(path), f"[[{ref}]] refers to an id that does not exist", hint
                )
        for target in link_targets(text):
            if not target.startswith(SAFE_SCHEMES):
                yield Problem(
                    raw.location(path),
                    dotted(path),
                    f"the link target {target!r} is not allowed",
                    "links must start with https://, http:// or mailto:",
                )


def _strings(data: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, path + (index,))


def _is_markdown(path: Path_) -> bool:
    """Whether the schema declares the field at ``path`` as Markdown free text."""
    fields = [part for part in path if isinstance(part, str)]
    if not fields:
        return False
    owner = _annotation_at(tuple(fields[:-1]))
    for model in _unwrap(owner):
        if isinstance(model, type) and issubclass(model, BaseModel) and fields[-1] in model.model_fields:
            info = model.model_fields[fields[-1]]
            return MARKDOWN in info.metadata or _mentions_markdown(info.annotation)
    return False


def _mentions_markdown(annotation: Any) -> bool:
    if typing.get_origin(annotation) is typing.Annotated and MARKDOWN in typing.get_args(annotation)[1:]:
        return True
    return any(_mentions_markdown(arg) for arg in typing.get_args(annotation))


def _ids(data: Any) -> Iterator[tuple[Path_, str]]:
    lists: list[tuple[Path_, list[tuple[int, dict[str, Any]]]]] = [
        (("cross_cutting_themes",), _entries(data, "cross_cutting_themes")),
        (("process", "events"), _entries(data, "process", "events")),
    ]
    for t_index, theme in _entries(data, "themes"):
        lists.append((("themes",), [(t_index, theme)]))
        lists.append((("themes", t_index, "goals"), _entries(theme, "goals")))
        lists.append((("themes", t_index, "measures"), _entries(theme, "measures")))
    lists.append((("quotes",), _entries(data, "quotes")))
    lists.append((("sources",), _entries(data, "sources")))
    for base, entries in lists:
        for index, item in entries:
            if isinstance(item.get("id"), str):
                yield base + (index, "id"), item["id"]


def _consent_problems(raw: RawConcept, concept: Concept) -> Iterator[Problem]:
    """Quotes without consent appear in drafts only; say which ones a final build leaves out."""
    if concept.meta.is_draft:
        return
    for index, quote in enumerate(concept.quotes):
        if not quote.consent:
            path: Path_ = ("quotes", index, "consent")
            yield Problem(
                raw.location(path),
                dotted(path),
                f"quote {quote.id!r} by {quote.person} is left out: no consent to publication",
                "set consent: true once the person has agreed",
                "warning",
            )


# --- files ---------------------------------------------------------------------------

IMAGE_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
OTHER_FORMATS = {
    b"GIF8": "GIF",
    b"BM": "BMP",
    b"RIFF": "WebP",
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
    b"<": "SVG",
}
MAX_IMAGE_BYTES = 20_000_000


def _file_problems(raw: RawConcept, concept: Concept) -> Iterator[Problem]:
    """Images must be readable PNG or JPEG files inside the input folder; their content is kept."""
    root = raw.folder.resolve()
    for index, logo in enumerate(concept.meta.logos):
        path: Path_ = ("meta", "logos", index, "file")
        image = _read_image(root, raw.folder / logo.file, logo.file)
        if isinstance(image, bytes):
            concept._images[logo.file] = image
        else:
            yield Problem(raw.location(path), dotted(path), *image)


def _read_image(root: Path, file: Path, written: str) -> bytes | tuple[str, str]:
    """The bytes of a PNG or JPEG image inside ``root``, or what is wrong with it and a hint."""
    target = file.resolve()  # follows symlinks: a link leading out is outside
    if Path(written).is_absolute() or not target.is_relative_to(root):
        return f"{written!r} lies outside the input folder", "copy the image into the folder of concept.yaml"
    if not target.is_file():
        return f"image {written!r} not found", "paths are relative to the folder of concept.yaml"
    size = target.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return (
            f"{written!r} is too large ({size // 1_000_000} MB)",
            "save a smaller PNG or JPEG, at most 20 MB",
        )
    data = target.read_bytes()
    if not any(data.startswith(signature) for signature in IMAGE_SIGNATURES):
        kind = next(
            (name for signature, name in OTHER_FORMATS.items() if data[:16].lstrip().startswith(signature)),
            None,
        )
        found = f"a {kind} image" if kind else "not a PNG or JPEG image"
        return f"{written!r} is {found}", "save the logo as PNG"
    from docx.image.image import Image

    try:
        Image.from_blob(data)
    except Exception:  # python-docx raises several types for a damaged image
        return f"{written!r} is damaged and cannot be read", "export the image again as PNG"
    return data
