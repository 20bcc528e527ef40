"""What a check finds: the rule, the place, what is wrong and how to fix it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..word import title_repeats

# the layout rules a build checks in every PDF it writes (``layout.check_page_breaks``; the others read
# all of its text)
PAGE_BREAK_RULES = frozenset({"heading-at-foot", "heading-only-page", "empty-page"})


def in_quotes(text: str, limit: int) -> str:
    """“text” for a message, cut at ``limit`` characters with “…”."""
    return f"“{text[:limit]}{'…' if len(text) > limit else ''}”"


def repeats_itself(alt: str) -> bool:
    """Whether ``alt`` is “X - X” or “X - X: more”: LibreOffice's “title - description” of a picture
    whose description begins with its title, read twice by a screen reader."""
    title, separator, description = alt.partition(" - ")
    return bool(separator) and title_repeats(title, description)


@dataclass(frozen=True)
class Finding:
    rule: str
    where: str  # "paragraph 12 “Ziele”", "page 4", "pages 2, 4–7", "table 2"
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.where}: {self.message} ({self.fix})"


def places(noun: str, numbers: Iterable[int]) -> str:
    """``page 4``, ``pages 2, 4–7``, ``tables 6–10``: numbered places for a finding, runs shortened."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    text = ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs)
    return f"{noun} {text}" if len(runs) == 1 and len(runs[0]) == 1 else f"{noun}s {text}"


def merge_pages(findings: Iterable[Finding]) -> list[Finding]:
    """One finding for the same problem on several pages: ``pages 2, 4–7`` instead of a line per page."""
    pages: dict[tuple[str, str, str], list[int]] = {}
    merged: list[Finding] = []
    for finding in findings:
        page = finding.where.removeprefix("page ")
        problem = (finding.rule, finding.message, finding.fix)
        if not page.isdigit():
            merged.append(finding)
        elif problem in pages:
            pages[problem].append(int(page))
        else:
            pages[problem] = [int(page)]
            merged.append(finding)
    return [
        replace(f, where=places("page", pages[(f.rule, f.message, f.fix)]))
        if f.where.startswith("page ")
        else f
        for f in merged
    ]
