"""concept_builder: structured inputs in, a finished Integrations- und Teilhabekonzept out.

    >>> import concept_builder
    >>> concept = concept_builder.load_concept("inputs/goslar")
    >>> result = concept_builder.build(concept, concept_builder.BuildOptions(out_dir="build"))
    >>> result.path
    PosixPath('build/integrations-und-teilhabekonzept-landkreis-goslar-v0-9.docx')

The names below are the whole public API; everything else is internal. They
are imported when first used, so that ``import concept_builder`` and
``concept-builder --help`` stay fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers and editors see; at run time __getattr__ imports on demand
    from .check import Finding as Finding
    from .check import check_document as check_document
    from .diff import ChangeLog as ChangeLog
    from .diff import diff_concepts as diff_concepts
    from .errors import CheckError as CheckError
    from .errors import ConceptBuilderError as ConceptBuilderError
    from .errors import InputError as InputError
    from .errors import InternalError as InternalError
    from .errors import LibreOfficeError as LibreOfficeError
    from .errors import Location as Location
    from .errors import OutputError as OutputError
    from .errors import Problem as Problem
    from .errors import TemplateError as TemplateError
    from .errors import UsageError as UsageError
    from .load.workbook import MeasureRow as MeasureRow
    from .load.workbook import MeasureSheet as MeasureSheet
    from .load.workbook import read_measures as read_measures
    from .model import Concept as Concept
    from .model import Goal as Goal
    from .model import Measure as Measure
    from .model import Quote as Quote
    from .model import Theme as Theme
    from .options import VARIANTS as VARIANTS
    from .options import BuildOptions as BuildOptions
    from .options import Variant as Variant
    from .pipeline import BuildResult as BuildResult
    from .pipeline import build as build
    from .pipeline import build_folder as build_folder
    from .pipeline import build_many as build_many
    from .pipeline import render_concept as render_concept
    from .review import Plan as Plan
    from .review import Remark as Remark
    from .review import Review as Review
    from .review import apply_review as apply_review
    from .review import review_document as review_document
    from .schema import json_schema as json_schema
    from .spreadsheet import export_measures as export_measures
    from .template import init_template as init_template
    from .validate import Report as Report
    from .validate import load_concept as load_concept
    from .validate import validate_folder as validate_folder

_PUBLIC = {
    # load and validate
    "load_concept": "validate",
    "validate_folder": "validate",
    "Report": "validate",
    # build
    "BuildOptions": "options",
    "VARIANTS": "options",
    "Variant": "options",
    "build": "pipeline",
    "build_folder": "pipeline",
    "build_many": "pipeline",
    "render_concept": "pipeline",
    "BuildResult": "pipeline",
    # compare, exchange, check, describe
    "diff_concepts": "diff",
    "ChangeLog": "diff",
    "export_measures": "spreadsheet",
    "read_measures": "load.workbook",
    "MeasureRow": "load.workbook",
    "MeasureSheet": "load.workbook",
    "check_document": "check",
    "Finding": "check",
    "json_schema": "schema",
    "init_template": "template",
    "review_document": "review",
    "apply_review": "review",
    "Review": "review",
    "Plan": "review",
    "Remark": "review",
    # the model
    "Concept": "model",
    "Goal": "model",
    "Measure": "model",
    "Quote": "model",
    "Theme": "model",
    # errors
    "ConceptBuilderError": "errors",
    "InputError": "errors",
    "InternalError": "errors",
    "TemplateError": "errors",
    "OutputError": "errors",
    "UsageError": "errors",
    "LibreOfficeError": "errors",
    "CheckError": "errors",
    "Problem": "errors",
    "Location": "errors",
}

__all__ = sorted(_PUBLIC)
__version__ = "0.2.0"


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'concept_builder' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
