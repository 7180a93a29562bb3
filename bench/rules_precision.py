"""The model-code rules (CNN4xx-CNN6xx) over real code: every report they make, and what they cost.

    python bench/rules_precision.py [--jobs 2] [--repeat 1] [--save reports.json] [TREE...]

Lints the trees cold (no cache) with every default rule, then with the CNN4xx-CNN6xx rules left out, with
the per-file wall-clock guard lifted so that both runs analyse every file to the end; with --repeat N the
two alternate N times.  Prints each report of those rules, for checking by hand, and the ratio of the CPU
time (user + system of the worker processes) and of the wall time of the two runs.  Never asserts a time.
The default trees: torchvision, keras.applications, torch.nn, timm, bench/scripts, pytorchcv, vit_pytorch
and efficientnet_pytorch (those installed).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import locate  # noqa: E402 - after the path set-up
from cnnlint.parallel import lint_sources  # noqa: E402
from cnnlint.results import Options  # noqa: E402
from cnnlint.rules import ALL_RULES  # noqa: E402

DEFAULT_TREES = ("torchvision", "keras/src/applications", "torch/nn", "timm", str(ROOT / "bench" / "scripts"),
                 "pytorchcv", "vit_pytorch", "efficientnet_pytorch")
NEW_RULES = ("CNN4", "CNN5", "CNN6")
#: long enough for any file: both runs must analyse the same files to the end
NO_GUARD = 24 * 3600.0


def tree_files(tree: str) -> list:
    """The .py files of a folder or of an installed package's subfolder (``keras/src/applications``)."""
    package, _, sub = tree.partition("/") if not os.path.isdir(tree) else (tree, "", "")
    base = locate(package)
    folder = base / sub if base is not None and sub else base
    return sorted(folder.rglob("*.py")) if folder is not None and folder.is_dir() else []


def lint(sources: list, enabled: frozenset, jobs: int) -> tuple:
    """(diagnostics, CPU seconds of the workers, wall seconds) of one cold run."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    results = lint_sources(sources, Options(enabled=enabled, report_models=False), jobs, deadline=NO_GUARD)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return [d for result in results for d in result.diagnostics], cpu, wall


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="*", default=list(DEFAULT_TREES))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--save", help="write the reports of the new rules to this JSON file")
    args = parser.parse_args(argv)

    sources = []
    for tree in args.trees:
        files = tree_files(tree)
        print(f"{tree}: {len(files)} files" if files else f"{tree}: not found, skipped")
        sources += [(str(path), path.read_bytes()) for path in files]
    every = frozenset(rule.code for rule in ALL_RULES if rule.default_enabled)
    without = frozenset(code for code in every if not code.startswith(NEW_RULES))

    cpu = {"with": 0.0, "without": 0.0}
    wall = dict(cpu)
    reports = []
    for _ in range(args.repeat):
        for run, enabled in (("with", every), ("without", without)):
            diagnostics, seconds, elapsed = lint(sources, enabled, args.jobs)
            cpu[run] += seconds
            wall[run] += elapsed
            if run == "with":
                reports = [d for d in diagnostics if d.code.startswith(NEW_RULES)]
            print(f"  {run} the new rules: {seconds:.1f} s CPU, {elapsed:.1f} s wall", flush=True)

    print(f"\n{len(sources)} files; {len(reports)} reports of {', '.join(NEW_RULES)}:")
    for d in reports:
        print(f"  {d.path}:{d.line}:{d.column}: {d.code} [{d.model}] {d.message}")
    print(f"\nCPU time with / without the new rules: {cpu['with']:.1f} s / {cpu['without']:.1f} s = "
          f"{cpu['with'] / cpu['without']:.3f}x")
    print(f"wall time with / without: {wall['with']:.1f} s / {wall['without']:.1f} s = "
          f"{wall['with'] / wall['without']:.3f}x")
    if args.save:
        Path(args.save).write_text(json.dumps([{"path": d.path, "line": d.line, "code": d.code, "model": d.model,
                                                "message": d.message} for d in reports], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
