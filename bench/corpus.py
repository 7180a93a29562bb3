"""Robustness corpus: run cnnlint over every .py file of installed packages.

    python bench/corpus.py                      # torch, torchvision, keras (those installed)
    python bench/corpus.py keras ./my/folder --sample 150 --seed 0 --timeout 20 --json

Real code nobody here wrote is the best test of "every file gets an answer".
Packages are located with importlib.util.find_spec, which does not import
them, and their files are read as bytes: nothing of the corpus is run.

Each file is linted in a worker process that the parent kills when it exceeds
the per-file wall-time limit, so a hang is reported as a time-out instead of
stalling the run, and a worker that dies (a C stack overflow, the memory
limit) is reported as a crash and replaced.  Exit code 2 when any file
crashed (CNN000 or a dead worker) or timed out, else 0.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing
import os
import random
import sys
import time
from multiprocessing.connection import wait
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_TARGETS = ("torch", "torchvision", "keras")


def locate(target: str):
    """A folder as given, or the source folder of an installed package (None if absent)."""
    if os.path.isdir(target):
        return Path(target)
    spec = importlib.util.find_spec(target)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def python_files(folders) -> list:
    """Every .py file under the folders, in a stable order, without following links."""
    found = set()
    for folder in folders:
        for root, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            found.update(os.path.join(root, f) for f in filenames if f.endswith(".py"))
    return sorted(found)


def _worker(conn, memory_mb) -> None:
    """Lint the paths the parent sends, one at a time, and answer with a record each."""
    import resource

    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from cnnlint.runner import Options, lint_path

    options = Options()
    while True:
        path = conn.recv()
        if path is None:
            return
        start, cpu = time.perf_counter(), time.process_time()
        result = lint_path(path, options)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        internal = [d.message for d in result.diagnostics if d.code == "CNN000"]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MiB on Linux: this worker's so far
        conn.send({"path": path, "seconds": elapsed, "cpu_seconds": cpu, "models": len(result.models), "peak_mib": peak,
                   "codes": sorted({d.code for d in result.diagnostics}), "crash": internal[0] if internal else None})


class _Slot:
    """One worker process and the file it is working on."""

    def __init__(self, context, memory_mb):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, memory_mb), daemon=True)
        self.process.start()
        child.close()
        self.path = None
        self.started = 0.0

    def give(self, path: str) -> None:
        self.path, self.started = path, time.monotonic()
        self.conn.send(path)

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()


def run(files, jobs: int, timeout: float, memory_mb=None, progress=None) -> list:
    """One record per file: seconds, codes, and crash or timed_out."""
    context = multiprocessing.get_context("spawn")
    queue = list(reversed(files))
    slots = [_Slot(context, memory_mb) for _ in range(max(1, min(jobs, len(files))))]
    records = []
    for slot in slots:
        if queue:
            slot.give(queue.pop())
    while any(slot.path for slot in slots):
        busy = [slot for slot in slots if slot.path]
        now = time.monotonic()
        wait([slot.conn for slot in busy], timeout=max(0.01, min(s.started + timeout for s in busy) - now))
        for i, slot in enumerate(slots):
            if not slot.path:
                continue
            record = None
            try:
                if slot.conn.poll():
                    record = slot.conn.recv()
            except (EOFError, OSError):
                record = {"path": slot.path, "crash": f"the worker died (exit code {slot.process.exitcode})"}
            if record is None and not slot.process.is_alive():
                record = {"path": slot.path, "crash": f"the worker died (exit code {slot.process.exitcode})"}
            if record is None and time.monotonic() - slot.started > timeout:
                record = {"path": slot.path, "timed_out": True, "seconds": timeout}
            if record is None:
                continue
            records.append(record)
            if progress:
                progress(record)
            if "codes" not in record:  # the worker is dead or stuck: replace it
                slot.kill()
                slot = slots[i] = _Slot(context, memory_mb)
            slot.path = None
            if queue:
                slot.give(queue.pop())
    for slot in slots:
        slot.conn.send(None)
        slot.process.join(5)
        if slot.process.is_alive():
            slot.kill()
    return sorted(records, key=lambda r: r["path"])


def count_lines(path: str) -> int:
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)


def summarise(records, wall_seconds: float) -> dict:
    lines = sum(count_lines(r["path"]) for r in records)
    busy = sum(r.get("cpu_seconds", r.get("seconds", 0.0)) for r in records)  # CPU time: other load does not count
    slowest = sorted((r for r in records if "seconds" in r), key=lambda r: -r.get("cpu_seconds", r["seconds"]))[:5]
    return {
        "files": len(records),
        "lines": lines,
        "models": sum(r.get("models", 0) for r in records),
        "crashes": [{"path": r["path"], "message": r["crash"]} for r in records if r.get("crash")],
        "timeouts": [r["path"] for r in records if r.get("timed_out")],
        "wall_seconds": round(wall_seconds, 2),
        "lines_per_second": round(lines / wall_seconds) if wall_seconds else None,
        "lines_per_cpu_second": round(lines / busy) if busy else None,
        "peak_worker_mib": round(max((r.get("peak_mib", 0) for r in records), default=0)),
        "slowest": [{"path": r["path"], "seconds": round(r["seconds"], 2),
                     "cpu_seconds": round(r.get("cpu_seconds", 0), 2)} for r in slowest],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", default=list(DEFAULT_TARGETS),
                        help="installed package names or folders (default: torch torchvision keras)")
    parser.add_argument("--sample", type=int, help="lint only this many files, chosen at random")
    parser.add_argument("--seed", type=int, default=0, help="seed of --sample (default 0)")
    parser.add_argument("--timeout", type=float, default=30.0, help="wall-time limit per file in seconds")
    parser.add_argument("--memory-mb", type=int, help="address-space limit per worker process")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)

    folders = []
    for target in args.targets:
        folder = locate(target)
        if folder is None:
            print(f"corpus: {target} is neither a folder nor an installed package, skipped", file=sys.stderr)
        else:
            folders.append(folder)
    files = python_files(folders)
    if args.sample is not None and args.sample < len(files):
        files = sorted(random.Random(args.seed).sample(files, args.sample))

    def progress(record):
        if record.get("crash") or record.get("timed_out"):
            print(f"corpus: {record['path']}: {record.get('crash') or 'timed out'}", file=sys.stderr)

    start = time.monotonic()
    records = run(files, args.jobs, args.timeout, args.memory_mb, progress)
    summary = summarise(records, time.monotonic() - start)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(f"{summary['files']} files, {summary['lines']} lines, {summary['models']} models, "
              f"{len(summary['crashes'])} crashes, {len(summary['timeouts'])} time-outs, "
              f"{summary['wall_seconds']} s, {summary['lines_per_second']} lines/s "
              f"({summary['lines_per_cpu_second']} lines/s per process), peak {summary['peak_worker_mib']} MiB "
              "per worker")
        for slow in summary["slowest"]:
            print(f"  slowest: {slow['path']} {slow['seconds']} s")
    return 2 if summary["crashes"] or summary["timeouts"] else 0


if __name__ == "__main__":
    sys.exit(main())
