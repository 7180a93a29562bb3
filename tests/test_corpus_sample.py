"""A CI-sized sample of the robustness corpus: real keras and torch source, every file answered, no CNN000.

The full run is ``python bench/corpus.py`` (every .py file of torch, torchvision and keras).
"""

import importlib.util
import json
import subprocess
import sys

import pytest

from .conftest import ROOT

PACKAGES = [name for name in ("keras", "torch") if importlib.util.find_spec(name) is not None]


@pytest.mark.skipif(not PACKAGES, reason="neither keras nor torch is installed")
def test_sample_of_installed_frameworks_has_no_crash_and_no_hang():
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), *PACKAGES, "--sample", "150",
                           "--seed", "0", "--timeout", "30", "--json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=900)
    summary = json.loads(proc.stdout)
    assert summary["files"] == 150
    assert summary["crashes"] == [] and summary["timeouts"] == [], summary
    assert proc.returncode == 0, proc.stderr[-2000:]
