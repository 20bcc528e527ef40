"""The benchmark: build synthetic concepts of 100, 1,000 and 4,000 measures and the Goslar sample.

For each size: median and min–max wall time of a whole build (load, validate,
render, save) in a fresh process, its peak memory, the output size, and the
floor – python-docx opening that output and saving it again – measured in the
same run. Also the whole `concept-builder build inputs/goslar --no-page-numbers`
(a draft) and `concept-builder --help` processes, two concepts built with
--jobs 1 and 2, and what LibreOffice adds: the contents' page numbers, the PDF
and every variant, laid out once through UNO and, for comparison, converted
twice with `soffice --convert-to` (interleaved runs).
Results go to standard output and, as JSON, to build/bench.json.

Usage: python bench/run.py [--sizes 100,1000,4000] [--repeat 5] [--no-pdf]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

BUILD_ONCE = """
import resource, sys, time
started = time.perf_counter()
import concept_builder
from concept_builder import BuildOptions
result = concept_builder.build_folder(sys.argv[1], BuildOptions(out_dir=sys.argv[2]))
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(elapsed, peak, result.path)
"""

FLOOR = """
import sys, time
from docx import Document
started = time.perf_counter()
Document(sys.argv[1]).save(sys.argv[2])
print(time.perf_counter() - started)
"""


def python(code: str, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    ).stdout


def timed_process(command: list[str], repeat: int) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return summary(times)


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def measure_size(folder: Path, out: Path, repeat: int) -> dict[str, Any]:
    times, peaks, floors = [], [], []
    path = ""
    for _ in range(repeat):
        elapsed, peak, path = python(BUILD_ONCE, str(folder), str(out)).split(maxsplit=2)
        times.append(float(elapsed))
        peaks.append(int(peak) / 1024)  # ru_maxrss is in KiB on Linux
        floors.append(float(python(FLOOR, path.strip(), str(out / "floor.docx"))))
    build = summary(times)
    floor = summary(floors)
    return {
        "build_seconds": build,
        "floor_seconds": floor,
        "ratio_to_floor": build["median"] / floor["median"],
        "peak_memory_mb": max(peaks),
        "output_bytes": Path(path.strip()).stat().st_size,
    }


Command = tuple[list[str], dict[str, str]]  # arguments, and what to add to the environment


def interleaved(commands: dict[str, Command], repeat: int) -> dict[str, dict[str, float]]:
    """Whole processes, taking turns run by run so that a busy moment of the machine hits them all."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, (argv, environment) in commands.items():
            started = time.perf_counter()
            subprocess.run(argv, capture_output=True, check=True, env={**os.environ, **environment})
            times[name].append(time.perf_counter() - started)
    return {name: summary(values) for name, values in times.items()}


def libreoffice_seconds(cli: str, folder: Path, out: Path, repeat: int, *, variants: bool) -> dict[str, Any]:
    """What LibreOffice adds to a build of ``folder``: laid out once through UNO, or converted twice."""
    twice = {"CONCEPT_BUILDER_UNO_PYTHON": ""}  # no Python with uno: soffice --convert-to
    build = [cli, "build", str(folder), "-o"]
    commands: dict[str, Command] = {
        "draft": ([*build, str(out / "draft"), "--no-page-numbers"], {}),
        "page numbers": ([*build, str(out / "pages")], {}),
        "page numbers + pdf": ([*build, str(out / "pdf"), "--pdf"], {}),
        "page numbers + pdf, converted twice": ([*build, str(out / "pdf-twice"), "--pdf"], twice),
    }
    if variants:
        every = ["--variant", "all", "--pdf"]
        commands["all variants + pdf"] = ([*build, str(out / "all"), *every], {})
        commands["all variants + pdf, converted twice"] = ([*build, str(out / "all-twice"), *every], twice)
    return interleaved(commands, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100,1000,4000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "bench.json")
    options = parser.parse_args()
    cli = str(Path(sys.executable).with_name("concept-builder"))
    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "sizes": {},
    }
    with tempfile.TemporaryDirectory(prefix="concept-builder-bench-") as scratch:
        work = Path(scratch)
        sizes: dict[str, Any] = {}
        for size in [int(s) for s in options.sizes.split(",")]:
            folder = generate(size, work / f"in-{size}")
            sizes[str(size)] = measure_size(folder, work / f"out-{size}", options.repeat)
            row = sizes[str(size)]
            print(
                f"{size:>5} measures: build {row['build_seconds']['median']:.2f} s "
                f"({row['build_seconds']['min']:.2f}–{row['build_seconds']['max']:.2f}), "
                f"floor {row['floor_seconds']['median']:.2f} s, ratio {row['ratio_to_floor']:.1f}×, "
                f"peak {row['peak_memory_mb']:.0f} MB, {row['output_bytes'] / 1e6:.1f} MB"
            )
        results["sizes"] = sizes
        if "1000" in sizes and "4000" in sizes:
            growth = sizes["4000"]["build_seconds"]["median"] / sizes["1000"]["build_seconds"]["median"]
            results["growth_1000_to_4000"] = growth
            print(f"growth 1,000 → 4,000 measures: {growth:.2f}×")
        if "1000" in sizes:
            twin = generate(999, work / "in-999")
            folders = [str(work / "in-1000"), str(twin)]
            jobs = {
                str(n): timed_process(
                    [
                        cli,
                        "build",
                        *folders,
                        "-o",
                        str(work / f"jobs-{n}"),
                        "--jobs",
                        str(n),
                        "--no-page-numbers",
                    ],
                    2,
                )
                for n in (1, 2)
            }
            results["two_concepts_of_1000_seconds_by_jobs"] = jobs
            print(
                f"two concepts of ~1,000 measures: --jobs 1 {jobs['1']['median']:.2f} s,"
                f" --jobs 2 {jobs['2']['median']:.2f} s"
            )
        goslar = timed_process(
            [cli, "build", str(ROOT / "inputs" / "goslar"), "-o", str(work / "goslar"), "--no-page-numbers"],
            options.repeat,
        )
        help_ = timed_process([cli, "--help"], options.repeat)
        results["process_build_goslar_seconds"] = goslar
        results["process_help_seconds"] = help_
        print(
            f"process `build inputs/goslar --no-page-numbers`: {goslar['median']:.2f} s;"
            f" `--help`: {help_['median']:.2f} s"
        )
        if options.no_pdf or shutil.which("soffice") is None:
            print("LibreOffice: not measured" if options.no_pdf else "LibreOffice: not installed")
        else:
            libreoffice = {"goslar": (ROOT / "inputs" / "goslar", options.repeat, True)}
            if "1000" in sizes:
                libreoffice["1000"] = (work / "in-1000", min(options.repeat, 2), False)
            results["libreoffice_seconds"] = {}
            for name, (folder, repeat, variants) in libreoffice.items():
                row = libreoffice_seconds(cli, folder, work / f"lo-{name}", repeat, variants=variants)
                results["libreoffice_seconds"][name] = row
                shown = ", ".join(f"{step} {value['median']:.2f} s" for step, value in row.items())
                print(f"LibreOffice, {name}: {shown}")
    options.json.parent.mkdir(parents=True, exist_ok=True)
    options.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {options.json}")


if __name__ == "__main__":
    main()
