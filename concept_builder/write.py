"""Stage 6: put a finished document on disk, completely or not at all."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import shutil
import signal
import tempfile
import threading
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType

from .errors import Interrupted, OutputError
from .model import Concept
from .options import DEFAULT_VARIANT

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
    concept: Concept, suffix: str = ".docx", variant: str = DEFAULT_VARIANT, for_name: str | None = None
) -> str:
    """The file name for a concept: title, district, version and variant, short enough for any file system."""
    meta = concept.meta
    title = slug(meta.title)[:MAX_PART].strip("-") or "konzept"
    district = slug(meta.district)[:MAX_PART].strip("-")
    version = slug(meta.version)[:MAX_PART].strip("-")
    parts = [title] if district in title else [title, district]
    if version:
        parts.append("v" + version)
    if variant != DEFAULT_VARIANT:
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


class Staging:
    """Files prepared in a hidden folder inside the output folder, then put in place together.

    Related outputs – a document and its PDF, the documents of one run – are
    staged first and moved into place at the end with interrupts held back,
    so that a failed or interrupted build changes nothing, and one that
    finishes changes everything it was asked to. Leaving the ``with`` block
    removes whatever was staged and not put in place.
    """

    PREFIX = ".concept-builder-"

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.made_out_dir = not out_dir.exists()  # removed again if nothing was put in it
        self.written: list[Path] = []  # the targets put in place so far
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            self.folder = Path(tempfile.mkdtemp(dir=out_dir, prefix=self.PREFIX))
        except OSError as exc:
            raise OutputError(f"{out_dir}: cannot write into the output folder: {exc.strerror}") from exc

    def __enter__(self) -> Staging:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.made_out_dir:
            with contextlib.suppress(OSError):  # not empty: something was put in place
                self.out_dir.rmdir()

    def write(self, name: str, data: bytes) -> Path:
        """Stage ``data`` under ``name`` (unique within this staging)."""
        path = self.folder / name
        try:
            with path.open("wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(path, 0o644)
        except OSError as exc:
            raise OutputError(f"{path.parent.parent}: cannot write the document: {exc.strerror}") from exc
        return path

    def commit(self, moves: Sequence[tuple[Path | None, Path]]) -> list[Path]:
        """Put each staged file at its target (``None``: remove the target) – all of them, or none.

        Every target is checked first (a folder in the way, a folder that cannot
        be written); where a move fails all the same, the targets already
        replaced get their earlier files back. Ctrl-C and SIGTERM wait until
        every file is in place; one that came meanwhile is reported as
        ``Interrupted`` naming the files written (``written`` keeps them for an
        interrupt that comes later, while the build winds down:
        ``reporting_written``).
        """
        for _, target in moves:
            _check_target(target)
        done = self.written
        held: list[int] = []
        previous = {}
        if threading.current_thread() is threading.main_thread():  # only there can handlers change
            for number in (signal.SIGINT, signal.SIGTERM):
                previous[number] = signal.signal(number, lambda signum, frame: held.append(signum))
        earlier: list[tuple[Path, Path | None]] = []  # each target touched, and its earlier file kept aside
        try:
            for index, (staged, target) in enumerate(moves):
                try:
                    earlier.append((target, self._keep(target, index)))
                    if staged is None:
                        target.unlink(missing_ok=True)
                    else:
                        os.replace(staged, target)
                except OSError as exc:
                    _put_back(earlier)
                    done.clear()
                    raise OutputError(
                        f"{target}: cannot write the document: {exc.strerror}; nothing was changed"
                    ) from exc
                if staged is not None:
                    done.append(target)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
        if held:
            raise Interrupted(list(done))
        return list(done)

    def _keep(self, target: Path, number: int) -> Path | None:
        """The file at ``target`` kept aside in the staging folder (a second name for it), if there is one."""
        if not target.is_file():
            return None
        kept = self.folder / f"earlier-{number}"
        try:
            os.link(target, kept)
        except OSError:  # a file system without hard links
            shutil.copy2(target, kept)
        return kept


def _check_target(target: Path) -> None:
    """``OutputError`` where a document cannot be put at ``target``: said before anything is changed."""
    if target.is_dir():
        raise OutputError(
            f"{target}: is a folder, so the document cannot be written there; nothing was written"
        )
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise OutputError(f"{target.parent}: cannot write into the output folder; nothing was written")


def _put_back(earlier: list[tuple[Path, Path | None]]) -> None:
    """Undo a commit that failed half-way: every target as it was before."""
    for target, kept in reversed(earlier):
        with contextlib.suppress(OSError):
            if kept is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(kept, target)


@contextlib.contextmanager
def reporting_written(stagings: list[Staging]) -> Iterator[None]:
    """An interrupt after outputs were put in place – while LibreOffice ends, say – names them.

    ``stagings`` gets the staging of the block once it exists. Without this,
    Ctrl-C at that moment would read as if nothing had been written.
    """
    try:
        yield
    except KeyboardInterrupt:
        written = [path for staging in stagings for path in staging.written]
        if written:
            raise Interrupted(written) from None
        raise
