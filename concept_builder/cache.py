"""The user's cache: what a rebuild need not compute again, as data, written whole or not at all.

``$CONCEPT_BUILDER_CACHE``, else ``$XDG_CACHE_HOME/concept-builder``, else
``~/.cache/concept-builder``. Drawn charts go to ``charts/``, parsed input
files to ``inputs/``. Everything in it is keyed by a digest of what made it,
so an entry is either right or never found; one that cannot be read is
ignored and made again. A cache that cannot be written only costs time.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def cache_root() -> Path:
    configured = os.environ.get("CONCEPT_BUILDER_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "concept-builder"


def read(path: Path) -> bytes | None:
    """The entry at ``path``, or None where there is none or it cannot be read."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def write(path: Path, data: bytes) -> None:
    """Put ``data`` at ``path`` whole (a temporary file renamed into place); give up quietly on failure."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
