"""Same input, same output: whatever the scheduling, the machine's speed, memory addresses or the cache."""

import importlib.util
import itertools
import json
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


#: a small project whose files change state of the modules they import: a registry one appends to, a class
#: attribute another sets; each file's result must be the one it gets when linted alone
PROJECT = {
    "pkg/__init__.py": "",
    "pkg/registry.py": """\
WIDTHS = [8]


class Config:
    depth = 1


def register(width):
    WIDTHS.append(width)


def configure(depth):
    Config.depth = depth


def width():
    return WIDTHS[-1]
""",
    "pkg/blocks.py": """\
import torch.nn as nn
from .registry import Config, width


def stack():
    return nn.Sequential(*[nn.Linear(width(), width()) for _ in range(Config.depth)])
""",
    "pkg/a.py": """\
import torch.nn as nn
from .registry import register

register(16)


class A(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)

    def forward(self, x):
        return self.fc(x)
""",
    "pkg/b.py": """\
import torch.nn as nn
from .registry import width


class B(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, width())

    def forward(self, x):
        return self.fc(x)
""",
    "pkg/c.py": """\
import torch.nn as nn
from .blocks import stack
from .registry import configure, register

configure(3)
register(2)


class C(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = stack()

    def forward(self, x):
        return self.body(x)
""",
}


def _project(tmp_path) -> Path:
    for name, text in PROJECT.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path / "pkg"


def _lint_in_one_run(files) -> dict:
    """Each file's models and diagnostics, as JSON text, from one run of the command line (one worker
    answers the files in turn, the biggest first)."""
    proc = subprocess.run([sys.executable, "-m", "cnnlint", "--format", "json", "--exit-zero", "--no-cache",
                           "--jobs", "1", "--input-shape", "1,2", *map(str, files)],
                          capture_output=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    return {Path(f).name: json.dumps([[m for m in out["models"] if m["path"] == str(f)],
                                      [d for d in out["diagnostics"] if d["path"] == str(f)]]) for f in files}


def test_a_file_result_does_not_depend_on_the_file_analysed_before_it(tmp_path):
    pkg = _project(tmp_path)
    assert (pkg / "a.py").stat().st_size > (pkg / "b.py").stat().st_size  # so the worker answers a.py first
    alone = _lint_in_one_run([pkg / "b.py"])["b.py"]
    assert '"output_shape": [1, 8]' in alone  # the registry as b.py's own imports leave it
    assert _lint_in_one_run([pkg / "a.py", pkg / "b.py"])["b.py"] == alone  # a.py registered 16


def test_every_order_gives_each_file_its_result_alone(tmp_path):
    """Linted in this process one after another, in every order, as a worker or the benchmark does."""
    from cnnlint.reporters.json import render
    from cnnlint.runner import Options, lint_path

    pkg = _project(tmp_path)
    names = ["a.py", "b.py", "c.py"]
    alone = {name: _lint_in_one_run([pkg / name])[name] for name in names}  # each in a fresh process
    assert '"total_params": 18' in alone["c.py"]  # 3 blocks of Linear(2, 2): c.py's own changes count
    options = Options(input_shape=(1, 2))
    for order in itertools.permutations(names):
        for name in order:
            out = json.loads(render([lint_path(str(pkg / name), options)]))
            assert json.dumps([out["models"], out["diagnostics"]]) == alone[name], (order, name)
