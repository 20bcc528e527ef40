"""Stage 2: turn loaded data into a typed ``Concept`` and check it as a whole.

Schema errors come from pydantic; this module maps each back to FILE:LINE
and adds what a schema cannot say: duplicate ids, references to ids that do
not exist, and gaps a draft may still have (warnings).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from .errors import InputError, Location, Problem, counted
from .id_references import free_text_problems, reference_problems
from .load import Path_, RawConcept, dotted, load_raw
from .load.raw import not_a_file, resolved
from .load.yaml_files import LINK_LOOP_HINT
from .model import CONCEPT_STATUSES, ID_PATTERN, Concept, Flag
from .schema import fields_at, literal_values
from .sources import inputs_digest, mark_sources
from .spreadsheet import APPROXIMATE, COLUMNS
from .word import is_file_name

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
    try:
        _validate(raw, report)
    finally:
        report.problems = _readable(raw, report.problems)
    return report


def _validate(raw: RawConcept, report: Report) -> None:
    if not isinstance(raw.data, dict):
        report.problems.append(
            Problem(raw.location(()), "", "concept.yaml must hold a mapping of fields", "start with meta:")
        )
        return
    report.problems.extend(reference_problems(raw))
    report.problems.extend(free_text_problems(raw))
    report.problems.extend(_consent_problems(raw))  # said also where another part fails
    try:
        concept = Concept.model_validate(raw.data)
    except ValidationError as exc:
        for error in exc.errors():
            schema_problem = _schema_problem(raw, error)
            if schema_problem is not None:
                report.problems.append(schema_problem)
    else:
        report.problems.extend(_file_problems(raw, concept))
        concept._folder = raw.folder
        concept._inputs_digest = inputs_digest(raw.folder, raw.files)
        named = [logo.file for logo in concept.meta.logos] + [concept.reference_doc or ""]
        concept._input_files = (*raw.files, *(raw.folder / name for name in named if name))
        mark_sources(concept)
        report.concept = concept


def load_concept(folder: str | Path) -> Concept:
    """Load, validate and return the concept in ``folder``; raise ``InputError`` if it is invalid."""
    return validate_folder(folder).concept_or_raise()


def _readable(raw: RawConcept, problems: list[Problem]) -> list[Problem]:
    """Problems as people read them: what the loader found first (a file that cannot be read is
    the root of what follows), references to ids of such a file folded into its problem, then the
    rest in file order; items named by their ids (``themes[wohnen].measures[wohnen-m1]``).
    """
    loaded = {id(p) for p in raw.problems}
    follow_ons = dict(raw.follow_ons)
    ranked = []
    for problem in problems:
        rank = 0 if id(problem) in loaded else 1
        if problem.path is not None:
            problem = replace(problem, field=raw.named(problem.path))
        if rank == 0 and problem.severity == "error" and problem.location in follow_ons:
            refs = follow_ons.pop(problem.location)
            ids = list(dict.fromkeys(refs))
            shown = ", ".join(repr(ref) for ref in ids[:3]) + (" …" if len(ids) > 3 else "")
            if problem.location == raw.unknown_ids_lost_at:
                consequence = (
                    f"{counted(len(refs), 'reference')} to ids that do not exist ({shown})"
                    " may be to ids of that file"
                )
            else:
                fail = "fails" if len(refs) == 1 else "fail"
                consequence = (
                    f"{counted(len(refs), 'reference')} to its ids ({shown}) {fail} until it can be read"
                )
            problem = replace(problem, hint=f"{problem.hint}; {consequence}" if problem.hint else consequence)
        ranked.append((rank, _place(problem), problem))
    ranked.sort(key=lambda entry: (entry[0], entry[1]))
    return [problem for _, _, problem in ranked]


def _place(problem: Problem) -> tuple[str, int, tuple[str, int, int]]:
    location = problem.location
    if location is None:
        return ("", 0, ("", 0, 0))
    return (str(location.file), location.line or 0, _cell_order(location.cell or ""))


_CELL = re.compile(r"^(?P<sheet>.*)!(?P<column>[A-Z]+)(?P<row>\d+)$")


def _cell_order(cell: str) -> tuple[str, int, int]:
    """``Maßnahmen!S5`` before ``Maßnahmen!S13``: by sheet, row, then column (A … Z, AA …)."""
    match = _CELL.match(cell)
    if match is None:
        return (cell, 0, 0)
    column = 0
    for letter in match["column"]:
        column = column * 26 + ord(letter) - ord("A") + 1
    return (match["sheet"], int(match["row"]), column)


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
        blank = raw.blanks.get(path)  # a workbook's empty cell
        location = Location(*blank) if blank else raw.location(path[:-1])
    else:
        location = raw.location(path)
    if kind == "extra_forbidden":
        message = "is not a known field"
        known = fields_at(path[:-1])
        match = difflib.get_close_matches(str(path[-1]), known, n=1, cutoff=0.6)
        hint = f"did you mean '{match[0]}'?" if match else f"known fields: {', '.join(known)}"
    elif kind == "literal_error":
        expected = literal_values(path)
        message = f"{error['input']!r} is not one of {', '.join(repr(v) for v in expected)}"
        match = difflib.get_close_matches(str(error["input"]), expected, n=1, cutoff=0.5)
        hint = f"did you mean '{match[0]}'?" if match else None
    elif kind.startswith("date"):
        message = f"{raw.value(path)!r} is not a valid date"
        hint = _DATE_HINT
    elif kind in {"int_parsing", "float_parsing", "int_from_float"}:
        message = f"{error['input']!r} is not a number"
        hint = "write digits only, e.g. 70; put words like 'rund' in another field"
    elif kind == "invalid_value":  # our own validators: what was typed, and what to write
        context = error.get("ctx") or {}
        message, hint = str(context.get("message", message)), str(context.get("hint") or "") or None
        if context.get("write"):
            written = _what_to_write(raw, context["write"], path, location)
            hint = f"{written}; {hint}" if hint else written
    elif kind == "value_error":
        message = message.removeprefix("Value error, ")
    elif kind == "string_type" and isinstance(error["input"], (dict, list)):
        message = "should be text, not a " + ("list" if isinstance(error["input"], list) else "mapping")
    elif kind == "string_pattern_mismatch" and (error.get("ctx") or {}).get("pattern") == ID_PATTERN:
        message = f"{error['input']!r} is not a valid id"
        hint = "use letters, digits, - _ . and start with a letter or digit"
    elif kind == "string_pattern_mismatch":
        message = f"{error['input']!r} is not written as this field expects"
    elif kind == "too_short" and isinstance(error["input"], list):
        message = "needs at least one entry"
    elif kind == "string_too_short":
        message = "must not be empty"
    elif kind == "string_too_long":
        limit = (error.get("ctx") or {}).get("max_length")
        message = f"is too long ({len(str(error['input'])):,} characters; at most {limit:,})"
        hint = "split the text, or shorten it"
    elif kind in {"less_than_equal", "greater_than_equal", "finite_number"}:
        bounds = error.get("ctx") or {}
        limit = bounds.get("le", bounds.get("ge"))
        shown = f"{limit:,.0f}" if isinstance(limit, float) else str(limit)
        message = f"{raw.value(path)!r} is out of range" + (
            f" (the limit is {shown})" if limit is not None else ""
        )
    elif kind in {"dict_type", "model_type", "model_attributes_type"}:
        message = "should be a mapping of fields"
    elif kind == "list_type":
        message = "should be a list (one '- ' line per entry)"
    return Problem(location, dotted(path), message, hint, path=path)


def _what_to_write(raw: RawConcept, write: dict[str, str], path: Path_, location: Location | None) -> str:
    """``write amount: 68000 and currency: EUR``; in a workbook, by column: ``write 68000 in Betrag …``.

    ``write`` gives values by field name, each a field beside the one at ``path``.
    """
    if location is None or location.cell is None or "measures" not in path:
        return "write " + _and([f"{name}: {value}" for name, value in write.items()])
    within = [str(part) for part in path[path.index("measures") + 2 : -1]]  # the measure's fields
    values = dict(write)
    # a workbook's amount says itself that it is approximate ("ca. 90000"): it may have said so already
    approximate = values.pop("approximate", None) or raw.value((*path[:-1], "approximate")) == "ja"
    if approximate and "amount" in values:
        values["amount"] = f"{APPROXIMATE} {values['amount']}"
    parts = []
    for name, value in values.items():
        header = _HEADERS.get(".".join([*within, name]))
        parts.append(f"{value} in column {header!r}" if header else f"{name}: {value}")
    return "write " + _and(parts)


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


_HEADERS = {column.field: column.header for column in COLUMNS}


def _consent_problems(raw: RawConcept) -> Iterator[Problem]:
    """Quotes without consent appear in drafts only; say which ones a final build leaves out.

    Read from the loaded data, so that they are said even where some other
    part of the inputs fails; a status or consent that cannot be read is
    reported by the schema instead.
    """
    status = raw.value(("meta", "status"))
    status = status.strip() if isinstance(status, str) else status
    if status not in CONCEPT_STATUSES or status == "Entwurf":  # a draft, or a status the schema refuses
        return
    quotes = raw.value(("quotes",))
    for index, quote in enumerate(quotes if isinstance(quotes, list) else []):
        if not isinstance(quote, dict):
            continue
        try:
            consent = _FLAG.validate_python(quote.get("consent"))
        except ValidationError:
            continue
        identifier, person = quote.get("id"), quote.get("person")
        if not consent and isinstance(identifier, str) and isinstance(person, str):
            path: Path_ = ("quotes", index, "consent")
            yield Problem(
                raw.location(path),
                dotted(path),
                f"quote {identifier!r} by {person.strip()} is left out: no consent to publication",
                "set consent: true once the person has agreed",
                "warning",
                path=path,
            )


_FLAG: TypeAdapter[bool] = TypeAdapter(Flag)


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
MAX_IMAGE_PIXELS = 20_000
MAX_DPI_SKEW = 100  # one resolution a hundred times the other: a damaged or hostile file


def _file_problems(raw: RawConcept, concept: Concept) -> Iterator[Problem]:
    """Images and the reference document: readable files inside the input folder, their content kept."""
    root = raw.folder.resolve()
    if concept.reference_doc:
        path: Path_ = ("reference_doc",)
        reference = _read_reference(root, raw.folder / concept.reference_doc, concept.reference_doc)
        if isinstance(reference, bytes):
            concept._reference = reference
        else:
            yield Problem(raw.location(path), dotted(path), *reference, path=path)
    for index, logo in enumerate(concept.meta.logos):
        path = ("meta", "logos", index, "file")
        image = _read_image(root, raw.folder / logo.file, logo.file)
        if isinstance(image, bytes):
            concept._images[logo.file] = image
        else:
            yield Problem(raw.location(path), dotted(path), *image, path=path)
        if _names_a_file(logo.alt, logo.file):
            path = ("meta", "logos", index, "alt")
            yield Problem(
                raw.location(path),
                dotted(path),
                f"{logo.alt!r} is a file name, not an alternative text: a screen reader would read it out",
                "say what the logo shows, e.g. alt: Wappen des Landkreises Goslar",
                path=path,
            )


def _names_a_file(alt: str, file: str) -> bool:
    """Whether an alt text is a file name – the logo's own, with or without its extension, or any other."""
    text = alt.strip()
    name = PurePath(file).name
    return is_file_name(text) or text.casefold() in (
        name.casefold(),
        PurePath(name).stem.casefold(),
    )


def _read_reference(root: Path, file: Path, written: str) -> bytes | tuple[str, str]:
    """The bytes of a Word document inside ``root``, or what is wrong with it and a hint."""
    from .errors import TemplateError
    from .reference import ReferenceError, checked_reference
    from .template import check_package

    target = resolved(file)
    if target is None:
        return f"{written!r} is a loop of symbolic links", LINK_LOOP_HINT
    if Path(written).is_absolute() or not target.is_relative_to(root):
        return (
            f"{written!r} lies outside the input folder",
            "copy the document into the folder of concept.yaml",
        )
    what = not_a_file(file)
    if what is not None:
        return f"reference document {written!r} {what}", "paths are relative to the folder of concept.yaml"
    try:
        data = check_package(file, target.read_bytes(), "reference document")
        checked_reference(data)
    except TemplateError as error:
        return error.message, error.hint or "save it again in Word as .docx"
    except ReferenceError as error:
        return str(error), "save it again in Word as .docx, with plain text in its headers and footers"
    return data


def _read_image(root: Path, file: Path, written: str) -> bytes | tuple[str, str]:
    """The bytes of a PNG or JPEG image inside ``root``, or what is wrong with it and a hint."""
    target = resolved(file)  # follows symlinks: a link leading out is outside
    if target is None:
        return f"{written!r} is a loop of symbolic links", LINK_LOOP_HINT
    if Path(written).is_absolute() or not target.is_relative_to(root):
        return f"{written!r} lies outside the input folder", "copy the image into the folder of concept.yaml"
    what = not_a_file(file)
    if what is not None:
        return f"image {written!r} {what}", "paths are relative to the folder of concept.yaml"
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
        image = Image.from_blob(data)
    except Exception:  # python-docx raises several types for a damaged image
        return f"{written!r} is damaged and cannot be read", "export the image again as PNG"
    if not (0 < image.px_width <= MAX_IMAGE_PIXELS and 0 < image.px_height <= MAX_IMAGE_PIXELS):
        return (
            f"{written!r} is {image.px_width} × {image.px_height} pixels",
            f"save it with a width and height between 1 and {MAX_IMAGE_PIXELS:,} pixels",
        )
    if image.horz_dpi <= 0 or image.vert_dpi <= 0:
        return f"{written!r} gives a resolution of 0 dpi", "export the image again, e.g. at 300 dpi"
    skew = max(image.horz_dpi, image.vert_dpi) / min(image.horz_dpi, image.vert_dpi)
    if skew > MAX_DPI_SKEW or image.width <= 0 or image.height <= 0:  # a picture squashed to a line
        return (
            f"{written!r} gives a resolution of {image.horz_dpi:,} × {image.vert_dpi:,} dpi",
            "export the image again, e.g. at 300 dpi",
        )
    return data
