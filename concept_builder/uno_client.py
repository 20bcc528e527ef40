"""One LibreOffice process for many documents, driven through UNO by ``uno_worker.py``.

The worker runs in a Python that can import LibreOffice's ``uno`` module,
which the Python running concept_builder usually cannot (Debian installs it
for the system's /usr/bin/python3 only). A session starts it in the
background – soffice starts while the caller validates and renders – and
sends it one document after another::

    with UnoSession(python, soffice, registry=…) as session:
        result = session.layout(docx, pdf=target, on_pages=render_final)

A session owns one folder (LibreOffice's profile, its temporary files, the
documents) and one process group: the worker leads a new session
(``start_new_session``), so a terminal's Ctrl-C reaches only the build, and
closing, a timeout or an error kills the whole group with SIGKILL and
removes the folder and the sockets soffice leaves in /tmp. The worker ends
itself, and soffice with it, when the thread that started it ends.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .errors import LibreOfficeError
from .uno_worker import socket_paths  # the one module both Pythons read

WORKER = Path(__file__).with_name("uno_worker.py")
STARTUP_TIMEOUT = 60
# Where LibreOffice's uno module lives for a Python: Debian's python3-uno, LibreOffice's own builds
_SYSTEM_PYTHON = "/usr/bin/python3"
_SYSTEM_UNO = ("/usr/lib/python3/dist-packages/uno.py", "/usr/lib64/python3/site-packages/uno.py")
_BUNDLED_PYTHONS = (
    "/usr/lib/libreoffice/program/python",
    "/opt/libreoffice/program/python",
    "/Applications/LibreOffice.app/Contents/Resources/python",
)
UNO_PYTHON_VARIABLE = "CONCEPT_BUILDER_UNO_PYTHON"


def uno_python() -> str | None:
    """The Python to run the worker with, or None where none is found.

    ``$CONCEPT_BUILDER_UNO_PYTHON`` when set (empty: none), else a known
    Python beside which LibreOffice's uno module is installed. Checked by file,
    not by starting it: a Python that cannot import uno after all is reported
    by the worker.
    """
    configured = os.environ.get(UNO_PYTHON_VARIABLE)
    if configured is not None:
        return configured or None
    if os.access(_SYSTEM_PYTHON, os.X_OK) and any(Path(path).is_file() for path in _SYSTEM_UNO):
        return _SYSTEM_PYTHON
    return next((python for python in _BUNDLED_PYTHONS if os.access(python, os.X_OK)), None)


def soffice_binary(program: str) -> str:
    """soffice.bin beside the ``soffice`` script, started directly so that it dies with the worker."""
    binary = Path(os.path.realpath(program)).with_name("soffice.bin")
    return str(binary) if binary.is_file() else program


class StartFailed(LibreOfficeError):
    """LibreOffice did not start, or did not accept a connection in time."""


class UnoMissing(StartFailed):
    """The Python chosen for the worker cannot import uno after all."""


@dataclass
class Layout:
    """What one layout gave."""

    pages: list[tuple[str, int]]  # (heading text, page) of each contents entry, in document order
    stable: bool  # False: writing the pages in kept moving headings; the pages are those shown
    on_pages: Any  # what the ``on_pages`` callback returned


class UnoSession:
    """One worker and one soffice.bin, for any number of documents one after the other."""

    def __init__(
        self,
        python: str,
        soffice: str,
        *,
        registry: str,
        wrapper: list[str] | None = None,
        environment: dict[str, str] | None = None,
        startup_timeout: float = STARTUP_TIMEOUT,
    ) -> None:
        self.python = python
        self.soffice = soffice
        self.registry = registry  # the profile's settings (registrymodifications.xcu)
        self.wrapper = wrapper or []
        self.environment = environment or {}
        self.startup_timeout = startup_timeout
        self.folder: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.soffice_pid: int | None = None
        self.pipe = f"concept_builder_{os.getpid()}_{os.urandom(6).hex()}"
        self._ready = False
        self._buffer = b""
        self._stderr: IO[bytes] | None = None

    def start(self) -> UnoSession:
        """Start the worker, which starts soffice, and return at once."""
        self.folder = Path(tempfile.mkdtemp(prefix="concept-builder-lo-"))
        try:
            profile = self.folder / "profile" / "user"
            profile.mkdir(parents=True)
            (profile / "registrymodifications.xcu").write_text(self.registry, encoding="utf-8")
            (self.folder / "documents").mkdir()
            self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - the worker's stderr, closed by close()
            command = [
                self.python,
                str(WORKER),
                f"--soffice={self.soffice}",
                f"--profile={self.folder / 'profile'}",
                f"--pipe={self.pipe}",
                f"--tmpdir={self.folder / 'tmp'}",
                f"--wrapper={json.dumps(self.wrapper)}",
                f"--startup-timeout={self.startup_timeout}",
                f"--remove-on-exit={self.folder}",
            ]
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                start_new_session=True,  # a group of its own: killpg reaches soffice.bin too
                env=self._worker_environment(),
            )
        except (FileNotFoundError, PermissionError) as error:
            self.close()
            raise UnoMissing(f"{self.python} cannot be run ({error.strerror})") from error
        except OSError as error:
            self.close()
            raise StartFailed(f"LibreOffice did not start: {error}") from error
        except BaseException:
            self.close()
            raise
        return self

    @property
    def documents(self) -> Path:
        """A folder for the documents to lay out; removed with the session."""
        if self.folder is None:
            self.start()
        assert self.folder is not None
        return self.folder / "documents"

    def wait_ready(self) -> None:
        if self._ready:
            return
        if self.process is None:
            self.start()
        try:
            message = self._receive(self.startup_timeout, f"start within {self.startup_timeout:g} s")
        except LibreOfficeError as error:
            raise StartFailed(str(error)) from error
        if not message.get("ok"):
            self.close()
            reason = str(message.get("error"))
            if "cannot import uno" in reason:
                raise UnoMissing(reason)
            raise StartFailed(f"LibreOffice did not start: {reason}")
        self.soffice_pid = message.get("soffice_pid")
        self._ready = True

    def layout(
        self,
        docx: Path,
        *,
        timeout: float,
        pdf: Path | None = None,
        pdf_options: dict[str, Any] | None = None,
        page_count: str | None = None,
        on_pages: Callable[[list[tuple[str, int]]], Any] | None = None,
    ) -> Layout:
        """Lay ``docx`` out once: the page of each contents entry and, with ``pdf``, a tagged PDF.

        The PDF's contents show those pages. ``on_pages`` runs with them as soon
        as they are known, while LibreOffice exports (to render the final .docx
        meanwhile). ``page_count``: a placeholder in the document to replace with
        its number of pages. A timeout, or LibreOffice ending, ends the session.
        """
        self.wait_ready()
        deadline = time.monotonic() + timeout
        request = {
            "op": "layout",
            "docx": str(docx.resolve()),
            "pdf": str(pdf.resolve()) if pdf else None,
            "pdf_options": pdf_options or {},
            "page_count": page_count,
        }
        self._send(request)
        early: Any = None
        failure: BaseException | None = None
        while True:
            message = self._receive(deadline - time.monotonic(), f"lay the document out within {timeout:g} s")
            if not message.get("ok"):
                if message.get("fatal"):
                    self.close()
                    raise LibreOfficeError(
                        f"LibreOffice ended while laying the document out: {message['error']}"
                    )
                raise LibreOfficeError(f"LibreOffice could not lay the document out: {message.get('error')}")
            pages = [(str(text), int(page)) for _, text, page in message["pages"]]
            if message.get("event") != "pages":
                break
            if on_pages is not None:
                try:
                    early = on_pages(pages)
                except Exception as error:
                    failure = error
        if failure is not None:
            raise failure
        return Layout(pages, bool(message.get("stable")), early)

    def close(self) -> None:
        """Kill the worker and soffice, and remove everything they and the session made."""
        process, self.process = self.process, None
        if process is not None:
            with contextlib.suppress(ProcessLookupError):  # the group outlives a worker that has ended
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
        if self.folder is not None:
            for path in socket_paths(self.pipe, (self.folder / "profile").as_uri()):
                with contextlib.suppress(OSError):
                    os.unlink(path)
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        self._ready = False

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def __enter__(self) -> UnoSession:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, request: dict[str, Any]) -> None:
        if self.process is None or self.process.stdin is None:
            raise LibreOfficeError("LibreOffice has ended")
        try:
            self.process.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
            self.process.stdin.flush()
        except OSError as error:
            tail = self._stderr_tail()
            self.close()
            raise LibreOfficeError(f"LibreOffice has ended{tail}") from error

    def _receive(self, timeout: float, doing: str) -> dict[str, Any]:
        if self.process is None or self.process.stdout is None:
            raise LibreOfficeError("LibreOffice has ended")
        deadline = time.monotonic() + timeout
        stdout = self.process.stdout
        with selectors.DefaultSelector() as selector:
            selector.register(stdout, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    if time.monotonic() < deadline:
                        continue
                    self.close()
                    raise LibreOfficeError(f"LibreOffice did not {doing}; it was stopped")
                chunk = os.read(stdout.fileno(), 65536)
                if not chunk:
                    tail = self._stderr_tail()
                    self.close()
                    raise LibreOfficeError(f"LibreOffice ended unexpectedly{tail}")
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        message: dict[str, Any] = json.loads(line)
        return message

    def _stderr_tail(self) -> str:
        if self._stderr is None:
            return ""
        try:
            self._stderr.seek(0)
            text = self._stderr.read().decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            return ""
        return f": {text.splitlines()[-1][:300]}" if text else ""

    def _worker_environment(self) -> dict[str, str]:
        # another Python: the settings of this one's virtual environment must not reach it
        unwanted = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PYTHONEXECUTABLE")
        environment = {k: v for k, v in os.environ.items() if k not in unwanted}
        environment.update(self.environment)
        environment["PYTHONNOUSERSITE"] = "1"
        environment["PYTHONDONTWRITEBYTECODE"] = "1"  # no __pycache__ in an installed package
        return environment
