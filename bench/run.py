"""The benchmark: our build beside its anchors, and the commands users wait for.

For each size (synthetic concepts of 100, 1,000 and 4,000 measures; 16,000
with ``--large``) four whole processes run in turn, ``--repeat`` times,
interleaved so that a busy machine slows them alike:

- **project**: ``concept-builder build`` (charts already drawn, input files
  read afresh);
- **docxtpl**: plain docxtpl rendering an equivalent template (``anchors.py``);
- **pandoc**: pandoc converting the same content from Markdown (skipped, and
  said so, where pandoc is not installed);
- **floor**: python-docx opening plain docxtpl's output and saving it again –
  the cost of merely writing such a document, fixed whatever we write.

Each gets its median CPU seconds (user + system, the figure a shared machine
disturbs least) and wall seconds, its peak memory, and the bytes of document
XML per measure. Then the commands a user waits for, on the 4,000-measure
concept and on Goslar: a first build (empty cache), a rebuild, all variants,
a rebuild after one edited theme file (all drafts, without LibreOffice); and
what LibreOffice adds – the contents' page numbers, the PDF, every variant –
laid out once through UNO and, for comparison, converted twice with
``soffice --convert-to``.
Results go to standard output and, as JSON, to build/bench.json.

``--code DIR`` measures the project from another checkout (its
``concept_builder`` is put first on the path), for before/after figures.

Usage: python bench/run.py [--sizes 100,1000,4000] [--large] [--repeat 5] [--pandoc-up-to 4000]
                           [--no-pdf] [--code DIR]
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
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from anchors import make_template, markdown  # noqa: E402
from generate import generate  # noqa: E402

ANCHORS = str(ROOT / "bench" / "anchors.py")
LARGE = 16_000
EDITED_THEME = "handlungsfelder/00.yaml"


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float


def run(command: list[str], env: dict[str, str] | None = None) -> Run:
    """Run a whole process; its wall time, CPU time (user + system) and peak memory.

    It runs in a neutral folder: ``python -m`` puts the current folder first on
    the path, which would import this checkout whatever ``--code`` says.
    """
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=output, stderr=output, env=env, cwd=tempfile.gettempdir())
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            output.seek(0)
            shown = output.read().decode(errors="replace")[-2000:]
            raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{shown}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)  # ru_maxrss: KiB on Linux


def summary(runs: list[Run]) -> dict[str, Any]:
    cpu = [r.cpu for r in runs]
    wall = [r.wall for r in runs]
    return {
        "cpu_seconds": statistics.median(cpu),
        "wall_seconds": statistics.median(wall),
        "cpu_min_max": [min(cpu), max(cpu)],
        "wall_min_max": [min(wall), max(wall)],
        "peak_memory_mb": max(r.peak_mb for r in runs),
        "runs": len(runs),
    }


def document_xml_bytes(docx: Path) -> int:
    with zipfile.ZipFile(docx) as package:
        return package.getinfo("word/document.xml").file_size


class Bench:
    def __init__(self, work: Path, code: Path, repeat: int, before: Path | None = None) -> None:
        self.work = work
        self.repeat = repeat
        self.cache = work / "cache"
        # as an installation runs: compiled modules are kept (a shell may switch that off)
        environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
        self.env = {**environment, "PYTHONPATH": str(code), "CONCEPT_BUILDER_CACHE": str(self.cache)}
        # another checkout, measured in turn with this one: before and after under the same load
        self.before_env = (
            {**environment, "PYTHONPATH": str(before), "CONCEPT_BUILDER_CACHE": str(work / "cache-before")}
            if before is not None
            else None
        )
        self.before_knows_drafts = before is not None and "no-page-numbers" in (
            before / "concept_builder" / "cli.py"
        ).read_text(encoding="utf-8")
        self.template = work / "plain-template.docx"
        make_template(self.template)
        self.pandoc = shutil.which("pandoc")

    def build(
        self, folder: Path, out: Path, *flags: str, cache: Path | None = None, before: bool = False
    ) -> Run:
        env = self.before_env if before and self.before_env is not None else self.env
        if cache is not None:
            env = {**env, "CONCEPT_BUILDER_CACHE": str(cache)}
        draft = "--no-page-numbers"
        if before and not self.before_knows_drafts:  # older: every build was a draft, and the flag unknown
            flags = tuple(flag for flag in flags if flag != draft)
        else:  # a draft unless asked: the document is compared here, LibreOffice has its own figures
            flags = flags or (draft,)
        command = [sys.executable, "-m", "concept_builder", "build", str(folder), "-o", str(out), *flags]
        return run(command, env)

    def without_input_cache(self) -> None:
        """Input files are read afresh, as the anchors read theirs; drawn charts stay."""
        shutil.rmtree(self.cache / "inputs", ignore_errors=True)

    def size(self, measures: int, repeat: int, pandoc: bool = True) -> dict[str, Any]:
        folder = generate(measures, self.work / f"in-{measures}")
        out = self.work / f"out-{measures}"
        plain = self.work / f"plain-{measures}.docx"
        source = self.work / f"in-{measures}.md"
        source.write_text(markdown(folder), encoding="utf-8")
        subjects: dict[str, Callable[[], Run]] = {}

        def project() -> Run:
            self.without_input_cache()
            return self.build(folder, out)

        subjects["project"] = project
        if self.before_env is not None:
            subjects["before"] = lambda: self.build(folder, self.work / f"before-{measures}", before=True)
        subjects["docxtpl"] = lambda: run(
            [sys.executable, ANCHORS, "render", str(self.template), str(folder), str(plain)]
        )
        pandoc = pandoc and self.pandoc is not None
        if pandoc:
            subjects["pandoc"] = lambda: run(
                [self.pandoc or "pandoc", str(source), "-o", str(self.work / f"pandoc-{measures}.docx")]
            )
        subjects["floor"] = lambda: run(
            [sys.executable, ANCHORS, "floor", str(plain), str(self.work / "floor.docx")]
        )
        self.build(folder, out)  # draws the charts once: the comparison is about the document
        if self.before_env is not None:
            self.build(folder, self.work / f"before-{measures}", before=True)
        runs: dict[str, list[Run]] = {name: [] for name in subjects}
        for _ in range(repeat):
            for name, subject in subjects.items():
                runs[name].append(subject())
        row: dict[str, Any] = {name: summary(values) for name, values in runs.items()}
        if not pandoc:
            row["pandoc"] = None
        ours = next(out.glob("*.docx"))
        outputs = {"project": ours, "docxtpl": plain}
        if pandoc:
            outputs["pandoc"] = self.work / f"pandoc-{measures}.docx"
        row["xml_bytes_per_measure"] = {
            name: document_xml_bytes(path) / measures for name, path in outputs.items()
        }
        row["output_bytes"] = ours.stat().st_size
        cpu = {name: row[name]["cpu_seconds"] for name in runs}
        if "before" in runs:
            before = next((self.work / f"before-{measures}").glob("*.docx"))
            row["before_xml_bytes_per_measure"] = document_xml_bytes(before) / measures
            row["before_ratios"] = {
                "to_floor": cpu["before"] / cpu["floor"],
                "to_docxtpl": cpu["before"] / cpu["docxtpl"],
            }
        row["ratios"] = {
            "to_floor": cpu["project"] / cpu["floor"],
            "to_docxtpl": cpu["project"] / cpu["docxtpl"],
            "pandoc_to_project": cpu["pandoc"] / cpu["project"] if pandoc else None,
            "xml_to_docxtpl": row["xml_bytes_per_measure"]["project"]
            / row["xml_bytes_per_measure"]["docxtpl"],
        }
        return row

    def commands(self, folder: Path, name: str) -> dict[str, Any]:
        """First build, rebuild, all variants, one edited theme file: what a user of ``folder`` waits for."""
        results = {}
        versions = [False, True] if self.before_env is not None else [False]
        runs: dict[tuple[bool, str], list[Run]] = {}
        theme = folder / EDITED_THEME
        original = theme.read_text(encoding="utf-8") if theme.exists() else None
        for before in versions:
            self.build(folder, self.work / f"commands-{name}", before=before)  # the cache a rebuild finds
        for index in range(self.repeat):
            for before in versions:
                out = self.work / f"commands-{name}"

                def timed(
                    kind: str, *flags: str, cache: Path | None = None, at: Path = out, old: bool = before
                ) -> None:
                    runs.setdefault((old, kind), []).append(
                        self.build(folder, at, *flags, cache=cache, before=old)
                    )

                empty = self.work / f"empty-cache-{name}-{index}"
                timed("first_build", cache=empty)
                shutil.rmtree(empty)
                timed("rebuild")
                timed(
                    "all_variants", "--variant", "all", "--no-page-numbers", at=self.work / f"variants-{name}"
                )
                if original is not None:
                    # a word changed in one measure: a different file each time, as an editing user makes
                    edit = original.replace("Förderung", f"Förderung{index}{int(before)}", 1)
                    theme.write_text(edit, encoding="utf-8")
                    timed("one_theme_file_edited")
        if original is not None:
            theme.write_text(original, encoding="utf-8")
        for (before, kind), values in runs.items():
            results[f"before_{kind}" if before else kind] = summary(values)
        return results


def libreoffice_seconds(bench: Bench, folder: Path, name: str, *, variants: bool) -> dict[str, Any]:
    """What LibreOffice adds to a build of ``folder``: laid out once through UNO, or converted twice.

    Whole processes, taking turns run by run so that a busy moment of the machine hits them all.
    """
    twice = {"CONCEPT_BUILDER_UNO_PYTHON": ""}  # no Python with uno: soffice --convert-to
    out = bench.work / f"lo-{name}"
    commands: dict[str, tuple[list[str], dict[str, str]]] = {
        "draft": (["--no-page-numbers"], {}),
        "page_numbers": (["--page-numbers"], {}),
        "page_numbers_and_pdf": (["--pdf"], {}),
        "page_numbers_and_pdf_converted_twice": (["--pdf"], twice),
    }
    if variants:
        commands["all_variants_and_pdf"] = (["--variant", "all", "--pdf"], {})
        commands["all_variants_and_pdf_converted_twice"] = (["--variant", "all", "--pdf"], twice)
    runs: dict[str, list[Run]] = {kind: [] for kind in commands}
    for _ in range(bench.repeat if not variants else max(1, bench.repeat // 2)):
        for kind, (flags, environment) in commands.items():
            command = [sys.executable, "-m", "concept_builder", "build", str(folder), "-o", str(out / kind)]
            runs[kind].append(run([*command, *flags], {**bench.env, **environment}))
    return {kind: summary(values) for kind, values in runs.items()}


def line(name: str, row: dict[str, Any] | None) -> str:
    if row is None:
        return f"  {name:<9} not run (not installed, or above --pandoc-up-to)"
    return (
        f"  {name:<9} {row['cpu_seconds']:6.2f} s CPU, {row['wall_seconds']:6.2f} s wall,"
        f" peak {row['peak_memory_mb']:5.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100,1000,4000")
    parser.add_argument("--large", action="store_true", help=f"also {LARGE:,} measures (a few minutes)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--pandoc-up-to",
        type=int,
        default=4000,
        help="pandoc only up to this many measures (at 16,000 it takes over ten minutes)",
    )
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument(
        "--code", type=Path, default=ROOT, help="the checkout whose concept_builder is measured"
    )
    parser.add_argument("--before", type=Path, help="another checkout, measured in turn with --code")
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "bench.json")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",") if s]
    if options.large and LARGE not in sizes:
        sizes.append(LARGE)
    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_average": os.getloadavg(),
        },
        "code": str(options.code.resolve()),
        "before": str(options.before.resolve()) if options.before else None,
        "repeat": options.repeat,
        "sizes": {},
    }
    with tempfile.TemporaryDirectory(prefix="concept-builder-bench-") as scratch:
        before = options.before.resolve() if options.before else None
        bench = Bench(Path(scratch), options.code.resolve(), options.repeat, before)
        if not bench.pandoc:
            print("pandoc is not installed: its anchor is skipped (apt-get install pandoc)")
        for size in sizes:
            repeat = options.repeat if size < LARGE else max(1, options.repeat // 3)
            with_pandoc = size <= options.pandoc_up_to
            row = results["sizes"][str(size)] = bench.size(size, repeat, with_pandoc)
            ratios = row["ratios"]
            print(f"{size:>6} measures:")
            for name in ("project", "before", "docxtpl", "pandoc", "floor"):
                if name in row:
                    print(line(name, row[name]))
            bytes_shown = ", ".join(f"{k} {v:,.0f}" for k, v in row["xml_bytes_per_measure"].items())
            print(
                f"  ratio to the floor {ratios['to_floor']:.2f}×, to docxtpl {ratios['to_docxtpl']:.2f}×;"
                f" document XML per measure: {bytes_shown} bytes"
            )
        cpu = {size: row["project"]["cpu_seconds"] for size, row in results["sizes"].items()}
        if "1000" in cpu and "4000" in cpu:
            results["growth_1000_to_4000"] = cpu["4000"] / cpu["1000"]
        if "4000" in cpu and str(LARGE) in cpu:
            results["growth_4000_to_16000"] = cpu[str(LARGE)] / cpu["4000"]
        for key in ("growth_1000_to_4000", "growth_4000_to_16000"):
            if key in results:
                print(f"{key.replace('_', ' ')}: {results[key]:.2f}×")
        goslar = ROOT / "inputs" / "goslar"
        commands = {"goslar": bench.commands(goslar, "goslar")}
        if "4000" in results["sizes"]:
            commands["4000"] = bench.commands(bench.work / "in-4000", "4000")
        results["commands"] = commands
        for name, rows in commands.items():
            shown = "; ".join(
                f"{kind.replace('_', ' ')} {r['wall_seconds']:.2f} s ({r['cpu_seconds']:.2f} s CPU)"
                for kind, r in rows.items()
            )
            print(f"{name}: {shown}")
        helps = [
            run([sys.executable, "-m", "concept_builder", "--help"], bench.env) for _ in range(options.repeat)
        ]
        results["help"] = summary(helps)
        print(f"--help: {results['help']['wall_seconds']:.2f} s")
        if "1000" in results["sizes"]:
            twin = generate(999, bench.work / "in-999")
            folders = [str(bench.work / "in-1000"), str(twin)]
            jobs = {}
            for count in (1, 2):
                command = [sys.executable, "-m", "concept_builder", "build", *folders]
                command += [
                    "-o",
                    str(bench.work / f"jobs-{count}"),
                    "--jobs",
                    str(count),
                    "--no-page-numbers",
                ]
                jobs[str(count)] = summary([run(command, bench.env) for _ in range(2)])
            results["two_concepts_of_1000_by_jobs"] = jobs
            print(
                f"two concepts of ~1,000 measures: --jobs 1 {jobs['1']['wall_seconds']:.2f} s,"
                f" --jobs 2 {jobs['2']['wall_seconds']:.2f} s (wall)"
            )
        if options.no_pdf or shutil.which("soffice") is None:
            print("LibreOffice: not measured" if options.no_pdf else "LibreOffice: not installed")
        else:
            libreoffice = {"goslar": libreoffice_seconds(bench, goslar, "goslar", variants=True)}
            if "1000" in results["sizes"]:
                libreoffice["1000"] = libreoffice_seconds(
                    bench, bench.work / "in-1000", "1000", variants=False
                )
            results["libreoffice_seconds"] = libreoffice
            for name, rows in libreoffice.items():
                shown = ", ".join(
                    f"{kind.replace('_', ' ')} {r['wall_seconds']:.2f} s" for kind, r in rows.items()
                )
                print(f"LibreOffice, {name}: {shown}")
    options.json.parent.mkdir(parents=True, exist_ok=True)
    options.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {options.json}")


if __name__ == "__main__":
    main()
