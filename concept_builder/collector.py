"""Python's cycle collector paused while a command builds: reference counting still frees memory.

Loading, validating and rendering make millions of objects that live until
the document is written. The collector would walk them again and again – a
third of the time of a large build, growing faster than the concept – and
find next to nothing: the build's data are trees, freed by reference counting
as soon as they are dropped (peak memory at 16,000 measures:
docs/performance.md). The imports a command needs first are paused too: they
make tens of thousands of objects that live as long as the process.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

_Result = TypeVar("_Result")
_Parameters = ParamSpec("_Parameters")


@contextmanager
def collection_paused() -> Iterator[None]:
    """The cycle collector off for the block; nested blocks leave it to the outermost."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def without_cycle_collection(function: Callable[_Parameters, _Result]) -> Callable[_Parameters, _Result]:
    """``function`` run with the cycle collector paused (``collection_paused``)."""

    @functools.wraps(function)
    def paused(*args: _Parameters.args, **kwargs: _Parameters.kwargs) -> _Result:
        with collection_paused():
            return function(*args, **kwargs)

    return paused
