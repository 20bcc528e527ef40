"""A reviewer working in LibreOffice: comments and tracked changes made through its UNO API, headless.

Run with the Python that has LibreOffice's ``uno`` module (Debian's
python3-uno installs it for /usr/bin/python3), not the project's virtual
environment:

    python3 tests/libreoffice_reviewer.py IN.docx OUT.docx ACTIONS.json PROFILE_DIR

ACTIONS is a list of steps, each done as the author it names:
``{"author": "…", "comment": "text", "on": "passage"}``,
``{"author": "…", "replace": "old", "with": "new"}``,
``{"author": "…", "after": "text", "insert": "more"}``,
``{"author": "…", "delete": "text"}``. Each passage is found by text, the
first occurrence after ``"after_text"`` when that is given (for a comment,
the ``"occurrence"``-th). The
document is saved as Word 2007–365 .docx with the changes still tracked.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]


def _property(name: str, value: Any) -> Any:
    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


def _connect(pipe: str) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(300):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            time.sleep(0.2)
    raise SystemExit("LibreOffice did not start")


def _set_author(context: Any, author: str) -> None:
    provider = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", context
    )
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        (_property("nodepath", "/org.openoffice.UserProfile/Data"),),
    )
    given, _, family = author.partition(" ")
    access.setPropertyValue("givenname", given)
    access.setPropertyValue("sn", family)
    access.commitChanges()


def _paragraphs(text: Any) -> Iterator[Any]:
    """The paragraphs of a text in document order, those in table cells included."""
    enumeration = text.createEnumeration()
    while enumeration.hasMoreElements():
        element = enumeration.nextElement()
        if element.supportsService("com.sun.star.text.TextTable"):
            for name in element.getCellNames():
                yield from _paragraphs(element.getCellByName(name).getText())
        else:
            yield element


def _find(document: Any, wanted: str, after: str | None = None, occurrence: int = 1) -> Any:
    """The ``occurrence``-th ``wanted`` (after the first ``after``) as a range of the text.

    Searched paragraph by paragraph: LibreOffice's own search needs a view,
    and a document opened without one is what keeps comments from crashing it.
    """
    looking_for_anchor = after is not None
    for paragraph in _paragraphs(document.getText()):
        content = paragraph.getString()
        start = 0
        if after is not None and looking_for_anchor:
            found = content.find(after)
            if found < 0:
                continue
            looking_for_anchor = False
            start = found + len(after)
        offset = content.find(wanted, start)
        while offset >= 0 and occurrence > 1:
            occurrence -= 1
            offset = content.find(wanted, offset + len(wanted))
        if offset < 0:
            continue
        cursor = paragraph.getText().createTextCursorByRange(paragraph.getStart())
        cursor.goRight(offset, False)
        cursor.goRight(len(wanted), True)
        return cursor
    raise SystemExit(f"not found: {wanted!r}" + (f" after {after!r}" if after else ""))


def review(source: Path, target: Path, actions: list[dict[str, str]], profile: Path) -> None:
    pipe = f"cbreview{os.getpid()}"
    office = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # soffice starts soffice.bin: both end with the group
    )
    try:
        context = _connect(pipe)
        # Opened without a view: with one, LibreOffice 7.4 without its GUI packages crashes as it
        # draws a comment's window.
        document = context.ServiceManager.createInstanceWithContext("com.sun.star.text.TextDocument", context)
        document.load(
            (_property("URL", source.resolve().as_uri()), _property("FilterName", "MS Word 2007 XML"))
        )
        document.RecordChanges = True
        for action in actions:
            _set_author(context, action.get("author", "Reviewer"))
            if "comment" in action:
                found = _find(
                    document, action["on"], action.get("after_text"), int(action.get("occurrence", 1))
                )
                annotation = document.createInstance("com.sun.star.text.textfield.Annotation")
                annotation.Author = action.get("author", "Reviewer")
                annotation.Content = action["comment"]
                stamp = uno.createUnoStruct("com.sun.star.util.DateTime")
                stamp.Year, stamp.Month, stamp.Day, stamp.Hours = 2024, 5, 2, 10
                annotation.DateTimeValue = stamp  # without a date, LibreOffice 7.4 fails to save .docx
                found.getText().insertTextContent(found, annotation, True)
            elif "replace" in action:
                _find(document, action["replace"], action.get("after_text")).setString(action["with"])
            elif "insert" in action:
                found = _find(document, action["after"], action.get("after_text"))
                cursor = found.getText().createTextCursorByRange(found.getEnd())
                cursor.getText().insertString(cursor, action["insert"], False)
            elif "delete" in action:
                _find(document, action["delete"], action.get("after_text")).setString("")
        document.storeToURL(target.resolve().as_uri(), (_property("FilterName", "MS Word 2007 XML"),))
        document.close(True)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(office.pid, signal.SIGKILL)
        office.wait()


if __name__ == "__main__":
    review(
        Path(sys.argv[1]),
        Path(sys.argv[2]),
        json.loads(Path(sys.argv[3]).read_text("utf-8")),
        Path(sys.argv[4]),
    )
