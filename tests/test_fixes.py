"""Fixes: the engine, each rule's fix on its document's example and variants, and the command line."""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from cnnlint.autofix.files import FileFix, fix_source, write
from cnnlint.cli import app
from cnnlint.fixes import DISPLAY_ONLY, SAFE, UNSAFE, Edit, Fix, applicable, apply, offsets
from cnnlint.fixes.noqa import add_noqa
from cnnlint.rules.docs import sections
from cnnlint.runner import Options, lint_source

from .conftest import ROOT
from .test_rules_docs import blocks

UNSAFE_FIXES = Options(report_models=True)


def lint(source: str, path: str = "model.py"):
    return lint_source(path, source.encode(), UNSAFE_FIXES).diagnostics


def fixed(source: str, unsafe: bool = True) -> str:
    """The source after --fix (--unsafe-fixes), checked to be stable: a second pass changes nothing."""
    outcome = fix_source("model.py", source.encode(), UNSAFE_FIXES, unsafe)
    assert outcome.problem is None, outcome.problem
    again = fix_source("model.py", outcome.fixed, UNSAFE_FIXES, unsafe)
    assert again.fixed == outcome.fixed  # idempotent
    return outcome.fixed.decode()


def only(diagnostics, code):
    found = [d for d in diagnostics if d.code == code]
    assert len(found) == 1, diagnostics
    return found[0]


def document(code: str) -> dict:
    return sections((ROOT / "rules" / f"{code}.md").read_text(encoding="utf-8"))


def unmarked(text: str, code: str) -> str:
    return text.replace(f"  # <- {code}", "")


# -- the engine --------------------------------------------------------------------------------------

def test_edits_count_lines_as_python_does_and_columns_in_code_points():
    text = "a = 'é'\r\nb = 1\rc = 2\n"
    index = offsets(text)
    assert text[index(2, 5):] == "1\rc = 2\n" and text[index(3, 1)] == "c" and text[index(1, 6)] == "é"
    new, applied = apply(text, [Fix("t", SAFE, (Edit(2, 5, 2, 6, "22"), Edit(3, 5, 3, 6, "3")))])
    assert new == "a = 'é'\r\nb = 22\rc = 3\n" and len(applied) == 1


def test_conflicting_fixes_first_wins_and_the_rest_waits():
    first = Fix("first", SAFE, (Edit(1, 1, 1, 4, "xyz"),))
    overlapping = Fix("second", SAFE, (Edit(1, 3, 1, 5, "!"),))
    same_point = Fix("third", SAFE, (Edit(1, 1, 1, 1, "+"),))
    apart = Fix("fourth", SAFE, (Edit(1, 6, 1, 7, "Z"),))
    new, applied = apply("abcdefg", [first, overlapping, same_point, apart])
    assert new == "xyzdeZg" and applied == [first, apart]


def test_applicability():
    edits = (Edit(1, 1, 1, 1, "x"),)
    assert applicable(Fix("s", SAFE, edits)) and not applicable(Fix("u", UNSAFE, edits))
    assert applicable(Fix("u", UNSAFE, edits), unsafe=True)
    assert not applicable(Fix("d", DISPLAY_ONLY, edits), unsafe=True)
    assert not applicable(Fix.unavailable("n", UNSAFE, "why"), unsafe=True)


def test_a_fix_survives_the_json_round_trip():
    from cnnlint.diagnostics import Diagnostic

    fix = Fix("Set in_features to 256", UNSAFE, (Edit(3, 5, 3, 8, "256"),))
    d = Diagnostic("m.py", 3, 1, 3, 9, "CNN101", "error", "m", "Net", fix=fix)
    again = Diagnostic(**json.loads(json.dumps(d.as_json())))
    assert again == d


# -- every fix on its rule document's example -----------------------------------------------------------

@pytest.mark.parametrize("code, safe", [("CNN101", False), ("CNN301", False), ("CNN504", True), ("CNN603", True),
                                        ("CNN501", False)])
def test_the_documents_example_is_fixed_into_its_use_instead(code, safe):
    parts = document(code)
    (bad,) = blocks(parts["Example"], "python")
    (good,) = blocks(parts["Use instead"], "python")
    assert code in {d.code for d in lint(bad)}
    after = fixed(bad)
    assert unmarked(after, code) == good
    assert code not in {d.code for d in lint(after)}
    assert (fixed(bad, unsafe=False) == after) is safe  # unsafe fixes wait for --unsafe-fixes


def test_cnn302_suggests_the_flatten_of_its_use_instead_without_applying_it():
    parts = document("CNN302")
    (bad,) = blocks(parts["Example"], "python")
    (good,) = blocks(parts["Use instead"], "python")
    fix = only(lint(bad), "CNN302").fix
    assert fix.applicability == DISPLAY_ONLY and fix.title == "Insert keras.layers.Flatten() before the Dense"
    assert unmarked(apply(bad, [fix])[0], "CNN302") == good
    assert fixed(bad) == bad


def test_cnn302_suggestion_in_the_functional_api():
    source = ("import keras\nfrom keras import layers\n\ninputs = keras.Input(shape=(28, 28, 1))\n"
              "x = layers.Conv2D(32, 3)(inputs)\noutputs = layers.Dense(10)(x)\nmodel = keras.Model(inputs, outputs)\n")
    fix = only(lint(source), "CNN302").fix
    after = apply(source, [fix])[0]
    assert "outputs = layers.Dense(10)(layers.Flatten()(x))" in after and not lint(after)


# -- CNN101 variants -------------------------------------------------------------------------------------

LENET = """import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):  # cnnlint: input-shape=1,28,28
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = {fc1}
        self.fc2 = nn.Linear(120, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(x.size(0), -1)
        return self.fc2(F.relu(self.fc1(x)))
"""


@pytest.mark.parametrize("written, expected", [
    ("nn.Linear(16 * 5 * 5, 120)", "nn.Linear(16 * 4 * 4, 120)"),
    ("nn.Linear(16*5*5, 120)", "nn.Linear(16*4*4, 120)"),
    ("nn.Linear((16 * 5) * 5, 120)", "nn.Linear((16 * 4) * 4, 120)"),
    ("nn.Linear(5 * 5 * 16, 120)", "nn.Linear(4 * 4 * 16, 120)"),
    ("nn.Linear(400, 120)", "nn.Linear(256, 120)"),
    ("nn.Linear(in_features=400, out_features=120)", "nn.Linear(in_features=256, out_features=120)"),
    ("nn.Linear(out_features=120, in_features=16 * 25)", "nn.Linear(out_features=120, in_features=256)"),
    ("nn.Linear(16 * 5 * 5, 120)  # the classifier", "nn.Linear(16 * 4 * 4, 120)  # the classifier"),
    ("nn.Linear(  # the classifier\n            16 * 5 * 5,  # flattened\n            120,\n        )",
     "nn.Linear(  # the classifier\n            16 * 4 * 4,  # flattened\n            120,\n        )"),
])
def test_cnn101_sets_the_received_size_in_the_authors_form(written, expected):
    source = LENET.format(fc1=written)
    fix = only(lint(source), "CNN101").fix
    assert fix.applicability == UNSAFE and fix.title == "Set in_features to 256"
    assert fixed(source) == LENET.format(fc1=expected)
    assert not lint(fixed(source))


def test_cnn101_fix_keeps_crlf_line_endings_and_the_rest_byte_for_byte():
    source = LENET.format(fc1="nn.Linear(16 * 5 * 5, 120)").replace("\n", "\r\n")
    after = fixed(source)
    assert after == LENET.format(fc1="nn.Linear(16 * 4 * 4, 120)").replace("\n", "\r\n")


@pytest.mark.parametrize("layers, before, after", [
    ("nn.Conv2d(3, 16, 3), nn.ReLU(), nn.BatchNorm2d(16)", "nn.Conv2d(3, 16, 3)", "nn.Conv2d(1, 16, 3)"),
    ("nn.Conv2d(1, 16, 3), nn.ReLU(), nn.BatchNorm2d(num_features=32)", "num_features=32", "num_features=16"),
])
def test_cnn101_fixes_channels_of_convolutions_and_batch_norms(layers, before, after):
    source = (f"import torch.nn as nn\n\nmodel = nn.Sequential({layers}, nn.ReLU())  "
              f"# cnnlint: input-shape=1,28,28\n")
    result = fixed(source)
    assert result == source.replace(before, after) and not lint(result)


def test_cnn101_in_a_helper_is_not_fixed_and_says_why():
    source = """import torch.nn as nn


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3), nn.ReLU())


class Net(nn.Module):  # cnnlint: input-shape=1,28,28
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(block(3, 8), block(8, 16))

    def forward(self, x):
        return self.features(x)
"""
    d = only(lint(source), "CNN101")
    assert not d.fix.available and "in_channels is `cin`, computed elsewhere" in d.fix.reason
    assert "no automatic fix: in_channels is `cin`" in d.message
    assert fixed(source) == source


def test_cnn101_in_a_loop_with_a_literal_is_not_fixed_and_says_why():
    source = """import torch.nn as nn


class Net(nn.Module):  # cnnlint: input-shape=32
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(64, 64) for _ in range(3)])

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x
"""
    d = only(lint(source), "CNN101")
    assert not d.fix.available and "more than once" in d.fix.reason
    assert fixed(source) == source


def test_cnn101_with_groups_is_not_fixed():
    source = ("import torch.nn as nn\n\nmodel = nn.Sequential(nn.Conv2d(8, 8, 3, groups=8))  "
              "# cnnlint: input-shape=4,28,28\n")
    d = only(lint(source), "CNN101")
    assert not d.fix.available and "groups=8" in d.fix.reason


# -- CNN301 variants -------------------------------------------------------------------------------------

TORCH_BN = """import torch.nn as nn


class Net(nn.Module):  # cnnlint: input-shape=3,32,32
    def __init__(self):
        super().__init__()
        self.conv = {conv}
        self.bn = nn.BatchNorm2d(16)

    def forward(self, x):
        return self.bn(self.conv(x)).relu()
"""


@pytest.mark.parametrize("written, expected", [
    ("nn.Conv2d(3, 16, 3)", "nn.Conv2d(3, 16, 3, bias=False)"),
    ("nn.Conv2d(3, 16, 3)  # stem", "nn.Conv2d(3, 16, 3, bias=False)  # stem"),
    ("nn.Conv2d(3, 16, 3, bias=True)", "nn.Conv2d(3, 16, 3, bias=False)"),
    ("nn.Conv2d(3, 16, 3, 1, 0, 1, 1, True)", "nn.Conv2d(3, 16, 3, 1, 0, 1, 1, False)"),
    ("nn.Conv2d(\n            3, 16, 3,\n            padding=1,\n        )",
     "nn.Conv2d(\n            3, 16, 3,\n            padding=1, bias=False,\n        )"),
])
def test_cnn301_turns_the_bias_off(written, expected):
    source = TORCH_BN.format(conv=written)
    fix = only(lint(source), "CNN301").fix
    assert fix.applicability == UNSAFE
    assert fixed(source) == TORCH_BN.format(conv=expected)
    assert not lint(fixed(source))


def test_cnn301_bias_from_a_helper_parameter_is_not_fixed():
    source = """import torch.nn as nn


def conv_bn(cin, cout, bias=True):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, bias=bias), nn.BatchNorm2d(cout))


model = conv_bn(3, 16)  # cnnlint: input-shape=3,32,32
"""
    d = only(lint(source), "CNN301")
    assert not d.fix.available and "bias is `bias`" in d.fix.reason and "no automatic fix" in d.message


def test_cnn301_layer_also_built_without_a_batch_norm_is_not_fixed():
    source = """import torch.nn as nn


def conv(cin, cout):
    return nn.Conv2d(cin, cout, 3)


model = nn.Sequential(conv(3, 16), nn.BatchNorm2d(16), conv(16, 8), nn.ReLU())  # cnnlint: input-shape=3,32,32
"""
    d = only(lint(source), "CNN301")
    assert not d.fix.available and "no batch normalisation follows" in d.fix.reason


def test_cnn301_keras_use_bias():
    source = ("import keras\n\nmodel = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(4, use_bias=True),"
              " keras.layers.BatchNormalization()])\n")
    assert fixed(source) == source.replace("use_bias=True", "use_bias=False")


# -- files ----------------------------------------------------------------------------------------------

def test_encoding_bom_and_missing_trailing_newline_are_kept():
    source = ("# -*- coding: latin-1 -*-\n# caf\xe9\n" + LENET.format(fc1="nn.Linear(400, 120)")).rstrip("\n")
    data = source.encode("latin-1")
    outcome = fix_source("model.py", data, UNSAFE_FIXES, unsafe=True)
    assert outcome.fixed == data.replace(b"nn.Linear(400, 120)", b"nn.Linear(256, 120)")
    bom = b"\xef\xbb\xbf" + LENET.format(fc1="nn.Linear(400, 120)").encode()
    assert fix_source("model.py", bom, UNSAFE_FIXES, unsafe=True).fixed.startswith(b"\xef\xbb\xbfimport")


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path):
    target = tmp_path / "model.py"
    target.write_bytes(b"old\n")
    outcome = FileFix(str(target), b"old\n", b"new\n", None)
    target.write_bytes(b"edited meanwhile\n")
    assert "changed while it was being fixed" in write(outcome)
    assert target.read_bytes() == b"edited meanwhile\n"
    target.write_bytes(b"old\n")
    target.chmod(0o640)
    assert write(outcome) is None and target.read_bytes() == b"new\n"
    assert target.stat().st_mode & 0o777 == 0o640 and [p.name for p in tmp_path.iterdir()] == ["model.py"]


def test_a_symbolic_link_stays_one(tmp_path):
    real = tmp_path / "real.py"
    real.write_bytes(b"old\n")
    link = tmp_path / "link.py"
    link.symlink_to(real)
    assert write(FileFix(str(link), b"old\n", b"new\n", None)) is None
    assert link.is_symlink() and real.read_bytes() == b"new\n"


def test_add_noqa_merges_with_an_existing_one():
    text = "a = f(1)  # noqa: CNN102\r\nb = '''x\r\ny'''\r\nc = 3  # note\r\nd = 4  # noqa\r\n"
    new, added, skipped = add_noqa(text, {1: ["CNN101"], 2: ["CNN101"], 4: ["CNN301"], 5: ["CNN101"]})
    assert new == ("a = f(1)  # noqa: CNN102, CNN101\r\nb = '''x\r\ny'''\r\nc = 3  # note  # noqa: CNN301\r\n"
                   "d = 4  # noqa\r\n")
    assert (added, skipped) == (2, 1)


# -- the command line -------------------------------------------------------------------------------------

def run(*args):
    return CliRunner().invoke(app, ["--no-cache", *map(str, args)])


def test_text_output_marks_fixable_diagnostics_as_ruff(tmp_path):
    target = tmp_path / "model.py"
    target.write_text(LENET.format(fc1="nn.Linear(16 * 5 * 5, 120)"))
    plain = run(target)
    assert " CNN101 [error] " in plain.stdout and plain.stdout.endswith(
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).\n")
    opted = run("--unsafe-fixes", target)
    assert " CNN101 [*] [error] " in opted.stdout and opted.stdout.endswith("[*] 1 fixable with the `--fix` option.\n")


def test_fix_rewrites_the_file_and_reports_what_remains(tmp_path):
    target = tmp_path / "model.py"
    source = LENET.format(fc1="nn.Linear(16 * 5 * 5, 120)")
    target.write_text(source)
    assert run("--fix", target).exit_code == 1 and target.read_text() == source  # unsafe: not applied
    result = run("--fix", "--unsafe-fixes", target)
    assert result.exit_code == 0, result.output
    assert result.stdout == "Found 1 diagnostic (1 fixed, 0 remaining).\n"
    assert target.read_text() == LENET.format(fc1="nn.Linear(16 * 4 * 4, 120)")
    assert run("--fix", "--unsafe-fixes", target).stdout == "All checks passed!\n"


def test_unfixable_in_the_configuration(tmp_path):
    target = tmp_path / "model.py"
    target.write_text(LENET.format(fc1="nn.Linear(400, 120)"))
    (tmp_path / "pyproject.toml").write_text('[tool.cnnlint]\nunfixable = ["incompatible-input"]\n')
    assert "[*]" not in run("--unsafe-fixes", target).stdout
    (tmp_path / "pyproject.toml").write_text('[tool.cnnlint]\nfixable = ["CNN3"]\n')
    assert "[*]" not in run("--unsafe-fixes", target).stdout
    (tmp_path / "pyproject.toml").write_text('[tool.cnnlint]\nfixable = ["CNN1"]\n')
    assert "[*]" in run("--unsafe-fixes", target).stdout


@pytest.mark.skipif(not (shutil.which("patch") and shutil.which("git")), reason="needs patch and git")
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_diff_changes_nothing_and_applies_with_patch_and_git_apply(tmp_path, newline):
    folder = tmp_path / "nets"
    folder.mkdir()
    source = (LENET.format(fc1="nn.Linear(16 * 5 * 5, 120)") + "\n" + TORCH_BN.format(conv="nn.Conv2d(3, 16, 3)")
              .replace("class Net", "class Net2")).rstrip("\n").replace("\n", newline)
    (folder / "model.py").write_bytes(source.encode())
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "cnnlint", "--no-cache", "--diff", "--unsafe-fixes", "nets/model.py"],
                          cwd=tmp_path, capture_output=True, env=env, timeout=120)
    assert proc.returncode == 1 and b"Would fix 2 diagnostics." in proc.stderr, proc.stderr
    assert (folder / "model.py").read_bytes() == source.encode()
    expected = fixed(source).encode()
    patched = tmp_path / "patched"
    shutil.copytree(folder, patched / "nets")
    subprocess.run(["patch", "-p0", "--quiet"], input=proc.stdout, cwd=patched, check=True)
    assert (patched / "nets" / "model.py").read_bytes() == expected
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "apply", "-p0"], input=proc.stdout, cwd=tmp_path, check=True)
    assert (folder / "model.py").read_bytes() == expected


def test_diff_with_nothing_to_fix_exits_0(tmp_path):
    target = tmp_path / "model.py"
    target.write_text(LENET.format(fc1="nn.Linear(16 * 4 * 4, 120)"))
    result = run("--diff", "--unsafe-fixes", target)
    assert result.exit_code == 0 and result.stdout == ""


def test_add_noqa_silences_every_reported_line(tmp_path):
    target = tmp_path / "model.py"
    target.write_text(LENET.format(fc1="nn.Linear(16 * 5 * 5, 120)  # noqa: CNN102"))
    assert run("--add-noqa", target).exit_code == 0
    assert "nn.Linear(16 * 5 * 5, 120)  # noqa: CNN102, CNN101\n" in target.read_text()
    assert run(target).stdout == "All checks passed!\n"


def test_the_problem_matcher_reads_fixable_lines():
    from .test_formats import parse_with_matcher

    fields = parse_with_matcher("m.py:3:5: CNN101 [*] [error] fc1 expects 400 features")
    assert (fields["code"], fields["severity"], fields["message"]) == ("CNN101", "error", "fc1 expects 400 features")


def test_sarif_carries_every_fix_with_edits(tmp_path):
    target = tmp_path / "model.py"
    target.write_text(document_block("CNN302"))
    doc = json.loads(run("--format", "sarif", target).stdout)
    (result,) = doc["runs"][0]["results"]
    (fix,) = result["fixes"]
    assert fix["description"]["text"] == "Insert keras.layers.Flatten() before the Dense (display-only)"
    (change,) = fix["artifactChanges"]
    assert change["replacements"][0]["insertedContent"]["text"].startswith("keras.layers.Flatten(),")


def document_block(code: str) -> str:
    (bad,) = blocks(document(code)["Example"], "python")
    return bad


# -- notebooks: fixes in the cells, written back into the JSON --------------------------------------------

BUGGY_NOTEBOOK = ROOT / "fixtures" / "notebooks" / "lenet_torch_buggy.ipynb"
FC1 = '"        self.fc1 = nn.Linear(16 * 5 * 5, 120)\\n",'


def test_a_notebook_is_fixed_inside_its_cell_and_every_other_byte_kept(tmp_path):
    notebook = tmp_path / "lenet.ipynb"
    shutil.copy(BUGGY_NOTEBOOK, notebook)
    before = notebook.read_text(encoding="utf-8")
    assert "cell 3:6:20: CNN101 [*] [error]" in run("--unsafe-fixes", notebook).stdout
    result = run("--fix", "--unsafe-fixes", notebook)
    assert result.exit_code == 0 and result.stdout == "Found 1 diagnostic (1 fixed, 0 remaining).\n"
    assert notebook.read_text(encoding="utf-8") == before.replace(FC1, FC1.replace("5 * 5", "4 * 4"))
    assert run("--fix", "--unsafe-fixes", notebook).stdout == "All checks passed!\n"


def notebook_json(cells: list, indent, ensure_ascii: bool = False, newline: str = "\n") -> str:
    document = {"cells": [{"cell_type": kind, "metadata": {}, "source": source} for kind, source in cells],
                "metadata": {"kernelspec": {"language": "python", "name": "python3"}}, "nbformat": 4,
                "nbformat_minor": 5}
    return json.dumps(document, indent=indent, ensure_ascii=ensure_ascii).replace("\n", newline)


@pytest.mark.parametrize("indent, ensure_ascii, newline, one_string", [
    (1, False, "\n", False), (2, True, "\n", False), (4, False, "\r\n", False), (None, False, "\n", False),
    (1, False, "\n", True), (2, True, "\r\n", True)])
def test_a_fixed_notebook_keeps_its_json_formatting(tmp_path, indent, ensure_ascii, newline, one_string):
    code = LENET.format(fc1="nn.Linear(16 * 5 * 5, 120)  # ¼ of the Größe")
    first, rest = code.split("    def forward")
    rest = ("%%time\n" if one_string else "%matplotlib inline\n") + "    def forward" + rest.rstrip("\n")
    lines = [first, rest] if one_string else [first.splitlines(True), rest.splitlines(True)]
    text = notebook_json([("markdown", ["# Größe\n"]), ("code", lines[0]), ("code", lines[1])], indent,
                         ensure_ascii, newline)
    notebook = tmp_path / "net.ipynb"
    notebook.write_bytes(text.encode())
    result = run("--fix", "--unsafe-fixes", notebook)
    assert result.exit_code == 0, result.output
    fixed_code = [first.replace("16 * 5 * 5", "16 * 4 * 4"), rest]
    expected = notebook_json([("markdown", ["# Größe\n"]), ("code", fixed_code[0] if one_string else
                              fixed_code[0].splitlines(True)), ("code", lines[1])], indent, ensure_ascii, newline)
    assert notebook.read_bytes() == expected.encode()


def test_diff_on_a_notebook_shows_each_changed_cell_and_changes_nothing(tmp_path):
    notebook = tmp_path / "lenet.ipynb"
    shutil.copy(BUGGY_NOTEBOOK, notebook)
    before = notebook.read_bytes()
    result = run("--diff", "--unsafe-fixes", notebook)
    assert result.exit_code == 1 and notebook.read_bytes() == before
    assert result.stdout == (
        f"--- {notebook}:cell 3\n+++ {notebook}:cell 3\n@@ -3,6 +3,6 @@\n"
        "         super().__init__()\n         self.conv1 = nn.Conv2d(1, 6, 5)\n"
        "         self.conv2 = nn.Conv2d(6, 16, 5)\n-        self.fc1 = nn.Linear(16 * 5 * 5, 120)\n"
        "+        self.fc1 = nn.Linear(16 * 4 * 4, 120)\n         self.fc2 = nn.Linear(120, 84)\n"
        "         self.fc3 = nn.Linear(84, 10)\n\\ No newline at end of file\n")


def test_add_noqa_comments_a_notebooks_cell_line(tmp_path):
    notebook = tmp_path / "lenet.ipynb"
    shutil.copy(BUGGY_NOTEBOOK, notebook)
    before = notebook.read_text(encoding="utf-8")
    assert run("--add-noqa", notebook).exit_code == 0
    assert notebook.read_text(encoding="utf-8") == before.replace(FC1, FC1.replace('\\n",', '  # noqa: CNN101\\n",'))
    assert run(notebook).stdout == "All checks passed!\n"


def test_a_notebook_changed_on_disk_while_fixed_is_not_overwritten(tmp_path):
    notebook = tmp_path / "lenet.ipynb"
    shutil.copy(BUGGY_NOTEBOOK, notebook)
    data = notebook.read_bytes()
    outcome = fix_source(str(notebook), data, UNSAFE_FIXES, unsafe=True)
    assert outcome.changed and outcome.applied == 1
    notebook.write_bytes(data + b"\n")
    assert "changed while it was being fixed" in write(outcome)
    assert notebook.read_bytes() == data + b"\n"


def test_sarif_gives_no_fix_for_a_cell_whose_edits_are_not_places_in_the_json(tmp_path):
    notebook = tmp_path / "lenet.ipynb"
    shutil.copy(BUGGY_NOTEBOOK, notebook)
    (result,) = json.loads(run("--format", "sarif", notebook).stdout)["runs"][0]["results"]
    assert result["ruleId"] == "CNN101" and "fixes" not in result


def test_a_fix_can_reveal_another_which_the_next_pass_applies():
    source = ("import torch.nn as nn\n\nmodel = nn.Sequential(nn.Conv2d(3, 16, 3), nn.BatchNorm2d(16))  "
              "# cnnlint: input-shape=1,28,28\n")
    assert {d.code for d in lint(source)} == {"CNN101"}  # the trace stops at the conv
    assert fixed(source) == source.replace("nn.Conv2d(3, 16, 3)", "nn.Conv2d(1, 16, 3, bias=False)")


@pytest.mark.parametrize("start", ["$ cnnlint --unsafe-fixes", "$ cnnlint --diff --unsafe-fixes fixtures/notebooks"])
def test_the_readmes_fix_transcript_is_what_cnnlint_prints(start):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (transcript,) = [block for block in re.findall(r"```text\n(.*?)```", readme, re.DOTALL)
                     if block.startswith(start)]
    for command in re.split(r"^\$ ", transcript, flags=re.MULTILINE)[1:]:
        line, _, shown = command.partition("\n")
        proc = subprocess.run([sys.executable, "-m", "cnnlint", "--no-cache", *line.split()[1:]], cwd=ROOT,
                              capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
        assert proc.stdout + proc.stderr == shown, line


def test_statistics_mark_fixable_rules(tmp_path):
    target = tmp_path / "model.py"
    target.write_text(LENET.format(fc1="nn.Linear(16 * 5 * 5, 120)"))
    assert run("--statistics", target).stdout == "1  CNN101  incompatible-input [error]\n"
    assert run("--statistics", "--unsafe-fixes", target).stdout == "1  CNN101  [*] incompatible-input [error]\n"
    (row,) = json.loads(run("--statistics", "--unsafe-fixes", "--format", "json", target).stdout)
    assert row["fixable"] is True


def test_a_crash_while_fixing_is_cnn000_on_that_file_and_the_others_are_fixed(tmp_path, monkeypatch):
    from cnnlint.autofix import command

    broken, fine = tmp_path / "broken.py", tmp_path / "fine.py"
    for target in (broken, fine):
        target.write_text(LENET.format(fc1="nn.Linear(16 * 5 * 5, 120)"))
    real = command.fix_source

    def crash_on_broken(path, *args):
        if path.endswith("broken.py"):
            raise IndexError("boom")
        return real(path, *args)

    monkeypatch.setattr(command, "fix_source", crash_on_broken)
    result = run("--fix", "--unsafe-fixes", broken, fine)
    assert result.exit_code == 2
    assert "CNN000 [error] internal error while fixing, please report it: IndexError: boom" in result.stdout
    assert "16 * 4 * 4" in fine.read_text() and "16 * 5 * 5" in broken.read_text()


def cnnlint(*args, stdin: bytes = b""):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "cnnlint", "--no-cache", *args], input=stdin, capture_output=True,
                          env=env, timeout=120)


def test_fix_on_standard_input_prints_the_fixed_source_and_reports_on_stderr_as_ruff():
    source = LENET.format(fc1="nn.Linear(16 * 5 * 5, 120)").encode()
    proc = cnnlint("--fix", "--unsafe-fixes", "--stdin-filename", "lenet.py", "-", stdin=source)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == LENET.format(fc1="nn.Linear(16 * 4 * 4, 120)").encode()
    assert proc.stderr == b"Found 1 diagnostic (1 fixed, 0 remaining).\n"
    safe_only = cnnlint("--fix", "-", stdin=source)  # nothing safe to apply: the source comes back unchanged
    assert safe_only.returncode == 1 and safe_only.stdout == source and b"lenet" not in safe_only.stderr
    assert b"CNN101" in safe_only.stderr


def test_diff_on_standard_input_prints_the_diff_and_exits_1():
    source = LENET.format(fc1="nn.Linear(16 * 5 * 5, 120)").encode()
    proc = cnnlint("--diff", "--unsafe-fixes", "--stdin-filename", "lenet.py", "-", stdin=source)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith(b"--- lenet.py\n+++ lenet.py\n")
    assert b"-        self.fc1 = nn.Linear(16 * 5 * 5, 120)\n+        self.fc1 = nn.Linear(16 * 4 * 4, 120)\n" \
        in proc.stdout
    clean = cnnlint("--diff", "-", stdin=LENET.format(fc1="nn.Linear(16 * 4 * 4, 120)").encode())
    assert (clean.returncode, clean.stdout) == (0, b"")


def test_add_noqa_and_other_paths_with_standard_input_are_usage_errors(tmp_path):
    assert cnnlint("--add-noqa", "-", stdin=b"x = 1\n").returncode == 2
    other = tmp_path / "other.py"
    other.write_text("x = 1\n")
    assert cnnlint("--fix", "-", str(other), stdin=b"x = 1\n").returncode == 2


def test_a_crash_while_fixing_standard_input_is_cnn000_and_the_source_comes_back_unchanged(monkeypatch):
    from cnnlint.autofix import files

    def crash(*args, **kwargs):
        raise IndexError("boom")

    monkeypatch.setattr(files, "fix_source", crash)
    source = LENET.format(fc1="nn.Linear(16 * 5 * 5, 120)")
    result = CliRunner().invoke(app, ["--no-cache", "--fix", "--unsafe-fixes", "-"], input=source)
    assert result.exit_code == 2
    assert result.stdout == source
    assert "CNN000 [error] internal error while fixing, please report it: IndexError: boom" in result.stderr
