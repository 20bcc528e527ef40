"""What to build: the documents one concept gives (variants), and the options of a build.

Every entry point – ``build``, ``build_folder``, ``build_many``,
``render_concept`` and the command line – takes one ``BuildOptions``. This
module imports nothing heavy, so that ``concept-builder --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError

ItemKind = str  # "theme", "goal" or "measure"


@dataclass(frozen=True)
class Variant:
    """One kind of document made from a concept."""

    name: str
    template: str  # the default template's file name
    description: str  # for --help and the docs
    links_to: frozenset[ItemKind]  # the items its default template shows with a bookmark to link to
    chapter_numbers: bool = False  # whether its chapters are numbered ("3 Ausgangslage")
    needs_organisation: bool = False  # made for one organisation or municipality (--for)
    compact: bool = False  # a short document: chapters run on instead of starting new pages


VARIANTS: dict[str, Variant] = {
    variant.name: variant
    for variant in (
        Variant(
            "konzept",
            "default.docx",
            "the full concept",
            frozenset({"theme", "goal", "measure"}),
            chapter_numbers=True,
        ),
        Variant(
            "kurzfassung",
            "kurzfassung.docx",
            "principles, goals and priority measures",
            frozenset(),
            compact=True,
        ),
        Variant(
            "massnahmenkatalog",
            "massnahmenkatalog.docx",
            "a profile sheet per measure",
            frozenset({"measure"}),
        ),
        Variant(
            "auszug",
            "auszug.docx",
            "the measures of one organisation or municipality (with --for)",
            frozenset({"measure"}),
            needs_organisation=True,
            compact=True,
        ),
        Variant(
            "umsetzungsbericht",
            "umsetzungsbericht.docx",
            "counts, chart, overdue measures",
            frozenset(),
            compact=True,
        ),
    )
}
ALL = "all"  # every variant (the extract only for a named organisation)
DEFAULT_VARIANT = "konzept"  # what a build makes unless told otherwise
EXTRACT_VARIANT = "auszug"  # what a build for one organisation makes unless told otherwise


def variant(name: str) -> Variant:
    """The variant called ``name``; ``UsageError`` naming the choices otherwise."""
    try:
        return VARIANTS[name]
    except KeyError:
        raise UsageError(f"unknown variant {name!r}: choose one of {', '.join(VARIANTS)}") from None


def chosen_variants(names: Sequence[str] | None, for_name: str | None) -> list[str]:
    """The variants asked for, in the registry's order; ``UsageError`` for an unknown name.

    None asked for: the full concept, or the extract when an organisation is
    named. "all": every variant, the extract only when an organisation is named.
    """
    names = list(names or ())
    for name in names:
        if name != ALL:
            variant(name)
    if not names:
        return [EXTRACT_VARIANT if for_name else DEFAULT_VARIANT]
    if ALL in names:
        return [name for name, v in VARIANTS.items() if for_name or not v.needs_organisation]
    return [name for name in VARIANTS if name in names]


@dataclass(frozen=True)
class BuildOptions:
    """How to build one document from a concept.

    ``variant`` – which document (``VARIANTS``; by default the full concept, or
    the extract when ``for_name`` is given); ``for_name`` – only the measures
    of this organisation or municipality (the extract needs it);
    ``template`` – a Word template instead of the variant's default;
    ``reference_doc`` – an ordinary Word file whose styles, page and headers every document takes
    (instead of the concept's own ``reference_doc``);
    ``changes_since`` – the input folder of an earlier version, whose changes
    become an appendix; ``page_numbers`` – contents with page numbers and
    ``pdf`` – an accessible PDF beside the .docx, both from one layout by
    LibreOffice (a PDF, and the .docx beside it, always have page numbers;
    the command line asks for them unless told ``--no-page-numbers``);
    ``out_dir`` – where the files go.
    """

    variant: str = ""  # "" – chosen by for_name, as on the command line
    for_name: str | None = None
    template: Path | None = None
    reference_doc: Path | None = None
    changes_since: Path | None = None
    page_numbers: bool = False
    pdf: bool = False
    out_dir: Path = field(default=Path("build"))

    def __post_init__(self) -> None:
        if not self.variant:
            object.__setattr__(self, "variant", EXTRACT_VARIANT if self.for_name else DEFAULT_VARIANT)
        chosen = variant(self.variant)
        if chosen.needs_organisation and not self.for_name:
            raise UsageError(
                f"the variant {chosen.name!r} needs --for: the organisation or municipality whose measures"
                " it shows"
            )
        for name in ("template", "reference_doc", "changes_since", "out_dir"):  # text paths as well
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, Path(value))

    @property
    def kind(self) -> Variant:
        return VARIANTS[self.variant]
