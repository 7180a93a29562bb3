"""Editor latency of ``cnnlint server``: from ``didChange`` to ``publishDiagnostics``.

For each file, 50 edits (a changing comment on the last line, so the model
stays the same) are sent one at a time, each waiting for its diagnostics;
prints the median and 95th percentile and their ratio to two anchors: the
analysis alone in this process (what the server adds: the debounce, the pipe
to the analysis process, the protocol), and a ``cnnlint FILE`` process (best
of 3, no cache), which is what an editor without the server pays per check.
Never asserts: times depend on the machine.

    python bench/server.py [--edits 50]

Needs the server extra (``pip install -e '.[server]'``).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

from cnnlint.server.protocol import DEBOUNCE_SECONDS

ROOT = Path(__file__).resolve().parent.parent
FILES = {"LeNet-5 (fixtures/lenet5_torch_buggy.py)": ROOT / "fixtures" / "lenet5_torch_buggy.py",
         "ResNet-50 (fixtures/resnet50_torch.py)": ROOT / "fixtures" / "resnet50_torch.py"}
TARGETS = {"LeNet-5 (fixtures/lenet5_torch_buggy.py)": 0.020, "ResNet-50 (fixtures/resnet50_torch.py)": 0.150}


async def latencies(path: Path, edits: int, debounce_ms: float) -> list:
    client = LanguageClient("cnnlint-bench", "1")
    arrived: dict = {}

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params: types.PublishDiagnosticsParams):
        waiter = arrived.pop(params.version, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(time.perf_counter())

    await client.start_io(sys.executable, "-m", "cnnlint", "server", cwd=str(ROOT))
    await client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(), initialization_options={"debounceMs": debounce_ms}))
    client.initialized(types.InitializedParams())
    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    loop = asyncio.get_running_loop()
    opened = arrived[1] = loop.create_future()
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="python", version=1, text=text)))
    await opened
    found = []
    for version in range(2, edits + 3):
        waiter = arrived[version] = loop.create_future()
        start = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=f"{text}# edit {version}\n")]))
        found.append(await asyncio.wait_for(waiter, 60) - start)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return found[1:]  # the first edit also warms the analysis process's caches


def analysis_seconds(path: Path, edits: int) -> float:
    """Median time of the analysis alone, in this process, as the server runs it (model reports included)."""
    from cnnlint.results import Options
    from cnnlint.runner import lint_source

    text = path.read_bytes()
    lint_source(str(path), text, Options())
    times = []
    for version in range(edits):
        start = time.perf_counter()
        lint_source(str(path), text + f"# edit {version}\n".encode(), Options())
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cli_seconds(path: Path) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "cnnlint", "--no-cache", str(path)], cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--debounce-ms", type=float, default=DEBOUNCE_SECONDS * 1000,
                        help="the server's wait for the next keystroke (its default unless given)")
    args = parser.parse_args()
    print("| file | median | p95 | target (median) | vs the analysis alone | vs a `cnnlint FILE` process |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, path in FILES.items():
        times = sorted(asyncio.run(latencies(path, args.edits + 1, args.debounce_ms)))
        median = statistics.median(times)
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        alone, anchor = analysis_seconds(path, args.edits), cli_seconds(path)
        print(f"| {name} | {median * 1000:.1f} ms | {p95 * 1000:.1f} ms | {TARGETS[name] * 1000:.0f} ms "
              f"| {median / alone:.2f}× ({alone * 1000:.1f} ms) | {median / anchor:.2f}× ({anchor * 1000:.0f} ms) |")


if __name__ == "__main__":
    main()
