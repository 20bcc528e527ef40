"""Where German words may be hyphenated: Liang's algorithm over pyphen's patterns, read lazily.

pyphen ships LibreOffice's German patterns and finds the same breaks, but
parses all 66,000 patterns before it hyphenates the first word – half a
second, more than a whole small build. Here the pattern file is split into
lines and their letters in a few whole-text operations, and a pattern is
parsed only when a word needs it. A test checks that both give the same
breaks.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

LANGUAGE_FILE = "hyph_de_DE.dic"
LEFT = 2  # letters before the first break at least (pyphen's default)
RIGHT = 2  # letters after the last break at least
_EDGE_SPACE = re.compile(rb"^[ \t\r\f\v]+|[ \t\r\f\v]+$", re.MULTILINE)
# a pattern line with a break (comments start with % or #, settings with their upper-case names)
_BREAKING_LINE = re.compile(
    rb"^(?![%#]|LEFTHYPHENMIN|RIGHTHYPHENMIN|COMPOUND)[^\n]*[1-9][^\n]*$", re.MULTILINE
)
_PAIRS = re.compile(r"(\d?)(\D?)")


class Patterns:
    """The hyphenation patterns of one ``hyph_*.dic`` file, each parsed on first use."""

    def __init__(self, data: bytes) -> None:
        header, _, body = data.partition(b"\n")
        encoding = header.decode("ascii").strip()
        encoding = "cp1251" if encoding.lower() == "microsoft-cp1251" else encoding
        # Whole-text operations only (a loop over the lines costs more than all of them):
        # lines without the spaces around them, then those that break somewhere (a digit 1–9)
        # and are no comment or setting. The digits are ASCII, so they can be taken out of the
        # encoded bytes; what is left of a line is its key.
        body = _EDGE_SPACE.sub(b"", body)
        kept = b"\n".join(_BREAKING_LINE.findall(body))
        if b"/" in kept or b"^^" in kept:
            raise ValueError("patterns with non-standard breaks or hexadecimal letters are not supported")
        keys = kept.translate(None, b"0123456789").decode(encoding).split("\n")
        # a later pattern for the same letters replaces an earlier one, as in pyphen
        self.raw = dict(zip(keys, kept.decode(encoding).split("\n"), strict=True))
        self.longest = max(map(len, self.raw))
        self.parsed: dict[str, tuple[int, tuple[int, ...]] | None] = {}

    def get(self, key: str) -> tuple[int, tuple[int, ...]] | None:
        """The pattern for ``key``: the offset of its first non-zero value, and the values from there."""
        if key in self.parsed:
            return self.parsed[key]
        line = self.raw.get(key)
        pattern = None
        if line is not None:  # every kept line has a digit other than 0
            values = [int(digit or "0") for digit, _ in _PAIRS.findall(line)]
            start, end = 0, len(values)
            while not values[start]:
                start += 1
            while not values[end - 1]:
                end -= 1
            pattern = (start, tuple(values[start:end]))
        self.parsed[key] = pattern
        return pattern

    def positions(self, word: str) -> list[int]:
        """Where ``word`` may be broken: the number of letters before each break."""
        pointed = f".{word.lower()}."
        references = [0] * (len(pointed) + 1)
        for i in range(len(pointed) - 1):
            stop = min(i + self.longest, len(pointed)) + 1
            for j in range(i + 1, stop):
                pattern = self.get(pointed[i:j])
                if pattern is None:
                    continue
                offset, values = pattern
                window = slice(i + offset, i + offset + len(values))
                references[window] = map(max, values, references[window])
        last = len(word) - RIGHT
        return [i - 1 for i, value in enumerate(references) if value % 2 and LEFT <= i - 1 <= last]


def pieces(word: str) -> list[str]:
    """``word`` split at every place where it may be hyphenated."""
    cuts = _german().positions(word)
    return [word[start:end] for start, end in zip([0, *cuts], [*cuts, len(word)], strict=True)]


@functools.lru_cache(maxsize=1)
def _german() -> Patterns:
    # pyphen ships LibreOffice's German patterns; only its file is read
    return Patterns((resources.files("pyphen.dictionaries") / LANGUAGE_FILE).read_bytes())
