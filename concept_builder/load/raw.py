"""The merged data of an input folder before validation, with the place of every value."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Location, Problem

Path_ = tuple[str | int, ...]
"""Where a value sits in the merged data: ``("themes", 0, "title")``."""


@dataclass
class RawConcept:
    """The merged data of an input folder, before validation."""

    folder: Path
    data: Any = None
    # (file, line[, cell]) per value; Location objects are made only for the few that are reported
    locations: dict[Path_, tuple[Any, ...]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    failed: set[Path_] = field(default_factory=set)  # values already reported, not to be reported again

    def value(self, path: Path_) -> Any:
        """The value at ``path`` as loaded, or None."""
        value = self.data
        for part in path:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return None
        return value

    def location(self, path: Path_) -> Location | None:
        """The place of ``path``, or of its nearest ancestor that has one."""
        while True:
            if path in self.locations:
                return Location(*self.locations[path])
            if not path:
                return None
            path = path[:-1]


def dotted(path: Path_) -> str:
    """``('themes', 0, 'title')`` → ``themes[0].title``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def inside(file: Path, root: Path) -> bool:
    """Whether ``file``, with every link followed, lies in the folder ``root`` (resolved)."""
    try:
        file.resolve().relative_to(root)
    except ValueError:
        return False
    return True
