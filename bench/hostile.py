"""The larger hostile-input profile: files too big or too slow for the test suite, linted as users would.

    python bench/hostile.py [--jobs 2] [--keep FOLDER]

Writes the cases into a folder, lints them in one ``cnnlint --format json`` run
with ``--jobs 1`` and again with ``--jobs``, and prints per run the wall time,
the peak memory of the largest process, the exit code, and per file the codes
it got.  Every file must be answered (no CNN000, no traceback); the other
files of the run must still be linted.  Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
K = "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
MODEL = K + "model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])\n"
FACTORY = (K + "def build(n=4):\n{}\n    return keras.Sequential([keras.Input((n,)), layers.Dense(2)])\n"
           "model = build()\n")


def cases() -> dict:
    return {
        "ok.py": MODEL,
        "and_chain_20000.py": K + "flag = " + " and ".join(["True"] * 20_000) + "\n" + MODEL,
        "dense_50000_lines.py": K + "model = keras.Sequential()\n" + "model.add(layers.Dense(8))\n" * 50_000,
        "list_1m_items.py": K + "x = [" + "1, " * 1_000_000 + "]\n" + MODEL,
        "add_module_50000.py": "import torch\nfrom torch import nn\nmodel = nn.Sequential()\n" + "".join(
            f"model.add_module('l{i}', nn.ReLU())\n" for i in range(50_000)),
        "adjacent_strings_10000.py": K + "s = (" + " ".join(['"a"'] * 10_000) + ")\n" + MODEL,
        "percent_growth.py": FACTORY.format("    s = '%s%s'\n    for i in range(60):\n        s = s % (s, s)"),
        "bytes_doubling.py": FACTORY.format("    s = b'ab'\n    for i in range(60):\n        s = s + s"),
        "deepcopy_nested.py": "import copy\n" + FACTORY.format(
            "    a = [1]\n    for i in range(60):\n        a = [a, a]\n    b = copy.deepcopy(a)\n    c = a == b\n"
            "    s = str(a)"),
        "linspace_10_12.py": "import numpy as np\n" + FACTORY.format("    x = np.linspace(0, 1, 10**12)"),
        "while_true.py": FACTORY.format("    while True:\n        pass"),
    }


def lint(folder: Path, jobs: int) -> dict:
    argv = [sys.executable, "-m", "cnnlint", "--format", "json", "--no-cache", "--jobs", str(jobs), str(folder)]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    peak = __import__("resource").getrusage(__import__("resource").RUSAGE_CHILDREN).ru_maxrss / 1024
    sys.set_int_max_str_digits(0)
    codes: dict = {}
    try:
        doc = json.loads(out)
    except ValueError:
        doc = {"diagnostics": [], "models": []}
    for d in doc["diagnostics"]:
        codes.setdefault(os.path.basename(d["path"]), set()).add(d["code"])
    for m in doc["models"]:
        codes.setdefault(os.path.basename(m["path"]), set()).add(f"model:{m['total_params']}")
    return {"jobs": jobs, "seconds": round(wall, 2), "peak_mib": round(peak), "exit": proc.returncode,
            "traceback": "Traceback" in err.decode(errors="replace"),
            "files": {name: sorted(found) for name, found in sorted(codes.items())}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--keep", help="write the cases into this folder and keep them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.keep or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in cases().items():
            (folder / name).write_text(text)
        for jobs in sorted({1, args.jobs}):
            report = lint(folder, jobs)
            print(f"--jobs {jobs}: {report['seconds']} s, peak {report['peak_mib']} MiB (largest process so far), "
                  f"exit {report['exit']}, traceback: {report['traceback']}")
            for name in cases():
                print(f"  {name:<28} {', '.join(report['files'].get(name, ['(no diagnostic, no model)']))}")


if __name__ == "__main__":
    main()
