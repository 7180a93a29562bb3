"""Same input, same output: whatever the scheduling, the machine's speed, memory addresses or the cache."""

import importlib.util
import random
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

TREES = [("torchvision", "models"), ("torch", "nn/modules"), ("keras", "src/applications")]


def _sample() -> list:
    files = []
    for package, folder in TREES:
        spec = importlib.util.find_spec(package)  # locates without importing
        if spec is None or not spec.submodule_search_locations:
            continue
        base = Path(next(iter(spec.submodule_search_locations))) / folder
        found = sorted(str(p) for p in base.rglob("*.py"))
        files += random.Random(0).sample(found, min(8, len(found)))
    return files


@pytest.mark.skipif(not _sample(), reason="none of torchvision, torch or keras is installed")
def test_jobs_and_cache_give_byte_identical_json(tmp_path):
    files = _sample()

    def run(*flags):
        proc = subprocess.run([sys.executable, "-m", "cnnlint", "--format", "json", "--exit-zero", *flags, *files],
                              capture_output=True, cwd=ROOT, timeout=900)
        assert proc.returncode == 0, proc.stderr[-2000:]
        return proc.stdout

    cache = ["--cache-dir", str(tmp_path / "cache")]
    outputs = {"--jobs 1": run("--no-cache", "--jobs", "1"), "--jobs 2": run("--no-cache", "--jobs", "2"),
               "cold cache": run("--jobs", "2", *cache), "cached": run("--jobs", "1", *cache)}
    first = outputs["--jobs 1"]
    assert b'"models": []' not in first  # the sample builds models: the comparison means something
    assert b" at 0x" not in first  # no object address in any message
    for name, output in outputs.items():
        assert output == first, name
