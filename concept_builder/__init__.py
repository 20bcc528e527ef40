"""concept_builder: structured inputs in, a finished Integrations- und Teilhabekonzept out.

    >>> import concept_builder
    >>> concept = concept_builder.load_concept("inputs/goslar")
    >>> result = concept_builder.build(concept, out_dir="build")
    >>> result.path
    PosixPath('build/integrations-und-teilhabekonzept-landkreis-goslar-v0-9.docx')

The names below are imported when first used, so that `import concept_builder`
and `concept-builder --help` stay fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers and editors see; at run time __getattr__ imports on demand
    from .errors import ConceptBuilderError as ConceptBuilderError
    from .errors import InputError as InputError
    from .errors import Location as Location
    from .errors import OutputError as OutputError
    from .errors import Problem as Problem
    from .errors import TemplateError as TemplateError
    from .model import Concept as Concept
    from .model import Goal as Goal
    from .model import Measure as Measure
    from .model import Quote as Quote
    from .model import Theme as Theme
    from .pipeline import BuildResult as BuildResult
    from .pipeline import build as build
    from .pipeline import build_folder as build_folder
    from .pipeline import build_many as build_many
    from .pipeline import render_concept as render_concept
    from .validate import Report as Report
    from .validate import load_concept as load_concept
    from .validate import validate_folder as validate_folder

_PUBLIC = {
    "BuildResult": "pipeline",
    "build": "pipeline",
    "build_folder": "pipeline",
    "build_many": "pipeline",
    "render_concept": "pipeline",
    "ConceptBuilderError": "errors",
    "InputError": "errors",
    "Location": "errors",
    "OutputError": "errors",
    "Problem": "errors",
    "TemplateError": "errors",
    "Concept": "model",
    "Goal": "model",
    "Measure": "model",
    "Quote": "model",
    "Theme": "model",
    "Report": "validate",
    "load_concept": "validate",
    "validate_folder": "validate",
}

__all__ = [
    "BuildResult",
    "Concept",
    "ConceptBuilderError",
    "Goal",
    "InputError",
    "Location",
    "Measure",
    "OutputError",
    "Problem",
    "Quote",
    "Report",
    "TemplateError",
    "Theme",
    "build",
    "build_folder",
    "build_many",
    "load_concept",
    "render_concept",
    "validate_folder",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'concept_builder' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
