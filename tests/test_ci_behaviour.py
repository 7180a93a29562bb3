"""The command line in CI, pre-commit and terminals: each case was hit for real by a ruff user."""

import json
import os
import re
import subprocess

import pytest

from cnnlint.reporters import printable, text

from .conftest import FIXTURES, reported_paths
from .test_cli import fenced
from .test_formats import GITHUB_SARIF, FakeTerminal, parse_github, parse_with_matcher

BUGGY = (FIXTURES / "lenet5_torch_buggy.py").read_text(encoding="utf-8")
#: a warning only: CNN102, the last row and column are never read
WARNING_ONLY = """\
from torch import nn

model = nn.Sequential(nn.Conv2d(1, 4, 3, stride=2), nn.ReLU())  # cnnlint: input-shape=1,28,28
"""
#: an info only: CNN900, a width cnnlint cannot compute
INFO_ONLY = """\
import os
from torch import nn

model = nn.Sequential(nn.Flatten(), nn.Linear(4, int(os.environ["UNITS"])))  # cnnlint: input-shape=4
"""


def git_init(folder):
    subprocess.run(["git", "init", "-q", str(folder)], check=True, capture_output=True)


# 1 ------------------------------------------------------------------------------------------------
def test_a_cached_result_is_printed_under_the_current_runs_path(tmp_path, cnnlint):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.py").write_text(BUGGY, encoding="utf-8")
    cache = ["--cache-dir", str(tmp_path / "cache")]
    first = cnnlint(*cache, "x.py", cwd=tmp_path / "sub")
    assert first.stdout.startswith("x.py:13:20: CNN101")
    assert cnnlint(*cache, "sub/x.py", cwd=tmp_path).stdout.startswith("sub/x.py:13:20: CNN101")
    assert cnnlint(*cache, ".", cwd=tmp_path).stdout.startswith("./sub/x.py:13:20: CNN101")
    absolute = str(tmp_path / "sub" / "x.py")
    assert cnnlint(*cache, absolute, cwd=tmp_path).stdout.startswith(f"{absolute}:13:20: CNN101")
    doc = json.loads(cnnlint(*cache, "--format", "json", "x.py", cwd=tmp_path / "sub").stdout)
    cnnlint(*cache, "--format", "json", "sub/x.py", cwd=tmp_path)
    again = json.loads(cnnlint(*cache, "--format", "json", "sub/x.py", cwd=tmp_path).stdout)
    assert {d["path"] for d in again["diagnostics"]} | {m["path"] for m in again["models"]} == {"sub/x.py"}
    assert doc["diagnostics"][0]["path"] == "x.py"


# 2 ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["git", "GITHUB_WORKSPACE"])
def test_ci_paths_from_a_subfolder_are_the_repositorys(tmp_path, cnnlint, how):
    (tmp_path / "ml").mkdir()
    (tmp_path / "ml" / "net.py").write_text(BUGGY, encoding="utf-8")
    env = {"GITHUB_WORKSPACE": str(tmp_path)} if how == "GITHUB_WORKSPACE" else {"GITHUB_WORKSPACE": ""}
    if how == "git":
        git_init(tmp_path)
    github = cnnlint("--no-cache", "--format", "github", "net.py", cwd=tmp_path / "ml", env=env)
    _, properties, message = parse_github(github.stdout.splitlines()[0])
    assert properties["file"] == "ml/net.py"
    assert message.startswith("net.py:13:20:")  # the words stay the run's own
    doc = json.loads(cnnlint("--no-cache", "--format", "sarif", "net.py", cwd=tmp_path / "ml", env=env).stdout)
    jsonschema_validate(doc)
    (run,) = doc["runs"]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "ml/net.py", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    assert not any("helpUri" in rule for rule in run["tool"]["driver"]["rules"])


def jsonschema_validate(doc):
    import jsonschema

    jsonschema.validate(doc, GITHUB_SARIF)


# 3 ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("source, severity", [(WARNING_ONLY, "warning"), (INFO_ONLY, "info")])
def test_fail_on(tmp_path, cnnlint, source, severity):
    (tmp_path / "m.py").write_text(source, encoding="utf-8")
    assert f"[{severity}]" in cnnlint("--no-cache", "m.py", cwd=tmp_path).stdout
    levels = ["error", "warning", "info"]
    for level in levels:
        expected = 1 if levels.index(severity) <= levels.index(level) else 0
        assert cnnlint("--no-cache", "--fail-on", level, "m.py", cwd=tmp_path).returncode == expected, level
    assert cnnlint("--no-cache", "--fail-on", "info", "--exit-zero", "m.py", cwd=tmp_path).returncode == 0
    assert cnnlint("--fail-on", "notice", "m.py", cwd=tmp_path).returncode == 2
    # the hook's entry says --fail-on warning; a user's args: [--fail-on, error] come after it and win
    assert cnnlint("--no-cache", "--fail-on", "info", "--fail-on", "error", "m.py", cwd=tmp_path).returncode == 0


# 4 ------------------------------------------------------------------------------------------------
def test_readme_pre_commit_snippet_pins_nothing_that_does_not_exist():
    (snippet,) = [block for block in fenced("yaml") if "repos:" in block]
    rev = re.search(r"rev: (\S+)", snippet).group(1)
    tags = subprocess.run(["git", "tag"], capture_output=True, text=True, cwd=FIXTURES.parent).stdout.split()
    assert rev in tags or not re.fullmatch(r"v?\d+(\.\d+)*", rev), rev  # a version only if it is tagged
    assert "types_or" not in snippet  # the hook's own definition says which files


# 5 ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("source, where, message", [
    ("import torch\nfrom torch import nn\n\nclass Net(nn.Module):\n    def __init__(self):\n"
     "        super().__init__()\n        self.fc = nn.Linear(4, 2\n\n    def forward(self, x):\n"
     "        return self.fc(x)\n", "7:28", "'(' was never closed"),
    ("import torch\nx = 1\n    y = 2\n", "3:4", "unexpected indent"),
    ("import torch\nfor i in range(2):\n  x = 1\n    y = 2\n", "4:4", "unexpected indent"),
])
def test_syntax_errors_at_pythons_place_and_words(tmp_path, cnnlint, source, where, message):
    (tmp_path / "m.py").write_text(source, encoding="utf-8")
    try:
        compile(source, "m.py", "exec")
    except SyntaxError as exc:
        assert (f"{exc.lineno}:{exc.offset}", exc.msg) == (where, message)
    proc = cnnlint("--no-cache", "m.py", cwd=tmp_path)
    assert proc.stdout.splitlines()[0] == f"m.py:{where}: CNN001 [error] syntax error: {message}"


def test_a_syntax_error_in_a_notebook_cell(tmp_path, cnnlint):
    cells = [{"cell_type": "markdown", "source": "# x", "metadata": {}},
             {"cell_type": "code", "source": "import torch\nlayer = torch.nn.Linear(4, 2\n", "metadata": {},
              "outputs": []}]
    (tmp_path / "nb.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}}), encoding="utf-8")
    proc = cnnlint("--no-cache", "nb.ipynb", cwd=tmp_path)
    assert proc.stdout.splitlines()[0] == "nb.ipynb:cell 2:2:24: CNN001 [error] syntax error: '(' was never closed"


# 6 ------------------------------------------------------------------------------------------------
def test_version(cnnlint):
    from cnnlint import __version__

    proc = cnnlint("--version")
    assert (proc.returncode, proc.stdout) == (0, f"cnnlint {__version__}\n")


def test_output_format_is_rufFs_name_for_format(tmp_path, cnnlint):
    (tmp_path / "m.py").write_text(BUGGY, encoding="utf-8")
    by_flag = cnnlint("--no-cache", "--output-format", "github", "m.py", cwd=tmp_path).stdout
    by_env = cnnlint("--no-cache", "m.py", cwd=tmp_path, env={"CNNLINT_OUTPUT_FORMAT": "github"}).stdout
    assert by_flag == by_env and by_flag.startswith("::error ")
    assert cnnlint("--no-cache", "--format", "json", "m.py", cwd=tmp_path,
                   env={"CNNLINT_OUTPUT_FORMAT": "github"}).stdout.startswith("{")


@pytest.mark.parametrize("env, flag, colour", [
    ({}, "auto", False),
    ({"FORCE_COLOR": "1"}, "auto", True),
    ({"FORCE_COLOR": "1"}, "never", False),
    ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, "auto", False),
    ({"NO_COLOR": "1"}, "always", True),
    ({"NO_COLOR": ""}, "always", True),
])
def test_colour_flags_and_conventions(tmp_path, cnnlint, env, flag, colour):
    (tmp_path / "m.py").write_text(BUGGY, encoding="utf-8")
    proc = cnnlint("--no-cache", "--color", flag, "m.py", cwd=tmp_path, env={"FORCE_COLOR": "", **env})
    assert ("\033[" in proc.stdout) is colour


def test_an_empty_no_color_does_not_turn_colour_off(monkeypatch):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("NO_COLOR", "")
    assert text.use_colour(FakeTerminal()) is True
    monkeypatch.setenv("NO_COLOR", "yes")
    assert text.use_colour(FakeTerminal()) is False


# 7 ------------------------------------------------------------------------------------------------
def test_folder_walks_skip_what_git_ignores(tmp_path, cnnlint):
    git_init(tmp_path)
    for name in ("keep.py", "generated/net.py", "scratch_tmp.py", "keep_tmp.py", "sub/notes/net.py",
                 "sub/deep/x.py", "vendored/lib.py", "data/ignored_by_info_exclude.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(BUGGY, encoding="utf-8")
    (tmp_path / ".gitignore").write_text("# build output\ngenerated/\n*_tmp.py\n!keep_tmp.py\n/vendored\n",
                                         encoding="utf-8")
    (tmp_path / "sub" / ".gitignore").write_text("notes\n", encoding="utf-8")
    (tmp_path / "sub" / ".ignore").write_text("deep/**\n", encoding="utf-8")
    (tmp_path / ".git" / "info").mkdir(exist_ok=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("data/\n", encoding="utf-8")

    def linted(*args, cwd=tmp_path):
        proc = cnnlint("--no-cache", *args, cwd=cwd)
        return sorted(reported_paths(proc.stdout))

    assert linted(".") == ["./keep.py", "./keep_tmp.py"]
    assert linted("sub", cwd=tmp_path) == []
    assert linted(".", cwd=tmp_path / "sub") == []  # the work tree's root .gitignore applies below it
    assert linted("generated/net.py") == ["generated/net.py"]  # a path given explicitly is linted
    # what git itself ignores agrees (git does not read .ignore files)
    listed = subprocess.run(["git", "ls-files", "--others", "--exclude-standard"], cwd=tmp_path,
                            capture_output=True, text=True, check=True).stdout.split()
    assert sorted(p for p in listed if p.endswith(".py")) == ["keep.py", "keep_tmp.py", "sub/deep/x.py"]


def test_gitignore_counts_only_in_a_git_work_tree_but_ignore_everywhere(tmp_path, cnnlint):
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text(BUGGY, encoding="utf-8")
    (tmp_path / ".gitignore").write_text("a.py\n", encoding="utf-8")
    (tmp_path / ".ignore").write_text("b.py\n", encoding="utf-8")
    proc = cnnlint("--no-cache", ".", cwd=tmp_path)
    assert reported_paths(proc.stdout) == ["./a.py"]


def test_extend_exclude(tmp_path, cnnlint):
    for name in ("a.py", "legacy/b.py", "c.py"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(BUGGY, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.cnnlint]\nexclude = ["c.py"]\nextend-exclude = ["legacy"]\n',
                                             encoding="utf-8")
    proc = cnnlint("--no-cache", ".", cwd=tmp_path)
    assert reported_paths(proc.stdout) == ["./a.py"]


# 8 ------------------------------------------------------------------------------------------------
def test_no_python_files_found(tmp_path, cnnlint):
    (tmp_path / "notes.md").write_text("# notes\n", encoding="utf-8")
    proc = cnnlint("--no-cache", ".", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "")
    assert proc.stderr == "warning: No Python files found\n"


def test_an_explicit_file_that_is_not_python_is_skipped_with_a_warning(tmp_path, cnnlint):
    (tmp_path / "notes.txt").write_text("model = keras.Sequential([\n", encoding="utf-8")
    (tmp_path / "train").write_text("#!/usr/bin/env python3\n" + BUGGY, encoding="utf-8")
    proc = cnnlint("--no-cache", "notes.txt", "train", cwd=tmp_path)
    assert "notes.txt: neither a Python file nor a notebook" in proc.stderr
    assert proc.stdout.startswith("train:14:20: CNN101")  # a script with a Python shebang is Python


# 9 ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [["--select="], ["--select", "CNN101"], ["--ignore", "CNN001"]])
def test_syntax_errors_are_reported_whatever_the_selection(tmp_path, cnnlint, args):
    (tmp_path / "m.py").write_text("import torch\nlayer = torch.nn.Linear(4, 2  # noqa\n", encoding="utf-8")
    proc = cnnlint("--no-cache", *args, "m.py", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith("m.py:2:24: CNN001 [error] syntax error: '(' was never closed")


# 10 -----------------------------------------------------------------------------------------------
def test_output_file_creates_missing_folders(tmp_path, cnnlint):
    (tmp_path / "m.py").write_text(BUGGY, encoding="utf-8")
    proc = cnnlint("--no-cache", "--format", "json", "--output-file", "reports/ci/cnnlint.json", "m.py",
                   cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout == ""
    assert json.loads((tmp_path / "reports" / "ci" / "cnnlint.json").read_text())["diagnostics"]


# 11 -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("output_format", ["github", "sarif"])
def test_summary_where_it_cannot_apply_is_said(tmp_path, cnnlint, output_format):
    (tmp_path / "m.py").write_text(BUGGY, encoding="utf-8")
    proc = cnnlint("--no-cache", "--summary", "--format", output_format, "m.py", cwd=tmp_path)
    assert proc.returncode == 1 and "--summary" in proc.stderr and "Model:" not in proc.stdout


def test_summary_with_statistics_and_a_model_that_does_not_exist_are_said(tmp_path, cnnlint):
    (tmp_path / "m.py").write_text(BUGGY, encoding="utf-8")
    proc = cnnlint("--no-cache", "--summary", "--statistics", "m.py", cwd=tmp_path)
    assert "--summary has no place in --statistics" in proc.stderr and "Model:" not in proc.stdout
    proc = cnnlint("--no-cache", "--model", "Nett", "m.py", cwd=tmp_path)
    assert proc.stderr == "warning: --model 'Nett' matches no model (models found: Net)\n"
    assert proc.stdout == "All checks passed!\n"


def test_list_rules_as_json(cnnlint):
    from cnnlint.rules import ALL_RULES

    proc = cnnlint("--list-rules", "--format", "json")
    listed = json.loads(proc.stdout)
    assert [(r["code"], r["name"], r["severity"], r["default_enabled"]) for r in listed] == [
        (rule.code, rule.name, rule.severity, rule.default_enabled) for rule in ALL_RULES]
    assert all(r["explanation"].startswith(f"# {r['name']} ({r['code']})") for r in listed)
    assert cnnlint("--list-rules", "--format", "sarif").returncode == 2


# 12 -----------------------------------------------------------------------------------------------
FORGED_NAME = """\
from collections import OrderedDict
from torch import nn

model = nn.Sequential(OrderedDict([  # cnnlint: input-shape=1,28,28
    ("conv\\nforged.py:1:1: CNN103 [error] forged", nn.Conv2d(1, 4, 3, stride=2)),
    ("flat\\x1b[2J", nn.Flatten()),
    ("fc\\nforged.py:1:1: CNN103 [error] forged", nn.Linear(4 * 13 * 12, 10)),
]))
"""


def test_control_characters_in_names_are_escaped_in_every_text_output(tmp_path, cnnlint):
    (tmp_path / "m.py").write_text(FORGED_NAME, encoding="utf-8")
    plain = cnnlint("--no-cache", "m.py", cwd=tmp_path).stdout
    lines = plain.splitlines()
    # two diagnostics, the count, the note on the unsafe fix: no forged line
    assert len(lines) == 4 and [parse_with_matcher(line)["file"] for line in lines[:2]] == ["m.py", "m.py"]
    assert lines[3].startswith("No fixes available")
    assert "fc\\nforged.py:1:1: CNN103 [error] forged expects 624 features" in lines[1]
    summary = cnnlint("--no-cache", "--summary", "m.py", cwd=tmp_path).stdout
    assert "conv\\nforged.py:1:1: CNN103 [error] forged (Conv2d)" in summary and "\x1b" not in summary
    assert "flat\\x1b[2J (Flatten)" in summary
    annotations = cnnlint("--no-cache", "--format", "github", "m.py", cwd=tmp_path).stdout.splitlines()
    assert [parse_github(line)[2] for line in annotations] == lines[:2]
    statistics = cnnlint("--no-cache", "--statistics", "m.py", cwd=tmp_path).stdout
    assert statistics == "1  CNN101  incompatible-input [error]\n1  CNN102  non-integer-output-size [warning]\n"
    doc = json.loads(cnnlint("--no-cache", "--format", "json", "m.py", cwd=tmp_path).stdout)
    assert doc["models"][0]["layers"][0]["name"] == "conv\nforged.py:1:1: CNN103 [error] forged"  # data, not text


def test_printable():
    assert printable("a\nb\tc\r\x00\x7f\x9bé") == "a\\nb\\tc\\r\\x00\\x7f\\x9bé"


# 13 -----------------------------------------------------------------------------------------------
def vscode_substitute(value, variables):
    return re.sub(r"\$\{(\w+)\}", lambda m: variables[m.group(1)], value)


def test_readme_vscode_task_finds_the_file_and_line(tmp_path):
    """Run the README's task as VS Code would, then join the matched file as its fileLocation says."""
    (task_json,) = [block for block in fenced("json") if '"tasks"' in block]
    (task,) = json.loads(task_json)["tasks"]
    workspace = tmp_path / "project"
    (workspace / "models").mkdir(parents=True)
    source = workspace / "models" / "net.py"
    source.write_text(BUGGY, encoding="utf-8")
    variables = {"workspaceFolder": str(workspace), "file": str(source),
                 "relativeFile": os.path.relpath(source, workspace), "fileDirname": str(source.parent)}
    command = [vscode_substitute(part, variables) for part in [task["command"], *task.get("args", [])]]
    cwd = vscode_substitute(task.get("options", {}).get("cwd", "${workspaceFolder}"), variables)
    assert command[0] == "cnnlint"
    from .conftest import run_cnnlint

    output = run_cnnlint("--no-cache", *command[1:], cwd=cwd).stdout
    matcher = task["problemMatcher"]
    pattern = matcher["pattern"]
    found = [re.match(pattern["regexp"], line) for line in output.splitlines()]
    (match,) = [m for m in found if m]
    kind, *base = matcher["fileLocation"]
    file = match.group(pattern["file"])
    base = vscode_substitute(base[0], variables) if base else None
    if kind == "absolute" or kind == "autoDetect" and os.path.isabs(file):
        joined = file
    else:
        assert kind in ("relative", "autoDetect")
        joined = os.path.join(base, file)
    assert os.path.samefile(joined, source)
    assert (match.group(pattern["line"]), match.group(pattern["column"])) == ("13", "20")


# 14 -----------------------------------------------------------------------------------------------
def test_an_input_shapes_key_matching_no_model_is_warned(tmp_path, cnnlint):
    (tmp_path / "m.py").write_text(WARNING_ONLY.replace("  # cnnlint: input-shape=1,28,28", ""), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.cnnlint.input-shapes]\nmodle = [1, 28, 28]\n"m.py:model" = [1, 28, 28]\n"other/*:Net" = [3, 8, 8]\n',
        encoding="utf-8")
    proc = cnnlint("--no-cache", "m.py", cwd=tmp_path)
    assert proc.stderr.splitlines() == [
        f"warning: {tmp_path / 'pyproject.toml'}: [tool.cnnlint.input-shapes] 'modle' matches no model of the files linted "
        "(did you mean 'model'?)"]
    assert "CNN102" in proc.stdout  # the right key still applies
