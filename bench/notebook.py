"""What reading a notebook costs: cnnlint's reader against a bare ``json.loads`` of the same file.

Prints ratios, never asserts.  The notebook is the LeNet fixture grown with
code cells that carry image outputs, as a trained notebook has them.

    python bench/notebook.py [--megabytes 16] [--repeat 5]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cnnlint.notebook import read  # noqa: E402 - after the path is set

LENET = ROOT / "fixtures" / "notebooks" / "lenet_torch_buggy.ipynb"


def grown_notebook(megabytes: float) -> bytes:
    document = json.loads(LENET.read_text(encoding="utf-8"))
    image = base64.b64encode(os.urandom(300_000)).decode()
    while len(json.dumps(document)) < megabytes * 1e6:
        n = len(document["cells"])
        document["cells"].append({
            "cell_type": "code", "execution_count": n, "metadata": {},
            "source": [f"loss_{n} = train(model, epoch={n})\n", "plot(loss)\n"] * 10,
            "outputs": [{"output_type": "display_data", "metadata": {},
                         "data": {"image/png": image, "text/plain": ["<Figure size 640x480 with 1 Axes>"]}}]})
    return json.dumps(document, indent=1).encode()


def best(function, repeat: int) -> float:
    """The fastest of ``repeat`` runs: the least disturbed by other processes."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=16)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data = grown_notebook(args.megabytes)
    ours = best(lambda: read(data), args.repeat)
    anchor = best(lambda: json.loads(data), args.repeat)
    print(f"notebook of {len(data) / 1e6:.1f} MB: cnnlint's reader {ours:.3f} s, json.loads {anchor:.3f} s: "
          f"{ours / anchor:.2f}x")


if __name__ == "__main__":
    main()
