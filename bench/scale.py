"""timm's lint rate against other trees', as a ratio of lines per CPU-second.

    python bench/scale.py [--timm timm] [--anchors torchvision keras torch.nn] [--sample 300] [--jobs 2] [--json]

timm's files import each other and register hundreds of model factories, each
of which cnnlint calls; the anchor trees (a seeded sample of them) are the
rate the rest of the code gets.  Files are linted as ``--no-cache`` would
lint them, in bench/corpus.py's supervised workers; the rate is lines over
the CPU seconds of the workers, so other load on the machine does not count.
The figure to watch is the ratio (anchor rate / timm rate), not the seconds.

Each tree's rate is also split between its files that build models and those
that build none, with the CPU time per model; ``--model-anchor`` (every file of
torchvision.models) gives the cost of one model in code of the anchor trees, so
that a tree dense in models is compared like for like.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402  (bench/corpus.py, beside this script)


def package_dir(name: str):
    """The source folder of an installed package or subpackage, found without importing it."""
    spec = importlib.util.find_spec(name.split(".")[0])
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))).joinpath(*name.split(".")[1:])
    return folder if folder.is_dir() else None


def measure(files, jobs: int, timeout: float) -> dict:
    """corpus.py's summary, with the rate over the files answered: a file timed out has no CPU time to count."""
    records = corpus.run(files, jobs, timeout)
    summary = corpus.summarise(records, 0.0)
    answered = [r for r in records if "cpu_seconds" in r]
    summary["cpu_seconds"] = round(sum(r["cpu_seconds"] for r in answered), 2)
    lines = sum(corpus.count_lines(r["path"]) for r in answered)
    summary["lines_per_cpu_second"] = round(lines / summary["cpu_seconds"]) if summary["cpu_seconds"] else None
    for label, part in (("with_models", [r for r in answered if r["models"]]),
                        ("without_models", [r for r in answered if not r["models"]])):
        summary[label] = split(part)
    return summary


def split(records) -> dict:
    """Lines per CPU-second of a part of the files, and CPU per model: a tree's rate is mostly how many models
    its lines build, each built and traced in full, so the rate of files that build none and the cost of one
    model compare trees like for like."""
    cpu = sum(r["cpu_seconds"] for r in records)
    lines = sum(corpus.count_lines(r["path"]) for r in records)
    models = sum(r["models"] for r in records)
    return {"files": len(records), "lines": lines, "models": models, "cpu_seconds": round(cpu, 2),
            "lines_per_cpu_second": round(lines / cpu) if cpu else None,
            "cpu_ms_per_model": round(1000 * cpu / models) if models else None}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timm", default="timm", help="the tree to measure (package name or folder)")
    parser.add_argument("--anchors", nargs="*", default=["torchvision", "keras", "torch.nn"])
    parser.add_argument("--model-anchor", default="torchvision.models",
                        help="a tree of model files linted in full, to compare the cost of one model")
    parser.add_argument("--sample", type=int, default=300, help="anchor files linted, chosen with --seed")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=300.0, help="wall-time limit per file in seconds")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    timm = Path(args.timm) if os.path.isdir(args.timm) else package_dir(args.timm)
    anchors = [folder for folder in map(package_dir, args.anchors) if folder is not None]
    if timm is None or not anchors:
        print("scale: the tree or the anchors are not installed", file=sys.stderr)
        return 2
    anchor_files = corpus.python_files(anchors)
    if args.sample < len(anchor_files):
        anchor_files = sorted(random.Random(args.seed).sample(anchor_files, args.sample))
    result = {"anchors": measure(anchor_files, args.jobs, args.timeout),
              "timm": measure(corpus.python_files([timm]), args.jobs, args.timeout)}
    model_anchor = package_dir(args.model_anchor)
    if model_anchor is not None:
        result["model_anchor"] = measure(corpus.python_files([model_anchor]), args.jobs, args.timeout)
    anchor_rate, timm_rate = result["anchors"]["lines_per_cpu_second"], result["timm"]["lines_per_cpu_second"]
    result["ratio"] = round(anchor_rate / timm_rate, 2) if anchor_rate and timm_rate else None
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    for label in ("anchors", "timm", "model_anchor"):
        row = result.get(label)
        if row is None:
            continue
        print(f"{label:<12} {row['files']:>4} files {row['lines']:>8,} lines  {row['cpu_seconds']:>8.1f} CPU s  "
              f"{row['lines_per_cpu_second']:>7,} lines/CPU-s  {len(row['crashes'])} crashes  "
              f"{len(row['timeouts'])} time-outs")
        for part in ("with_models", "without_models"):
            piece = row[part]
            per_model = f"  {piece['cpu_ms_per_model']} CPU-ms per model" if piece["models"] else ""
            print(f"  {part.replace('_', ' '):<15} {piece['files']:>4} files {piece['lines']:>8,} lines  "
                  f"{piece['lines_per_cpu_second'] or 0:>7,} lines/CPU-s  {piece['models']:>5} models{per_model}")
    print(f"anchor rate / timm rate: {result['ratio']}x")
    if "model_anchor" in result:
        print(f"  (model_anchor: {args.model_anchor}, every file)")
    for slow in result["timm"]["slowest"]:
        print(f"  slowest timm file: {slow['path']} {slow['cpu_seconds']} CPU s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
