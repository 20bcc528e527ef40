"""What a check finds: the rule, the place, what is wrong and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    rule: str
    where: str  # "paragraph 12 “Ziele”", "page 4", "table 2"
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.where}: {self.message} ({self.fix})"
