"""concept_builder: structured inputs in, a finished Integrations- und Teilhabekonzept out.

>>> import concept_builder
>>> concept = concept_builder.load_concept("inputs/goslar")
>>> result = concept_builder.build(concept, out_dir="build")
>>> result.path
PosixPath('build/integrations-und-teilhabekonzept-landkreis-goslar-v0-9.docx')
"""

from .build import BuildResult, build, build_folder, render_concept
from .errors import ConceptBuilderError, InputError, Location, OutputError, Problem, TemplateError
from .model import Concept, Goal, Measure, Quote, Theme
from .validate import Report, load_concept, validate_folder

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
    "load_concept",
    "render_concept",
    "validate_folder",
]
__version__ = "0.1.0"
