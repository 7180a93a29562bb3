"""Bad input gets a clear diagnostic and the run goes on; never a traceback."""

import json

from .conftest import KERAS_HEADER, lint_file, run_cnnlint


def test_run_goes_on_after_a_broken_file(tmp_path):
    (tmp_path / "a_broken.py").write_text(KERAS_HEADER + "def (:\n")
    (tmp_path / "b_model.py").write_text(KERAS_HEADER + "m = keras.Sequential([keras.Input((4,)), layers.Dense(2)])\n")
    proc = run_cnnlint("--format", "json", str(tmp_path))
    doc = json.loads(proc.stdout)
    assert proc.returncode == 1
    assert [m["total_params"] for m in doc["models"]] == [10]
    assert [d["code"] for d in doc["diagnostics"]] == ["CNN001"]


def test_declared_latin1_encoding_is_honoured(tmp_path):
    source = b"# -*- coding: latin-1 -*-\n" + KERAS_HEADER.encode() + (
        b"# \xe9t\xe9\nm = keras.Sequential([keras.Input((4,)), layers.Dense(2)])\n")
    doc, code = lint_file(tmp_path, "latin.py", source)
    assert code == 0 and doc["models"][0]["total_params"] == 10


def test_bad_input_shape_flag_is_usage_error(tmp_path):
    proc = run_cnnlint("--input-shape", "28,x", "fixtures/lenet5_keras.py")
    assert proc.returncode == 2
    assert "--input-shape" in proc.stderr and "Traceback" not in proc.stderr
