"""Jupyter notebooks: code cells joined, IPython syntax blanked in place, positions as cells and file lines."""

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnlint.notebook import NotebookError, python_lines, read

from .conftest import FIXTURES, reported_paths
from .test_formats import GITHUB_SARIF, parse_github

NOTEBOOKS = FIXTURES / "notebooks"
LENET = NOTEBOOKS / "lenet_torch_buggy.ipynb"
#: the LeNet bug: fc1 is in the third cell (the markdown cell counts), its sixth line, column 20
LENET_BUG = "lenet_torch_buggy.ipynb:cell 3:6:20: CNN101 [error] fc1 expects 400 features but receives 16·4·4 = 256"


def file_position(path, text: str) -> tuple:
    """(line, column), 1-based, where ``text`` first occurs in the file as stored: what annotations must show."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number, line.index(text) + 1
    raise AssertionError(f"{text!r} is not in {path}")


def test_magics_are_blanked_in_place_and_only_at_the_start_of_a_logical_line():
    cell = ["%matplotlib inline\n", "!pip install torch\n", "files = !ls data\n", "import torch\n",
            "print('epoch %d'\n", "      % (epoch + 1))\n", "for i in range(3):\n", "    %time f(i)\n",
            "s = '''\n", "%not a magic inside a string\n", "'''\n", "x = 1 + \\\n", "%2\n"]
    assert python_lines(cell) == [
        "\n", "\n", "\n", "import torch\n", "print('epoch %d'\n", "      % (epoch + 1))\n", "for i in range(3):\n",
        "    pass\n", "s = '''\n", "%not a magic inside a string\n", "'''\n", "x = 1 + \\\n", "%2\n"]


def test_help_automagics_and_continued_magics_are_blanked_too():
    cell = ["model.fit?\n", "??keras.layers.Dense\n", "pip install keras\n", "%pip install a \\\n", "    b c\n",
            "x = 1  # why?\n", "y = x if x else 2\n"]
    assert python_lines(cell) == ["\n"] * 5 + cell[5:]


def test_a_notebook_of_markdown_only_is_not_an_empty_file(tmp_path, cnnlint):
    (tmp_path / "notes.ipynb").write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": "# notes"}]}),
                                          encoding="utf-8")
    proc = cnnlint("--no-cache", "--fail-on", "info", "notes.ipynb", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "All checks passed!\n")


def test_noqa_and_input_shape_flag_in_a_notebook(tmp_path, cnnlint):
    shutil.copy(LENET, tmp_path / "lenet.ipynb")
    assert cnnlint("--no-cache", "--input-shape", "1,32,32", "lenet.ipynb", cwd=tmp_path).returncode == 0
    document = json.loads(LENET.read_text(encoding="utf-8"))
    source = document["cells"][2]["source"]
    source[5] = source[5].rstrip("\n") + "  # noqa: CNN101\n"
    (tmp_path / "lenet.ipynb").write_text(json.dumps(document), encoding="utf-8")
    assert cnnlint("--no-cache", "lenet.ipynb", cwd=tmp_path).stdout == "All checks passed!\n"


@pytest.mark.parametrize("magic, kept", [("%%bash", False), ("%%writefile x.txt", False), ("%%time", True),
                                         ("%%capture out", True)])
def test_cell_magics_keep_the_body_only_when_ipython_runs_it_as_python(magic, kept):
    body = ["model = build()\n", "model.fit(x)\n"]
    assert python_lines([magic + "\n", *body]) == ["\n"] + (body if kept else ["\n", "\n"])


def test_code_cells_are_joined_and_markdown_and_raw_cells_add_no_line():
    book = read((NOTEBOOKS / "magics.ipynb").read_bytes())
    lines = book.source.splitlines()
    assert "import keras" in lines and not any(line.lstrip().startswith(("%", "!")) for line in lines
                                                if line.strip() != "% (epoch + 1, 2))")
    assert "%not python either" not in book.source  # the raw cell
    assert book.cell_position(lines.index("import keras") + 1) == (1, 5)
    assert book.cell_position(lines.index("model = keras.Sequential([") + 1) == (3, 2)


def test_lenet_bug_split_across_cells_in_text(cnnlint):
    proc = cnnlint("--no-cache", "lenet_torch_buggy.ipynb", cwd=NOTEBOOKS)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines()[0].startswith(LENET_BUG)
    assert proc.stdout.splitlines()[-2:] == [
        "Found 1 diagnostic (1 error).",
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option)."]  # fixed in its cell


def test_lenet_positions_in_json_name_the_cell(cnnlint_json):
    doc, code = cnnlint_json("--no-cache", "lenet_torch_buggy.ipynb", cwd=NOTEBOOKS)
    (d,) = doc["diagnostics"]
    assert (d["cell"], d["line"], d["column"], d["code"]) == (3, 6, 20, "CNN101")
    (model,) = doc["models"]
    assert (model["name"], model["cell"], model["line"]) == ("model", 3, 1)  # class LeNet, the pragma's line
    fc1 = next(layer for layer in model["layers"] if layer["name"] == "fc1")
    assert (fc1["cell"], fc1["line"], fc1["column"]) == (3, 6, 20)
    assert model["input_shape"] == [1, 28, 28]


def test_python_files_have_no_cell(cnnlint_json):
    doc, _ = cnnlint_json("--no-cache", FIXTURES / "lenet5_torch_buggy.py")
    assert doc["diagnostics"][0]["cell"] is None and doc["models"][0]["cell"] is None


def test_summary_names_the_cell(cnnlint):
    proc = cnnlint("--no-cache", "--summary", "lenet_torch_buggy.ipynb", cwd=NOTEBOOKS)
    assert 'Model: "model" (torch, lenet_torch_buggy.ipynb:cell 3:1)' in proc.stdout


def test_github_annotation_points_at_the_line_in_the_ipynb_file(cnnlint):
    proc = cnnlint("--no-cache", "--format", "github", "lenet_torch_buggy.ipynb", cwd=NOTEBOOKS)
    (line,) = proc.stdout.splitlines()
    _, properties, message = parse_github(line)
    at = file_position(LENET, "nn.Linear(16 * 5 * 5, 120)")
    assert (int(properties["line"]), int(properties["col"])) == at
    assert int(properties["endColumn"]) == at[1] + len("nn.Linear(16 * 5 * 5, 120)")
    assert message.startswith(LENET_BUG)


def test_sarif_points_at_the_line_in_the_ipynb_file_and_validates(cnnlint):
    proc = cnnlint("--no-cache", "--format", "sarif", "lenet_torch_buggy.ipynb", cwd=NOTEBOOKS)
    doc = json.loads(proc.stdout)
    jsonschema.validate(doc, GITHUB_SARIF)
    (result,) = doc["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == file_position(LENET, "nn.Linear(16 * 5 * 5, 120)")


def test_file_positions_step_over_json_escapes(tmp_path, cnnlint):
    """A quote or a non-ASCII character before the fault is several characters in the JSON file."""
    source = ['import torch\n', 'from torch import nn\n', 'NAME = "a\\"é😀"; model = nn.Sequential(nn.Flatten(), '
              'nn.Linear(16, 4), nn.Linear(8, 2))  # cnnlint: input-shape=16\n']
    path = tmp_path / "escaped.ipynb"
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": source,
                                           "execution_count": None}], "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}, indent=1), encoding="utf-8")
    text = cnnlint("--no-cache", "escaped.ipynb", cwd=tmp_path).stdout
    assert text.startswith(f"escaped.ipynb:cell 1:3:{source[2].index('nn.Linear(8, 2)') + 1}: CNN101"), text
    _, properties, _ = parse_github(cnnlint("--no-cache", "--format", "github", "escaped.ipynb", cwd=tmp_path)
                                    .stdout.splitlines()[0])
    assert (int(properties["line"]), int(properties["col"])) == file_position(path, "nn.Linear(8, 2)")


def test_magics_are_not_syntax_errors_and_a_time_cell_is_analysed(cnnlint_json):
    doc, code = cnnlint_json("--no-cache", "magics.ipynb", cwd=NOTEBOOKS)
    assert [(d["code"], d["cell"], d["line"]) for d in doc["diagnostics"]] == [("CNN103", 3, 6)]


def test_functional_model_across_cells_matches_keras():
    """The cells cnnlint reads, run in Keras (data-loading cells left out), give the same count."""
    import keras  # noqa: F401 - the oracle

    document = json.loads((NOTEBOOKS / "keras_functional.ipynb").read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in document["cells"] if c["cell_type"] == "code"]
    namespace = {"class_names": ["cat", "dog", "bird"]}
    for cell in (cells[0], cells[2], cells[3]):
        exec(compile(cell, "cell", "exec"), namespace)
    expected = namespace["model"].count_params()

    from .conftest import run_cnnlint

    proc = run_cnnlint("--no-cache", "--format", "json", "keras_functional.ipynb", cwd=NOTEBOOKS)
    doc = json.loads(proc.stdout)
    model = next(m for m in doc["models"] if m["name"] == "model")
    assert (model["cell"], model["line"], model["total_params"]) == (5, 3, expected)
    assert model["output_shape"] == [3]


def test_sizes_from_data_are_unknown_never_errors(cnnlint_json):
    doc, code = cnnlint_json("--no-cache", "keras_functional.ipynb", cwd=NOTEBOOKS)
    assert code == 0
    assert all(d["severity"] == "info" for d in doc["diagnostics"])
    baseline = next(m for m in doc["models"] if m["name"] == "baseline")
    assert (baseline["cell"], baseline["total_params"]) == (6, None)


def test_a_notebook_without_a_model(cnnlint_json, cnnlint):
    doc, code = cnnlint_json("--no-cache", "no_model.ipynb", cwd=NOTEBOOKS)
    assert (doc["models"], doc["diagnostics"], code) == ([], [], 0)
    assert cnnlint("--no-cache", "no_model.ipynb", cwd=NOTEBOOKS).stdout == "All checks passed!\n"


def test_a_malformed_notebook_gets_one_clear_diagnostic(cnnlint):
    proc = cnnlint("--no-cache", "malformed.ipynb", "no_model.ipynb", cwd=NOTEBOOKS)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stdout.splitlines() == [
        "malformed.ipynb:18:13: CNN001 [error] malformed notebook: invalid JSON (Expecting ':' delimiter)",
        "Found 1 diagnostic (1 error)."]


@pytest.mark.parametrize("document, message", [
    ("[]", 'no list of "cells"'),
    ('{"worksheets": []}', "nbformat 3"),
    ('{"cells": [{"source": "x"}]}', 'cell 1 has no "cell_type"'),
    ('{"cells": [{"cell_type": "code", "source": [1]}]}', 'the "source" of cell 1 is not text'),
])
def test_notebooks_of_the_wrong_shape(document, message):
    with pytest.raises(NotebookError, match=message):
        read(document.encode())


def test_another_kernel_language_is_not_python():
    document = {"cells": [{"cell_type": "code", "source": "library(keras)\nmodel <- keras_model_sequential()"}],
                "metadata": {"kernelspec": {"language": "R", "name": "ir"}}}
    assert read(json.dumps(document).encode()) is None


def test_folder_walks_lint_notebooks(cnnlint):
    proc = cnnlint("--no-cache", ".", cwd=NOTEBOOKS)
    found = set(reported_paths(proc.stdout))
    assert found == {"./lenet_torch_buggy.ipynb", "./magics.ipynb", "./malformed.ipynb",
                     "./keras_functional.ipynb", "./rebound_model.ipynb"}


def test_standard_input_as_a_notebook(cnnlint):
    proc = cnnlint("--no-cache", "--stdin-filename", "lenet_torch_buggy.ipynb", "-", input=LENET.read_text("utf-8"))
    assert proc.stdout.startswith(LENET_BUG)


def test_extension_maps_a_suffix_to_notebooks(tmp_path, cnnlint):
    shutil.copy(LENET, tmp_path / "lenet_torch_buggy.ipy")
    skipped = cnnlint("--no-cache", "lenet_torch_buggy.ipy", cwd=tmp_path)
    assert skipped.returncode == 0 and "neither a Python file nor a notebook" in skipped.stderr
    assert "No Python files found" in skipped.stderr and skipped.stdout == ""
    assert cnnlint("--no-cache", ".", cwd=tmp_path).stdout == ""
    for args in (["--extension", "ipy:ipynb", "lenet_torch_buggy.ipy"], ["--extension", "ipy:ipynb", "."]):
        linted = cnnlint("--no-cache", *args, cwd=tmp_path)
        assert "lenet_torch_buggy.ipy:cell 3:6:20: CNN101" in linted.stdout, linted.stderr
    bad = cnnlint("--extension", "ipy:rust", "lenet_torch_buggy.ipy", cwd=tmp_path)
    assert bad.returncode == 2 and "--extension" in bad.stderr


def test_the_input_shape_pragma_in_a_cell(tmp_path, cnnlint_json):
    cells = [["import keras\n"], ["model = keras.Sequential([  # cnnlint: input-shape=28,28,1\n",
                                  "    keras.layers.Conv2D(8, 3),\n", "    keras.layers.Flatten(),\n",
                                  "    keras.layers.Dense(10),\n", "])\n"]]
    document = {"cells": [{"cell_type": "code", "source": c, "metadata": {}, "outputs": []} for c in cells],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "nb.ipynb").write_text(json.dumps(document), encoding="utf-8")
    doc, _ = cnnlint_json("--no-cache", "nb.ipynb", cwd=tmp_path)
    (model,) = doc["models"]
    assert (model["input_source"], model["input_shape"], model["cell"], model["line"]) == (
        "pragma", [28, 28, 1], 2, 1)
    assert model["total_params"] == 8 * 9 + 8 + 26 * 26 * 8 * 10 + 10


def test_every_model_is_reported_at_its_cell_when_the_name_is_bound_again(cnnlint_json):
    doc, code = cnnlint_json("--no-cache", "rebound_model.ipynb", cwd=NOTEBOOKS)
    assert [(m["name"], m["cell"], m["line"], m["total_params"]) for m in doc["models"]] == [
        ("model", 3, 1, 28 * 28 * 10 + 10), ("model", 4, 1, 8 * 9 + 8 + 16 * 30 * 30 * 8 + 16),
        ("head", 6, 1, 512 * 10 + 10), ("vgg16", 6, 2, None)]  # torchvision's source is not read: null, not dropped
    assert [(d["code"], d["cell"], d["line"], d["model"]) for d in doc["diagnostics"]] == [
        ("CNN103", 4, 5, "model"), ("CNN900", 6, 2, "vgg16")]
    only, _ = cnnlint_json("--no-cache", "--model", "model", "rebound_model.ipynb", cwd=NOTEBOOKS)
    assert [(m["cell"], m["line"]) for m in only["models"]] == [(3, 1), (4, 1)]


def test_a_script_that_rebinds_a_name_reports_each_model_once(tmp_path, cnnlint_json):
    (tmp_path / "train.py").write_text(
        "import torch\nfrom torch import nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n"
        "        return self.fc(x)\n\n\nmodel = Net()\nmodel = Net()  # trained again\n"
        "model = nn.Sequential(nn.Flatten(), nn.Linear(16, 3))\nmodel = torch.load('model.pt')\n", encoding="utf-8")
    doc, _ = cnnlint_json("--no-cache", "train.py", cwd=tmp_path)
    assert [(m["name"], m["line"], m["total_params"]) for m in doc["models"]] == [
        ("model", 5, 10), ("model", 16, 51)]


def decoded_at(text: str, offset: int) -> str:
    """The one character a JSON string's raw text holds at ``offset``."""
    if text[offset] != "\\":
        return text[offset]
    length = 12 if text[offset + 1] == "u" and text[offset + 6: offset + 8] == "\\u" else (
        6 if text[offset + 1] == "u" else 2)
    decoded = json.loads('"' + text[offset: offset + length] + '"')
    return decoded if len(decoded) == 1 else json.loads('"' + text[offset: offset + 6] + '"')


line_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e"
                                  "\x85\u2028\u2029"), max_size=30)


@settings(derandomize=True, max_examples=150, deadline=None)
@given(cells=st.lists(st.lists(line_text, min_size=1, max_size=4), min_size=1, max_size=3),
       one_string=st.booleans(), indent=st.sampled_from([None, 1]), ascii_only=st.booleans())
def test_every_character_maps_to_its_place_in_the_file(cells, one_string, indent, ascii_only):
    """Whatever the escapes (quotes, backslashes, control and astral characters) and the JSON layout."""
    sources = [[f"x{line}\n" for line in cell] for cell in cells]
    document = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                           "source": "".join(source) if one_string else source} for source in sources],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(document, indent=indent, ensure_ascii=ascii_only)
    book = read(text.encode())
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    for number, line in enumerate(book.source.splitlines(keepends=True), 1):
        cell, within = book.cell_position(number)
        if line != sources[cell - 1][within - 1]:
            continue  # blanked as IPython syntax
        for column, character in enumerate(line.rstrip("\n"), 1):
            file_line, file_column = book.file_position(number, column)
            assert decoded_at(text, starts[file_line - 1] + file_column - 1) == character


def test_valid_python_is_never_taken_for_ipython_syntax():
    """Lines starting with % or ! inside strings, brackets and continuations: torch.nn's own modules."""
    import importlib.util

    folder = Path(importlib.util.find_spec("torch").origin).parent / "nn" / "modules"
    paths = sorted(folder.glob("*.py"))
    assert len(paths) > 20
    for path in paths:
        lines = [line if line.endswith("\n") else line + "\n"
                 for line in path.read_text(encoding="utf-8").splitlines(keepends=True)]
        assert python_lines(lines) == lines, path.name


def test_cached_notebook_results_keep_cells_and_file_positions(tmp_path, cnnlint):
    shutil.copy(LENET, tmp_path / "lenet_torch_buggy.ipynb")
    outputs = []
    for _ in range(2):
        runs = [cnnlint("--cache-dir", str(tmp_path / "cache"), "--format", output_format,
                        "lenet_torch_buggy.ipynb", cwd=tmp_path).stdout for output_format in ("github", "json")]
        outputs.append(runs)
    assert any((tmp_path / "cache").rglob("*.json"))
    assert outputs[0] == outputs[1]
    assert "line=" + str(file_position(LENET, "nn.Linear(16 * 5 * 5")[0]) in outputs[1][0]
    assert json.loads(outputs[1][1])["models"][0]["layers"][0]["cell"] == 3
