"""Benchmark cnnlint against the anchors of the performance issue, in one run.

Prints ratios, never asserts: wall times depend on the machine.

    python bench/run.py [--trees torch.nn keras] [--repeat 5]

Needs the test extras (Keras, PyTorch) and torchinfo (``pip install -e '.[bench]'``)
for the side-by-side single-file comparison; each is run in its own process.
"""

from __future__ import annotations

import argparse
import ast
import compileall
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LENET_KERAS = ROOT / "fixtures" / "lenet5_keras.py"

TORCHINFO_LENET = """
import torch, torchinfo
from torch import nn
model = nn.Sequential(nn.Conv2d(1, 6, 5), nn.MaxPool2d(2, 2), nn.ReLU(), nn.Conv2d(6, 16, 5), nn.MaxPool2d(2, 2),
                      nn.ReLU(), nn.Flatten(), nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                      nn.Linear(84, 10))
torchinfo.summary(model, input_size=(1, 1, 28, 28))
"""

KERAS_SUMMARY_LENET = """
import os
os.environ.setdefault("KERAS_BACKEND", "torch")
import keras
from keras import layers
model = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(6, 5), layers.MaxPooling2D(2, 2), layers.ReLU(),
                          layers.Conv2D(16, 5), layers.MaxPooling2D(2, 2), layers.ReLU(), layers.Flatten(),
                          layers.Dense(120, activation="relu"), layers.Dense(84, activation="relu"),
                          layers.Dense(10, activation="softmax")])
model.summary()
"""


def run_process(argv) -> tuple:
    """(wall seconds, peak RSS MiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024


def best_of(argv, repeat: int) -> tuple:
    runs = [run_process(argv) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def package_dir(name: str):
    spec = importlib.util.find_spec(name.split(".")[0])  # locates without importing
    if spec is None or not spec.submodule_search_locations:
        return None
    base = Path(list(spec.submodule_search_locations)[0])
    return base.joinpath(*name.split(".")[1:])


def python_files(trees) -> list:
    files = []
    for tree in trees:
        folder = package_dir(tree)
        if folder is not None and folder.is_dir():
            files.extend(sorted(p for p in folder.rglob("*.py")))
    return files


def single_file(repeat: int) -> None:
    # an installed package has its bytecode compiled; a checkout run with PYTHONDONTWRITEBYTECODE would not
    compileall.compile_dir(str(ROOT / "cnnlint"), quiet=1)
    print("## Single file (LeNet-5): cnnlint vs torchinfo and Keras summary, best of", repeat)
    with tempfile.TemporaryDirectory() as cache:
        command = [sys.executable, "-m", "cnnlint", "--cache-dir", cache, str(LENET_KERAS)]
        cold = best_of(command[:3] + ["--no-cache"] + command[3:], repeat)
        run_process(command)
        cached = best_of(command, repeat)
    print(f"cnnlint {LENET_KERAS.name}, analysed:        {cold[0]:.3f} s  {cold[1]:.0f} MiB peak")
    print(f"cnnlint {LENET_KERAS.name}, cached result:   {cached[0]:.3f} s  {cached[1]:.0f} MiB peak")
    for label, code in (("torchinfo.summary", TORCHINFO_LENET), ("keras model.summary", KERAS_SUMMARY_LENET)):
        other = best_of([sys.executable, "-c", code], max(1, repeat // 2))
        print(f"{label:<22} {other[0]:.3f} s  {other[1]:.0f} MiB peak  -> cnnlint takes {cold[0] / other[0]:.2f}x "
              f"the time ({cached[0] / other[0]:.2f}x cached), {cold[1] / other[1]:.2f}x the memory")


def throughput(trees) -> None:
    import libcst as cst

    from cnnlint.runner import Options, lint_source

    files = python_files(trees)
    data = [p.read_bytes() for p in files]
    lines = sum(d.count(b"\n") for d in data)
    print(f"\n## Throughput over {', '.join(trees)}: {len(files)} files, {lines:,} lines, one core")
    options = Options(report_models=False)  # as the text output lints
    # interleaved file by file, so that a change in machine load affects all three alike
    t_lint = t_cst = t_ast = 0.0
    for path, source in zip(files, data):
        start = time.perf_counter()
        lint_source(str(path), source, options)
        middle = time.perf_counter()
        _parse_or_none(cst, source)
        end = time.perf_counter()
        _ast_or_none(source)
        t_lint, t_cst, t_ast = t_lint + middle - start, t_cst + end - middle, t_ast + time.perf_counter() - end
    for label, seconds in (("cnnlint", t_lint), ("libcst parse only", t_cst), ("ast.parse", t_ast)):
        print(f"{label:<20} {seconds:7.2f} s  {lines / seconds:>10,.0f} lines/s")
    print(f"cnnlint / libcst parse-only rate: {t_cst / t_lint:.2f}x;  cnnlint / ast.parse rate: {t_ast / t_lint:.2f}x")
    return files, lines


def _parse_or_none(cst, data):
    try:
        return cst.parse_module(data)
    except Exception:  # noqa: BLE001 - a benchmark counts time, not failures
        return None


def _ast_or_none(data):
    try:
        return ast.parse(data)
    except (SyntaxError, ValueError):
        return None


def scale(trees, jobs: int) -> None:
    folders = [str(package_dir(t)) for t in trees if package_dir(t) is not None]
    print("\n## Scale: the same trees through the command line (--jobs, cache)")
    with tempfile.TemporaryDirectory() as cache:
        base = [sys.executable, "-m", "cnnlint", "--exit-zero", "--cache-dir", cache, *folders]
        one = run_process(base[:3] + ["--no-cache", "--jobs", "1"] + base[3:])[0]
        many = run_process(base[:3] + ["--no-cache", "--jobs", str(jobs)] + base[3:])[0]
        cold = run_process(base)[0]
        warm = run_process(base)[0]
    print(f"--jobs 1: {one:.2f} s   --jobs {jobs}: {many:.2f} s   speed-up {one / many:.2f}x")
    print(f"cold cache: {cold:.2f} s   unchanged re-run: {warm:.2f} s   speed-up {cold / warm:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trees", nargs="*", default=["torch.nn", "keras", "torchvision"])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    single_file(args.repeat)
    throughput(args.trees)
    scale(args.trees, args.jobs)


if __name__ == "__main__":
    main()
