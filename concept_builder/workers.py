"""The worker processes of a parallel build: each with a LibreOffice of its own, ended with it, and
stopped quietly when the build is interrupted."""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext
from typing import TypeVar

from .errors import Interrupted
from .libreoffice import LibreOffice

_Task = TypeVar("_Task")
_Outcome = TypeVar("_Outcome")

_office: LibreOffice | None = None  # in a worker process: its LibreOffice


def worker_office() -> LibreOffice | None:
    """The LibreOffice of this worker process; None outside a worker."""
    return _office


def start_worker(needs_layout: bool) -> None:
    """Give a worker process its own LibreOffice, started at once where needed, ended with the worker."""
    global _office
    # Ctrl-C reaches every process of the terminal: the parent decides and stops the workers with
    # SIGTERM, which ends a worker quietly (its LibreOffice closed on the way), without a traceback
    signal.signal(signal.SIGINT, lambda signum, frame: None)
    signal.signal(signal.SIGTERM, _quit)
    _office = LibreOffice()
    if needs_layout:
        _office.start()
    # run when the worker ends (pool shutdown or an interrupt); atexit does not run in pool workers
    multiprocessing.util.Finalize(None, _office.close, exitpriority=10)


def _quit(signum: int, frame: object) -> None:
    raise SystemExit(Interrupted.exit_code)


def in_parallel(
    function: Callable[[_Task], _Outcome], tasks: list[_Task], workers: int, needs_layout: bool
) -> list[_Outcome]:
    """``function`` of each task in ``workers`` processes, the outcomes in the order of the tasks."""
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_process_context(),
        initializer=start_worker,
        initargs=(needs_layout,),
    )
    try:
        return list(pool.map(function, tasks))
    except BaseException:
        # SIGTERM reaches this process only: stop the workers too (their LibreOffice ends with them)
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _process_context() -> BaseContext:
    # fork starts workers without importing everything again; spawn where fork does not exist
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")
