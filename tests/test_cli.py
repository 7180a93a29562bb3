"""The command line: --explain, --list-rules, standard input, exit codes, and the README's snippets."""

import json
import re
import sys
from pathlib import Path

import pytest

from cnnlint.config import parse
from cnnlint.rules import ALL_RULES

from .conftest import FIXTURES, ROOT
from .test_formats import matcher_pattern

FORGOT_FLATTEN = """\
import keras

model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    keras.layers.Conv2D(8, 3),
    keras.layers.Dense(10),
])
"""


@pytest.mark.parametrize("name", ["CNN102", "cnn102", "non-integer-output-size"])
def test_explain_prints_the_document(cnnlint, name):
    proc = cnnlint("--explain", name)
    assert proc.returncode == 0
    assert proc.stdout == (ROOT / "rules" / "CNN102.md").read_text(encoding="utf-8")


def test_explain_an_unknown_rule(cnnlint):
    proc = cnnlint("--explain", "CNN999")
    assert proc.returncode == 2 and "CNN999" in proc.stderr and proc.stdout == ""


def test_list_rules(cnnlint):
    rows = [line.split(None, 4) for line in cnnlint("--list-rules").stdout.splitlines()]
    assert [row[:4] for row in rows] == [
        [r.code, r.name, r.severity, "on" if r.default_enabled else "off"] for r in ALL_RULES]


def test_standard_input_with_a_file_name(cnnlint):
    proc = cnnlint("--stdin-filename", "nets/m.py", "-", input=FORGOT_FLATTEN)
    assert proc.returncode == 0
    assert proc.stdout.startswith("nets/m.py:6:5: CNN302 [warning] Dense is applied to a feature map")


def test_standard_input_follows_the_configuration_of_its_name(tmp_path, cnnlint):
    (tmp_path / "pyproject.toml").write_text('[tool.cnnlint]\nignore = ["CNN302"]\n', encoding="utf-8")
    proc = cnnlint("--stdin-filename", str(tmp_path / "m.py"), "-", input=FORGOT_FLATTEN)
    assert proc.returncode == 0 and proc.stdout == "All checks passed!\n"


@pytest.mark.parametrize("args, status", [
    ((), 2),
    (("--input-shape", "28,x",), 2),
    (("--max-macs", "-1",), 2),
    (("--jobs", "0",), 2),
    (("--statistics", "--format", "sarif"), 2),
    (("--select", "nonsense"), 2),
])
def test_usage_errors_exit_2(cnnlint, args, status):
    proc = cnnlint(*args, *(["fixtures/lenet5_keras.py"] if args else []))
    assert proc.returncode == status
    assert proc.stderr.startswith("cnnlint: error: ") and "Traceback" not in proc.stderr


def test_exit_codes(tmp_path, cnnlint):
    assert cnnlint("--no-cache", "fixtures/lenet5_keras.py").returncode == 0
    assert cnnlint("--no-cache", "--max-params", "10", "fixtures/lenet5_keras.py").returncode == 1
    warnings_only = tmp_path / "m.py"
    warnings_only.write_text(FORGOT_FLATTEN, encoding="utf-8")
    assert cnnlint("--no-cache", warnings_only).returncode == 0


def test_parallel_and_cached_runs_agree(tmp_path, cnnlint_json):
    for i in range(6):
        (tmp_path / f"m{i}.py").write_text(FORGOT_FLATTEN, encoding="utf-8")
    sequential, _ = cnnlint_json("--no-cache", "--jobs", "1", ".", cwd=tmp_path)
    parallel, _ = cnnlint_json("--jobs", "2", "--cache-dir", "cache", ".", cwd=tmp_path)
    cached, _ = cnnlint_json("--jobs", "2", "--cache-dir", "cache", ".", cwd=tmp_path)
    assert sequential == parallel == cached
    assert len(sequential["diagnostics"]) == 6 and (tmp_path / "cache").is_dir()


def test_a_change_in_an_imported_project_module_invalidates_the_cache(tmp_path, cnnlint_json):
    package = tmp_path / "nets"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "blocks.py").write_text("from torch import nn\n\nWIDTH = 8\n\ndef head():\n"
                                       "    return nn.Linear(WIDTH, 2)\n", encoding="utf-8")
    (package / "model.py").write_text("from torch import nn\nfrom .blocks import head\n\n"
                                      "model = nn.Sequential(nn.Linear(4, 8), head())\n", encoding="utf-8")

    def total():
        doc, _ = cnnlint_json("--cache-dir", "cache", "nets/model.py", cwd=tmp_path)
        return [m["total_params"] for m in doc["models"]]

    assert total() == [40 + 18] == total()  # the second run is served from the cache
    (package / "blocks.py").write_text("from torch import nn\n\nWIDTH = 8\n\ndef head():\n"
                                       "    return nn.Linear(WIDTH, 3)\n", encoding="utf-8")
    assert total() == [40 + 27]
    (package / "blocks.py").unlink()
    assert total() == [None]


def test_the_plain_lint_path_imports_no_reporter_it_does_not_use():
    import subprocess

    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "cnnlint", "--no-cache",
                           str(FIXTURES / "lenet5_keras.py")], capture_output=True, text=True, timeout=60)
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "cnnlint.reporters.text" in imported
    assert not imported & {"cnnlint.reporters.sarif", "cnnlint.reporters.github", "cnnlint.reporters.json",
                           "cnnlint.reporters.summary", "cnnlint.reporters.statistics"}


def test_a_cached_run_does_not_import_the_parser(tmp_path):
    import subprocess

    argv = [sys.executable, "-X", "importtime", "-m", "cnnlint", "--cache-dir", str(tmp_path),
            str(FIXTURES / "lenet5_torch_buggy.py")]
    runs = [subprocess.run(argv, capture_output=True, text=True, timeout=60) for _ in range(2)]
    imported = [{line.split("|")[-1].strip().split(".")[0] for line in run.stderr.splitlines()
                 if line.startswith("import time:")} for run in runs]
    assert "libcst" in imported[0] and "libcst" not in imported[1]
    assert runs[0].returncode == runs[1].returncode == 1 and runs[0].stdout == runs[1].stdout


README = (ROOT / "README.md").read_text(encoding="utf-8")


def fenced(language: str) -> list:
    return re.findall(rf"```{language}\n(.*?)```", README, re.DOTALL)


def test_readme_vscode_task_uses_the_shipped_matcher():
    (task_json,) = [block for block in fenced("json") if '"tasks"' in block]
    (task,) = json.loads(task_json)["tasks"]
    _, shipped = matcher_pattern()
    assert task["problemMatcher"]["pattern"] == shipped


def test_readme_configuration_example_is_valid():
    import tomllib

    (example,) = [block for block in fenced("toml") if "[tool.cnnlint]" in block]
    settings = parse(tomllib.loads(example)["tool"]["cnnlint"], Path("."), "README: ")
    assert settings.max_params == 1_000_000 and "CNN900" in settings.ignore


def test_pre_commit_hook_definition():
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    for line in ("- id: cnnlint", "entry: cnnlint --fail-on warning", "language: python",
                 "types_or: [python, pyi, jupyter]", "require_serial: true"):
        assert line in hooks
