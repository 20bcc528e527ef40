"""LibreOffice driven through its UNO API: one soffice process that lays out document after document.

``uno_client.py`` runs this file with a Python that can ``import uno``
(Debian: /usr/bin/python3 with python3-uno; LibreOffice's own builds bring one
along), which is rarely the Python concept_builder runs in; it imports only
``socket_paths`` from it. It needs nothing beyond that Python's standard library
and talks JSON, one object per line: requests on stdin, answers on stdout.

    first answer    {"ok": true, "event": "ready", "soffice_pid": 123}
    {"op": "layout", "docx": "/abs/in.docx", "pdf": "/abs/out.pdf" or null}
        → {"ok": true, "event": "pages", "pages": [[bookmark, heading, page], …]}   before exporting
        → {"ok": true, "pages": […], "stable": true}
    {"op": "quit"}  → {"ok": true, "event": "bye"}
    a failure       → {"ok": false, "error": "…", "fatal": true when LibreOffice is gone}

A layout loads the document once, read-only and hidden, reads the page of
every contents bookmark, writes those pages into its own copy's table of
contents (as the final .docx will show them) and exports the tagged PDF.

Processes: the client starts this worker as the leader of a new process
group and kills the group when it is done with it. soffice.bin is started
directly (not through the oosplash wrapper, which would make it a grandchild)
and dies with this worker (PR_SET_PDEATHSIG). The UNO calls run in a second
thread; the main thread only reads stdin and handles signals, so that even
while LibreOffice hangs, the end of stdin, SIGTERM, SIGINT, SIGHUP or the
death of the client kill soffice and remove what it leaves behind.
"""

from __future__ import annotations

import os
import sys

# Run as a script, this file's folder comes first on sys.path: concept_builder's own modules must
# not stand in for the standard library's
if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
    del sys.path[0]

import contextlib
import ctypes
import hashlib
import json
import pathlib
import queue
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from typing import Any

PR_SET_PDEATHSIG = 1
RESTART_CODE = 81  # soffice.bin exits with it after setting up a new profile; oosplash would start it again
CONTENTS_BOOKMARK = re.compile(r"_Toc\d{8}$")  # the bookmarks our contents link to (toc.CONTENTS_BOOKMARK)
ROUNDS = 3  # writing the pages in may move headings; lay out again until they stay

uno: Any = None  # imported while soffice starts


def _pdeathsig(sig: int) -> None:
    """Have the kernel send ``sig`` to this process when the thread that started it ends (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)


def _kill_with_parent() -> None:
    _pdeathsig(signal.SIGKILL)


def _property(name: str, value: Any) -> Any:
    from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def socket_paths(pipe: str, profile_url: str) -> list[str]:
    """The sockets soffice makes in /tmp whatever TMPDIR says, and leaves there when killed.

    The pipe it accepts on, and its profile's single-instance pipe, named after
    the MD5 of the profile's URL in UTF-16 (hex digits without leading zeros).
    """
    digest = hashlib.md5(profile_url.encode("utf-16-le"), usedforsecurity=False).digest()
    single = "SingleOfficeIPC_" + "".join(format(byte, "x") for byte in digest)
    return [f"/tmp/OSL_PIPE_{os.getuid()}_{name}" for name in (pipe, single)]


class Office:
    """One headless soffice.bin with the client's private profile, connected over a named pipe."""

    def __init__(
        self, soffice: str, profile: str, pipe: str, tmpdir: str, wrapper: list[str], startup_timeout: float
    ) -> None:
        self.soffice = soffice
        self.profile = profile
        self.pipe = pipe
        self.tmpdir = tmpdir
        self.wrapper = wrapper
        self.process: subprocess.Popen[bytes] | None = None
        _STARTED.append(self)
        deadline = time.monotonic() + startup_timeout
        self._spawn()  # soffice starts while Python imports uno
        global uno
        import uno as module  # type: ignore[import-not-found]

        uno = module
        from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        while True:
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                code = self.process.poll() if self.process else None
                if code == RESTART_CODE:
                    self._spawn()
                elif code is not None:
                    raise RuntimeError(
                        f"soffice ended with exit code {code} before accepting a connection"
                    ) from None
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"soffice did not accept a connection within {startup_timeout:g} s"
                    ) from None
                time.sleep(0.02)
        self.desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)

    def _spawn(self) -> None:
        command = [
            *self.wrapper,
            self.soffice,
            f"-env:UserInstallation={self.profile_url}",
            "--headless",
            "--invisible",
            "--nocrashreport",
            "--nodefault",
            "--nologo",
            "--nofirststartwizard",
            "--norestore",
            "--nolockcheck",
            f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext",
        ]
        os.makedirs(self.tmpdir, exist_ok=True)
        environment = dict(os.environ, SAL_USE_VCLPLUGIN="svp", TMPDIR=self.tmpdir)
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,  # stdout is the protocol
            stderr=subprocess.DEVNULL,
            env=environment,
            preexec_fn=_kill_with_parent,
        )

    @property
    def profile_url(self) -> str:
        return pathlib.Path(self.profile).as_uri()

    def load(self, path: str) -> Any:
        properties = (
            _property("Hidden", True),
            _property("ReadOnly", True),  # no lock file, which a killed run would leave behind
            _property("UpdateDocMode", 0),  # com.sun.star.document.UpdateDocMode.NO_UPDATE: no links
            _property("MacroExecutionMode", 0),  # com.sun.star.document.MacroExecMode.NEVER_EXECUTE
        )
        document = self.desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, properties)
        if document is None:
            raise RuntimeError("LibreOffice could not open the document")
        return document

    def export_pdf(self, document: Any, target: str, options: dict[str, Any]) -> None:
        data = uno.Any(
            "[]com.sun.star.beans.PropertyValue", tuple(_property(k, v) for k, v in options.items())
        )
        media = (_property("FilterName", "writer_pdf_Export"), _property("FilterData", data))
        uno.invoke(document, "storeToURL", (uno.systemPathToFileUrl(target), media))

    def ended(self) -> str | None:
        """How soffice ended (waiting a moment: its pipe closes just before it is gone), or None."""
        if self.process is None:
            return "it was never started"
        try:
            code = self.process.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            return None
        if code < 0:
            return f"it was killed by {signal.Signals(-code).name}"
        return f"it ended with exit code {code}"

    def kill(self) -> None:
        """End soffice at once and remove its sockets and temporary folder (not the profile: the client's).

        os.kill and os.waitpid rather than Popen.wait: this runs in a signal
        handler, perhaps while the interrupted code holds Popen's lock.
        """
        if self.process is not None:
            try:
                os.kill(self.process.pid, signal.SIGKILL)
                os.waitpid(self.process.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        for path in socket_paths(self.pipe, self.profile_url):
            with contextlib.suppress(OSError):
                os.unlink(path)
        shutil.rmtree(self.tmpdir, ignore_errors=True)

    def close(self) -> None:
        """Ask soffice to end, which removes its own sockets; kill it if it will not."""
        with contextlib.suppress(Exception):
            self.desktop.terminate()
        if self.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired, ChildProcessError):
                self.process.wait(timeout=10)
        self.kill()


_STARTED: list[Office] = []  # for the emergency exit, even while an Office is still starting


def contents_pages(document: Any) -> list[list[Any]]:
    """[bookmark, heading text, page] of every contents bookmark, in document order, as laid out.

    The heading text begins with the number its list gives it ("2.1 "), as in
    the PDF's outline.
    """
    cursor = document.getCurrentController().getViewCursor()
    bookmarks = document.getBookmarks()
    result = []
    for name in sorted(n for n in bookmarks.getElementNames() if CONTENTS_BOOKMARK.match(n)):
        anchor = bookmarks.getByName(name).getAnchor()
        cursor.gotoRange(anchor.getStart(), False)  # lays the document out up to there
        text = anchor.getString()
        paragraph = anchor.getText().createTextCursorByRange(anchor.getStart())
        label = paragraph.getPropertyValue("ListLabelString") or ""
        result.append([name, f"{label} {text}" if label.strip() else text, cursor.getPage()])
    return result


def contents_entries(document: Any) -> list[tuple[Any, str]]:
    """(paragraph, bookmark) of each contents entry that links to a contents bookmark."""
    text = document.getText()
    entries = []
    indexes = document.getDocumentIndexes()
    for i in range(indexes.getCount()):
        index = indexes.getByIndex(i)
        if not index.supportsService("com.sun.star.text.ContentIndex"):
            continue
        paragraphs = text.createTextCursorByRange(index.getAnchor()).createEnumeration()
        while paragraphs.hasMoreElements():
            paragraph = paragraphs.nextElement()
            if not paragraph.supportsService("com.sun.star.text.Paragraph"):
                continue
            url = text.createTextCursorByRange(paragraph).HyperLinkURL or ""
            if url.startswith("#") and CONTENTS_BOOKMARK.match(url[1:]) and len(paragraph.getString()) > 1:
                entries.append((paragraph, url[1:]))
    return entries


def write_pages(
    document: Any, entries: list[tuple[Any, str]], pages: dict[str, int], written: dict[str, int]
) -> None:
    """Give each entry a tab and its page inside its link, as our contents do (or correct the page).

    Text typed at the end of a link is outside it, text typed within it is
    inside. So the new text goes in before the entry's last character, which
    is part of it and removed afterwards. (A link set anew would be a new
    one, which LibreOffice's PDF export puts among the others in an order
    that changes from run to run.) Entries of one character are left alone.
    """
    text = document.getText()
    for paragraph, bookmark in entries:
        if bookmark not in pages:
            continue
        number = str(pages[bookmark])
        position = text.createTextCursorByRange(paragraph.getEnd())
        if bookmark in written:
            tail = len(str(written[bookmark]))  # replace the number written before
            position.goLeft(tail, True)
            new = number
        else:
            tail = 1  # the entry's last character: typed again, then the page
            position.goLeft(tail, True)
            new = position.getString() + "\t" + number
        position.collapseToStart()
        text.insertString(position, new, False)
        end = text.createTextCursorByRange(paragraph.getEnd())
        end.goLeft(tail, True)
        end.setString("")


def write_page_count(document: Any, placeholder: str) -> None:
    """Put the page count field back where ``placeholder`` holds its place, now that the layout is done."""
    search = document.createSearchDescriptor()
    search.SearchString = placeholder
    found = document.findAll(search)
    for i in range(found.getCount()):
        place = found.getByIndex(i)
        field = document.createInstance("com.sun.star.text.TextField.PageCount")
        field.NumberingType = 4  # com.sun.star.style.NumberingType.ARABIC
        place.getText().insertTextContent(place, field, True)


def layout(office: Office, request: dict[str, Any], answer: Callable[[dict[str, Any]], None]) -> None:
    """One "layout" request. Answers before closing the document: closing a long one takes seconds."""
    document = office.load(request["docx"])
    try:
        pages = contents_pages(document)
        stable = True
        entries = contents_entries(document) if request.get("pdf") and pages else []
        written: dict[str, int] = {}
        for _ in range(ROUNDS if entries else 0):
            numbers = {name: page for name, _, page in pages}
            document.lockControllers()  # else every insertion lays the document out again
            try:
                write_pages(document, entries, numbers, written)
            finally:
                document.unlockControllers()
            written = numbers
            pages = contents_pages(document)
            stable = {name: page for name, _, page in pages} == numbers
            if stable:
                break
        if not stable:  # the PDF shows what was written last: the .docx shows the same
            pages = [[name, text, written.get(name, page)] for name, text, page in pages]
        if request.get("page_count"):
            write_page_count(document, request["page_count"])
        answer({"ok": True, "event": "pages", "pages": pages})
        if request.get("pdf"):
            office.export_pdf(document, request["pdf"], request.get("pdf_options", {}))
        answer({"ok": True, "pages": pages, "stable": stable})
    finally:
        try:
            document.close(True)
        except Exception as error:
            print(f"closing the document failed: {error}", file=sys.stderr, flush=True)


def serve(arguments: Any, requests: queue.Queue[Any], answer: Callable[[dict[str, Any]], None]) -> None:
    """The UNO thread: start soffice, then handle requests until None."""
    try:
        office = Office(
            arguments.soffice,
            arguments.profile,
            arguments.pipe,
            arguments.tmpdir,
            json.loads(arguments.wrapper),
            arguments.startup_timeout,
        )
    except ImportError as error:
        answer({"ok": False, "event": "ready", "error": f"{sys.executable} cannot import uno ({error})"})
        return
    except Exception as error:
        answer({"ok": False, "event": "ready", "error": f"{type(error).__name__}: {error}"})
        return
    answer({"ok": True, "event": "ready", "soffice_pid": office.process.pid if office.process else None})
    try:
        while True:
            request = requests.get()
            if request is None:
                break
            try:
                if request.get("op") != "layout":
                    raise ValueError(f"unknown request {request.get('op')!r}")
                layout(office, request, answer)
            except Exception as error:
                ended = office.ended()
                if ended is not None:
                    answer({"ok": False, "error": ended, "fatal": True})
                    break
                message = getattr(error, "Message", "") or str(error)
                answer({"ok": False, "error": f"{type(error).__name__}: {message}"})
    finally:
        office.close()


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--soffice", required=True, help="soffice.bin (or soffice)")
    parser.add_argument("--profile", required=True, help="the profile folder, prepared by the client")
    parser.add_argument("--pipe", required=True, help="the name of the pipe soffice accepts on")
    parser.add_argument("--tmpdir", required=True, help="soffice's TMPDIR (removed at the end)")
    parser.add_argument("--wrapper", default="[]", help="a JSON list: the command that runs soffice")
    parser.add_argument("--startup-timeout", type=float, default=60)
    parser.add_argument("--remove-on-exit", help="a folder of the client's to remove when the client is gone")
    arguments = parser.parse_args()
    exiting: list[bool] = []

    def emergency(*_: object) -> None:
        if exiting:  # the end of stdin and SIGTERM often come together
            return
        exiting.append(True)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT, signal.SIGHUP})
        for office in _STARTED:
            office.kill()
        if arguments.remove_on_exit:
            shutil.rmtree(arguments.remove_on_exit, ignore_errors=True)
        os._exit(1)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, emergency)
    parent = os.getppid()
    _pdeathsig(signal.SIGTERM)  # the client died → emergency()
    if os.getppid() != parent:  # … before that was set
        emergency()
    protocol = sys.stdout
    sys.stdout = sys.stderr  # a stray print must not break the protocol
    lock = threading.Lock()

    def answer(message: dict[str, Any]) -> None:
        with lock:
            protocol.write(json.dumps(message, ensure_ascii=False) + "\n")
            protocol.flush()

    requests: queue.Queue[Any] = queue.Queue()
    worker = threading.Thread(target=serve, args=(arguments, requests, answer), daemon=True)
    worker.start()
    for line in sys.stdin:  # the main thread stays here, free to handle signals
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except ValueError as error:
            answer({"ok": False, "error": f"not JSON: {error}"})
            continue
        if request.get("op") == "quit":
            requests.put(None)
            worker.join()
            answer({"ok": True, "event": "bye"})
            return 0
        requests.put(request)
    emergency()  # the end of stdin without "quit": the client is gone
    return 1


if __name__ == "__main__":
    sys.exit(main())
