"""Stage 6: put a finished document on disk, completely or not at all."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path

from .errors import OutputError
from .model import Concept

_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)
# Zip entries carry a time stamp; a fixed one keeps rebuilt files identical.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
MAX_PART = 60  # characters per part of a file name; three parts stay far below 255 bytes


def slug(text: str) -> str:
    """``Landkreis Goslar`` → ``landkreis-goslar``."""
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATION))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def output_name(
    concept: Concept, suffix: str = ".docx", variant: str = "konzept", for_name: str | None = None
) -> str:
    """The file name for a concept: title, district, version and variant, short enough for any file system."""
    meta = concept.meta
    title = slug(meta.title)[:MAX_PART].strip("-") or "konzept"
    district = slug(meta.district)[:MAX_PART].strip("-")
    version = slug(meta.version)[:MAX_PART].strip("-")
    parts = [title] if district in title else [title, district]
    if version:
        parts.append("v" + version)
    if variant != "konzept":
        parts.append(variant)
    if for_name:
        parts.append(slug(for_name)[:MAX_PART].strip("-"))
    return "-".join(part for part in parts if part) + suffix


def source_date() -> dt.datetime | None:
    """The moment given by ``SOURCE_DATE_EPOCH`` (reproducible builds), if set."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(value), tz=dt.UTC).replace(tzinfo=None)


def normalize_zip(data: bytes, replacements: dict[str, bytes] | None = None) -> bytes:
    """Rewrite a .docx with fixed entry times, so equal content gives equal bytes.

    ``replacements`` gives new content for some parts (name → bytes).
    """
    replacements = replacements or {}
    moment = source_date()
    stamp = max(moment.timetuple()[:6], _ZIP_TIME) if moment else _ZIP_TIME
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            content = replacements.get(info.filename)
            target.writestr(entry, content if content is not None else source.read(info.filename))
    return buffer.getvalue()


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    Readers see the old file or the new one, never a partial one; a failure
    leaves the old file untouched and no temporary file behind.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{path.parent}: cannot create the output folder: {exc.strerror}") from exc
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{path.parent}: cannot write into the output folder: {exc.strerror}") from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"{path}: cannot write the document: {exc.strerror}") from exc
        raise
    return path
