"""Configuration, command-line values, special files and file names: a one-line error or a diagnostic, never a
traceback or a hang."""

import json
import os
import subprocess
import sys

import pytest

from .conftest import ROOT, run_cnnlint

K = "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
MODEL = K + "model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])\n"
DIGITS_5000 = "9" * 5000


def _one_line_usage_error(proc, needle):
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cnnlint: error: ") and needle in lines[0], proc.stderr


@pytest.mark.parametrize("text, needle", [
    ('tool = "cnnlint"\n', "tool must be a table"),
    ("tool = 5\n", "tool must be a table"),
    ("[tool.cnnlint]\ninput-shapes = {model = \"²\"}\n", "input-shapes"),
    ("[tool.cnnlint]\ninput-shapes = {model = \"" + DIGITS_5000 + "\"}\n", "input-shapes"),
    ("[tool.cnnlint]\ninput-shapes = {model = [" + DIGITS_5000 + "]}\n", "input-shapes"),
    ("[tool.cnnlint]\nmax-params = " + DIGITS_5000 + "\n", "max-params"),
    # broken TOML counts even without [tool.cnnlint]: its error is shown
    ("x = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
    (b'name = "\xff"\n', "not UTF-8"),
])
def test_bad_pyproject_is_a_one_line_error(tmp_path, text, needle):
    (tmp_path / "pyproject.toml").write_bytes(text if isinstance(text, bytes) else text.encode())
    (tmp_path / "m.py").write_text(MODEL)
    _one_line_usage_error(run_cnnlint("--no-cache", "m.py", cwd=tmp_path), needle)


@pytest.mark.parametrize("flags, needle", [
    (["--input-shape", "²"], "--input-shape"),
    (["--input-shape", DIGITS_5000[:40]], "--input-shape"),
])
def test_bad_flag_value_is_a_one_line_error(tmp_path, flags, needle):
    (tmp_path / "m.py").write_text(MODEL)
    _one_line_usage_error(run_cnnlint("--no-cache", *flags, "m.py", cwd=tmp_path), needle)


def test_pragma_of_5000_digits_is_ignored(tmp_path):
    (tmp_path / "m.py").write_text(K + "model = keras.Sequential([layers.Dense(2)])  # cnnlint: input-shape="
                                   + DIGITS_5000 + "\n")
    proc = run_cnnlint("--format", "json", "--no-cache", "m.py", cwd=tmp_path)
    assert proc.returncode == 0 and json.loads(proc.stdout)["models"][0]["input_shape"] is None


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_config_that_is_not_a_regular_file(tmp_path, special):
    if special == "fifo":
        special = str(tmp_path / "cnnlint.toml")
        os.mkfifo(special)
    (tmp_path / "m.py").write_text(MODEL)
    _one_line_usage_error(run_cnnlint("--no-cache", "--config", special, "m.py", cwd=tmp_path),
                          "not a regular file")


def test_stdin_without_end_is_refused():
    with open("/dev/zero", "rb") as zero:
        proc = subprocess.run([sys.executable, "-m", "cnnlint", "--no-cache", "-"], stdin=zero, capture_output=True,
                              text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "-:1:1: CNN001 [error] cannot read the file: larger than the limit" in proc.stdout


NON_UTF8 = os.fsdecode(b"caf\xe9.py")


@pytest.mark.parametrize("flags, env", [
    (["--format", "sarif"], {}),
    (["--format", "github"], {"PYTHONIOENCODING": "utf-8"}),
    ([], {"PYTHONIOENCODING": "utf-8"}),
    (["--output-file", "out.txt"], {}),
])
def test_file_name_that_is_not_utf8(tmp_path, flags, env):
    (tmp_path / NON_UTF8).write_text(K + "x = = 1\n")
    proc = subprocess.run([sys.executable, "-m", "cnnlint", "--no-cache", *flags, "."], capture_output=True,
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT), **env}, timeout=60)
    assert proc.returncode == 1, proc.stderr
    out = (tmp_path / "out.txt").read_bytes() if "--output-file" in flags else proc.stdout
    # the name as it is on disk: its own bytes, or percent-encoded in a SARIF URI
    assert b"caf\xe9.py" in out or b"caf%E9.py" in out
