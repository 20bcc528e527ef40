"""Hyphenation read lazily from pyphen's German patterns breaks words where pyphen does."""

from __future__ import annotations

import re
from pathlib import Path

import pyphen
import pytest

from concept_builder import hyphenation

SAMPLES = Path(__file__).resolve().parent.parent / "inputs"


def test_every_pattern_is_read_as_pyphen_reads_it() -> None:
    ours = hyphenation._german()
    theirs = pyphen.Pyphen(lang="de_DE").hd
    assert set(ours.raw) == set(theirs.patterns)
    assert ours.longest == theirs.maxlen
    assert all(ours.get(key) == (start, tuple(values)) for key, (start, values) in theirs.patterns.items())


def test_words_break_where_pyphen_breaks_them() -> None:
    text = " ".join(path.read_text(encoding="utf-8") for path in SAMPLES.rglob("*.yaml"))
    words = set(re.findall(r"[^\W\d_]{4,}", text)) | {
        "Schuleingangsuntersuchungsergebnisbesprechung",
        "Ämter",
    }
    dictionary = pyphen.Pyphen(lang="de_DE")
    assert len(words) > 500
    for word in words:
        assert hyphenation.pieces(word) == dictionary.inserted(word, hyphen="\x00").split("\x00"), word


def test_a_pattern_file_with_comments_settings_and_spaces() -> None:
    patterns = hyphenation.Patterns(b"UTF-8\n% comment 1\nLEFTHYPHENMIN 2\n  a1b  \n.ab0\nb1c\nb0c\n")
    assert patterns.get("ab") == (1, (1,))  # the spaces around a line do not count
    assert patterns.get("bc") == (1, (1,))  # a pattern without a break does not replace one
    assert "% comment " not in patterns.raw and patterns.longest == 2


def test_non_standard_patterns_are_refused_rather_than_misread() -> None:
    with pytest.raises(ValueError):
        hyphenation.Patterns(b"UTF-8\nc1k/k=k,1,1\n")
