"""Hostile input: every file gets an answer, in bounded time and memory, and nothing of it is executed.

All cases are linted by one real ``cnnlint`` run over one folder, so a case
that crashed or hung the process would take the others down with it; the run
has an address-space limit, so a case that blew the memory fails the test.
"""

import json
import os
import resource
import subprocess
import sys
import textwrap
import time

import pytest

from .conftest import ROOT

K = "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
MODEL = "model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])\n"
FACTORY = "def build(n=4):\n{}\n    return keras.Sequential([keras.Input((n,)), layers.Dense(2)])\nmodel = build()\n"

#: file name -> content
HOSTILE = {
    "syntax_error.py": K + "def (:\n",
    "nul_byte.py": K + "x = 1\x00\n" + MODEL,
    "binary.py": b"\x7fELF\x02\x01\x01\x00keras" + bytes(range(256)) * 4,
    "bom.py": b"\xef\xbb\xbf" + (K + MODEL).encode(),
    "crlf.py": (K + MODEL).replace("\n", "\r\n"),
    "tabs.py": K + "def build():\n\tm = keras.Sequential([keras.Input((4,)), layers.Dense(2)])\n\treturn m\nmodel = build()\n",
    "cp1252.py": b"# -*- coding: cp1252 -*-\n" + K.encode() + b"s = '\x80\xe9'\n" + MODEL.encode(),
    "unknown_encoding.py": b"# -*- coding: klingon -*-\n" + (K + MODEL).encode(),
    "undecodable.py": K.encode() + b"s = '\xff\xfe'\n" + MODEL.encode(),
    "empty.py": "",
    "sequential_10000_layers.py": K + "model = keras.Sequential([keras.Input((4,)),\n" + "    layers.Dense(4),\n" * 10_000 + "])\n",
    "nested_parens.py": K + "n = " + "(" * 300 + "4" + ")" * 300 + "\n" + MODEL.replace("(4,)", "(n,)"),
    "nested_sum.py": K + "n = " + "1 + " * 3000 + "1\n" + MODEL,
    "nested_calls.py": K + "x = " + "f(" * 300 + ")" * 300 + "\n" + MODEL,
    "nested_lists.py": K + "x = " + "[" * 300 + "]" * 300 + "\n" + MODEL,
    "nested_blocks.py": K + "".join(" " * i + "if True:\n" for i in range(90)) + " " * 90 + "n = 4\n" + MODEL,
    "range_10_12.py": K + FACTORY.format("    for i in range(10**12):\n        pass"),
    "range_10_20_len.py": K + FACTORY.format("    n = len(range(10**20))\n    for i in range(10**20, 0, -1):\n        pass"),
    "while_true.py": K + FACTORY.format("    while True:\n        pass"),
    "mutual_recursion.py": K + "def a(n):\n    return b(n)\ndef b(n):\n    return a(n)\n" + FACTORY.format("    a(n)"),
    "big_integers.py": K + FACTORY.format("    x = 1 << 4000\n    for i in range(40):\n        x = x * x"),
    "self_referential_classes.py": K + "class A(A):\n    pass\nclass B:\n    me = B\nclass Net(keras.Model):\n"
                                       "    def __init__(self):\n        super().__init__()\n        self.me = self\n"
                                       "    def call(self, x):\n        return self.me(x)\n" + MODEL,
    "string_doubling.py": K + FACTORY.format("    s = 'ab'\n    for i in range(60):\n        s = s + s"),
    "break_outside_loop.py": K + FACTORY.format("    break"),
    "dict_comprehension.py": K + "d = {k: v for k in range(3) for v in unknown}\n" + MODEL,
    "non_positive_arguments.py": K + "model = keras.Sequential([keras.Input((8, 8, 1)),\n    layers.Conv2D(4, 0),\n"
                                     "    layers.Conv2D(-1, 3, strides=-2),\n    layers.MaxPooling2D(0, strides=0)])\n",
    # CPython compiles it; LibCST's native parser overflows its stack: only this file's worker dies
    "parser_segfault.py": K + "flag = " + " and ".join(["True"] * 10_000) + "\n" + MODEL,
    # Python accepts it, LibCST cannot parse it: a limit of the analysis, not a syntax error
    "adjacent_strings.py": K + "s = (" + " ".join(['"a"'] * 10_000) + ")\n" + MODEL,
    # integers beyond Python's 4,300-digit int-to-text limit, in an f-string, a pragma and the reports
    "fstring_5001_digits.py": K + "n = 10 ** 1000\nn = n * n * n * n * n * 10\ns = f'{n}'\n" + MODEL,
    "pragma_5000_digits.py": K + "model = keras.Sequential([layers.Dense(2)])  # cnnlint: input-shape="
                             + "9" * 5000 + "\n",
    "width_16000_bits.py": K + "w = 2 ** 2000\nw = w * w * w * w * w * w * w * w\n"
                               "model = keras.Sequential([keras.Input((4,)), layers.Dense(w)])\n",
    # single steps whose cost is the size of their values, not one step: each is charged or refused
    "equal_deep_lists.py": K + FACTORY.format("    a, b = [1], [1]\n    for i in range(40):\n"
                                              "        a, b = [a, a], [b, b]\n    same = a == b"),
    "str_deep_list.py": K + FACTORY.format("    a = [1]\n    for i in range(40):\n        a = [a, a]\n    s = str(a)"),
    "deepcopy_deep_list.py": K + "import copy\n" + FACTORY.format(
        "    a = [1]\n    for i in range(40):\n        a = [a, a]\n    b = copy.deepcopy(a)"),
    "list_extend_doubling.py": K + FACTORY.format("    a = [1]\n    for i in range(60):\n        a.extend(a)"),
    "linspace_10_9.py": K + "import numpy as np\n" + FACTORY.format("    x = np.linspace(0, 1, 10**9)"),
    "percent_doubling.py": K + FACTORY.format("    s = '%s%s'\n    for i in range(60):\n        s = s % (s, s)"),
    "bytes_doubling.py": K + FACTORY.format("    s = b'ab'\n    for i in range(60):\n        s = s + s"),
    "unhashable_set.py": K + "s = {[1], [2]}\n" + MODEL,
    # a chain of 100 modules PyTorch builds: deeper than the analysis follows calls, which is a bound (CNN900)
    "module_chain_100.py": "import torch\nfrom torch import nn\nclass M0(nn.Module):\n    def __init__(self):\n"
                           "        super().__init__()\n        self.m = nn.Linear(4, 4)\n    def forward(self, x):\n"
                           "        return self.m(x)\n" + "".join(
                               f"class M{i}(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                               f"        self.m = M{i - 1}()\n    def forward(self, x):\n        return self.m(x)\n"
                               for i in range(1, 100)) + "model = M99()\ny = model(torch.zeros(1, 4))\n",
}

#: file name -> the codes the case must report (at least one of them; None: a model and no error)
EXPECTED = {
    "syntax_error.py": {"CNN001"}, "nul_byte.py": {"CNN001"}, "binary.py": {"CNN001"}, "unknown_encoding.py": {"CNN001"},
    "undecodable.py": {"CNN001"}, "empty.py": {"CNN002"}, "non_positive_arguments.py": {"CNN104"},
    "parser_segfault.py": {"CNN900"}, "adjacent_strings.py": {"CNN900"}, "pragma_5000_digits.py": {"CNN900"},
    "zero.py": {"CNN001"}, "fifo.py": {"CNN001"}, "module_chain_100.py": {"CNN900"},
}

#: constructs that stop the analysis must say so (CNN900) instead of silently dropping the model
STOPS = {"range_10_12.py", "range_10_20_len.py", "while_true.py", "mutual_recursion.py", "big_integers.py",
         "string_doubling.py", "break_outside_loop.py"}

#: bounds stated in the README ("Limits"): per file, in this process and for all cases together
SECONDS_PER_FILE = 20
MEMORY_BYTES = 2 * 1024 ** 3


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    for name, content in HOSTILE.items():
        (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    # unreadable entries of a folder being linted
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "loop_a.py").symlink_to(folder / "loop_b.py")
    (folder / "loop_b.py").symlink_to(folder / "loop_a.py")
    (folder / "dangling.py").symlink_to(folder / "missing.py")
    (folder / "folder_named.py").mkdir()  # not a file: walked into, not read
    # special files: only regular files are read
    (folder / "zero.py").symlink_to("/dev/zero")
    os.mkfifo(folder / "fifo.py")
    # a file name that is not valid UTF-8
    (folder / os.fsdecode(b"latin\xe9.py")).write_text(K + MODEL)
    return folder


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


@pytest.fixture(scope="module")
def report(hostile_folder):
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "cnnlint", "--format", "json", str(hostile_folder)],
                          capture_output=True, text=True, cwd=ROOT, timeout=SECONDS_PER_FILE * len(HOSTILE),
                          preexec_fn=_limit_memory)
    elapsed = time.monotonic() - start
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    sys.set_int_max_str_digits(0)  # a 16,000-bit layer width is printed exactly
    doc = json.loads(proc.stdout)
    by_file = {}
    for d in doc["diagnostics"]:
        by_file.setdefault(os.path.basename(d["path"]), []).append(d)
    models = {}
    for m in doc["models"]:
        models.setdefault(os.path.basename(m["path"]), []).append(m)
    return proc.returncode, by_file, models, elapsed


def test_the_run_finishes_without_internal_error(report):
    code, by_file, _, elapsed = report
    internal = [d for ds in by_file.values() for d in ds if d["code"] == "CNN000"]
    assert not internal, internal
    assert code == 1  # errors were found, none of them cnnlint's own
    assert elapsed < SECONDS_PER_FILE * len(HOSTILE)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_gets_a_clear_diagnostic(report, name):
    _, by_file, _, _ = report
    assert {d["code"] for d in by_file.get(name, [])} & EXPECTED[name], by_file.get(name)


@pytest.mark.parametrize("name", ["bom.py", "crlf.py", "tabs.py", "cp1252.py", "nested_parens.py", "nested_sum.py",
                                  "nested_calls.py", "nested_lists.py", "nested_blocks.py",
                                  "self_referential_classes.py", "dict_comprehension.py", "fstring_5001_digits.py",
                                  os.fsdecode(b"latin\xe9.py"), "equal_deep_lists.py", "str_deep_list.py",
                                  "deepcopy_deep_list.py", "list_extend_doubling.py", "linspace_10_9.py",
                                  "percent_doubling.py", "bytes_doubling.py", "unhashable_set.py"])
def test_odd_but_valid_file_is_analysed(report, name):
    _, by_file, models, _ = report
    assert [m["total_params"] for m in models.get(name, []) if m["name"] == "model"] == [10], models.get(name)
    assert not [d for d in by_file.get(name, []) if d["severity"] == "error"]


def test_10000_layer_sequential_is_analysed_or_stopped_honestly(report):
    _, by_file, models, _ = report
    (model,) = models["sequential_10000_layers.py"]
    stopped = [d for d in by_file.get("sequential_10000_layers.py", []) if d["code"] == "CNN900"]
    assert model["total_params"] == 20 + 9_999 * 20 or (stopped and model["total_params"] is None)


@pytest.mark.parametrize("name", sorted(STOPS))
def test_construct_that_stops_the_analysis_says_so(report, name):
    _, by_file, models, _ = report
    said = {d["code"] for d in by_file.get(name, [])}
    assert "CNN900" in said or {m["total_params"] for m in models.get(name, [])} == {10}


def test_16000_bit_width_is_reported_exactly(report):
    _, _, models, _ = report
    (model,) = models["width_16000_bits.py"]
    assert model["total_params"] == 5 * 2 ** 16000


@pytest.mark.parametrize("name", ["zero.py", "fifo.py"])
def test_special_file_is_not_read(report, name):
    _, by_file, _, _ = report
    (diagnostic,) = by_file[name]
    assert "not a regular file" in diagnostic["message"]


@pytest.mark.parametrize("name", ["loop_a.py", "dangling.py"])
def test_unreadable_entry_is_cnn001_and_the_run_goes_on(report, name):
    _, by_file, models, _ = report
    assert [d["code"] for d in by_file.get(name, [])] == ["CNN001"]
    assert "cannot read" in by_file[name][0]["message"]
    assert models.get("bom.py")  # the other files were linted


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_file_without_read_permission(tmp_path):
    path = tmp_path / "secret.py"
    path.write_text(K + MODEL)
    path.chmod(0)
    proc = subprocess.run([sys.executable, "-m", "cnnlint", "--format", "json", str(path)], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert [d["code"] for d in json.loads(proc.stdout)["diagnostics"]] == ["CNN001"]


def test_positions_lie_inside_the_file(report, hostile_folder):
    _, by_file, _, _ = report
    for name, diagnostics in by_file.items():
        path = hostile_folder / name
        lines = path.read_bytes().splitlines() if path.is_file() and os.access(path, os.R_OK) else []
        for d in diagnostics:
            assert 1 <= d["line"] <= max(1, len(lines)), (name, d)
            assert (d["line"], d["column"]) <= (d["end_line"], d["end_column"]), (name, d)


AUDIT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from cnnlint.runner import Options, lint_path
    from tests.audit import install
    # the native parser's crash would end this unsupervised process: that case is the supervisor's
    files = sorted(p for p in Path(sys.argv[1]).iterdir()
                   if p.is_file() and p.suffix == ".py" and p.name != "parser_segfault.py")
    contents = {p.read_bytes() for p in files}
    contents |= {c.decode("utf-8", "replace") for c in contents}
    paths = {str(p) for p in files}
    banned = {"torch", "keras", "tensorflow", "jax"} | {p.stem for p in files}
    lint_path(sys.argv[2], Options())  # cnnlint's own lazy imports happen here, before the hook
    violations = install(banned, contents, paths)
    for p in files:
        lint_path(str(p), Options())
    print(len(files), violations)
    sys.exit(1 if violations else 0)
""")


def test_hostile_files_are_never_imported_compiled_or_executed(hostile_folder):
    proc = subprocess.run([sys.executable, "-c", AUDIT, str(hostile_folder), str(hostile_folder / "bom.py")],
                          capture_output=True, text=True, cwd=ROOT, timeout=SECONDS_PER_FILE * len(HOSTILE),
                          preexec_fn=_limit_memory)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-2000:]
