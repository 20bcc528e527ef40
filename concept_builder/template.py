"""Word templates: the ones that ship, a user's own, and what is checked before one is used.

A template other than ours may come from a third party. Before it is
rendered it must be a real Word package of reasonable size that references
nothing outside itself; its styles are read so that prepared content uses
the template's own style ids.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import OutputError, TemplateError
from .options import VARIANTS, BuildOptions
from .package import outside_references
from .word import DOCUMENT_PART, STYLES_PART, StyleMap

TEMPLATE_COPY_NAME = "{variant}-vorlage.docx"
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")  # encrypted .docx and old .doc files
MAX_TEMPLATE_BYTES = 200_000_000  # unpacked
MAX_TEMPLATE_ENTRIES = 5_000


@dataclass(frozen=True)
class Template:
    """A template ready to render: checked, with the style ids of its roles."""

    path: Path
    styles: StyleMap
    trusted: bool  # one that ships with the package: rendered without the limits for foreign ones


def default_template(variant: str = "konzept") -> Path:
    """The template that ships with the package for ``variant``."""
    name = VARIANTS[variant].template
    packaged = resources.files("concept_builder") / "templates" / name
    if packaged.is_file():
        return Path(str(packaged))
    # a source checkout keeps the templates beside the package
    return Path(__file__).resolve().parent.parent / "templates" / name


def template_for(options: BuildOptions) -> Template:
    """The template a build uses: the one given in ``options``, else the variant's own; checked."""
    if options.template is None:
        return open_template(default_template(options.variant))
    return open_template(options.template)


def open_template(path: Path) -> Template:
    """Check the template at ``path`` and read its styles; ``TemplateError`` says what is wrong."""
    trusted = path.resolve().parent == default_template().resolve().parent
    if not path.is_file():
        raise TemplateError(path, "template not found", "give the path of a .docx file")
    with path.open("rb") as stream:
        if stream.read(8) == OLE_SIGNATURE:
            raise TemplateError(
                path,
                "is password-protected or an old Word file (.doc)",
                "save it in Word as .docx without a password",
            )
    if not zipfile.is_zipfile(path):
        raise TemplateError(path, "is not a Word document (.docx)", "save the template as .docx in Word")
    with zipfile.ZipFile(path) as package:
        entries = package.infolist()
        names = {entry.filename for entry in entries}
        if DOCUMENT_PART not in names:
            raise TemplateError(path, "is not a Word document (.docx): it has no word/document.xml")
        unpacked = sum(entry.file_size for entry in entries)
        if len(entries) > MAX_TEMPLATE_ENTRIES or unpacked > MAX_TEMPLATE_BYTES:
            raise TemplateError(
                path,
                f"would unpack to {unpacked // 1_000_000} MB in {len(entries)} parts;"
                " a template needs far less",
                "use a plain Word document as the template",
            )
        refuse_outside_references(path, package)
        try:
            styles = StyleMap.parse(package.read(STYLES_PART)) if STYLES_PART in names else StyleMap({})
        except Exception as exc:  # lxml raises several types for broken XML
            raise TemplateError(path, f"its styles cannot be read: {exc}", "save it again in Word") from exc
    return Template(path, styles, trusted)


def refuse_outside_references(
    template: Path, package: zipfile.ZipFile, parts: dict[str, bytes] | None = None
) -> None:
    """A template must not make a document load anything from outside it."""
    found = outside_references(package, parts)
    if found:
        listed = "; ".join(str(reference) for reference in found[:3])
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        raise TemplateError(
            template,
            f"links to content outside the document, which is not allowed: {listed}{more}",
            "embed pictures instead of linking them, and remove linked files, objects and INCLUDE fields",
        )


def init_template(folder: Path, variant: str = "konzept", *, force: bool = False) -> Path:
    """Copy the default template of ``variant`` into ``folder`` to be customised in Word; return its path."""
    from .write import write_atomic

    target = folder / TEMPLATE_COPY_NAME.format(variant=variant)
    if target.exists() and not force:
        raise OutputError(f"{target}: already exists (use --force to overwrite it)")
    return write_atomic(target, default_template(variant).read_bytes())
