"""Bad input gets a clear diagnostic and the run goes on; never a traceback."""

import json

import pytest

from .conftest import run_cnnlint

KERAS_HEADER = "from tensorflow import keras\nfrom tensorflow.keras import layers\n"


def lint(tmp_path, name, content, *args):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    proc = run_cnnlint("--format", "json", *args, str(path))
    assert "Traceback" not in proc.stderr, proc.stderr
    return json.loads(proc.stdout), proc.returncode


def codes(doc):
    return [(d["code"], d["line"]) for d in doc["diagnostics"]]


def test_syntax_error_is_cnn001_at_its_line(tmp_path):
    doc, code = lint(tmp_path, "broken.py", KERAS_HEADER + "model = keras.Sequential([layers.Dense(3)])\n"
                     "y = = 2\nx = 1\n")
    assert code == 1
    assert codes(doc) == [("CNN001", 4)]
    assert "syntax error" in doc["diagnostics"][0]["message"]


def test_run_goes_on_after_a_broken_file(tmp_path):
    (tmp_path / "a_broken.py").write_text(KERAS_HEADER + "def (:\n")
    (tmp_path / "b_model.py").write_text(KERAS_HEADER + "m = keras.Sequential([keras.Input((4,)), layers.Dense(2)])\n")
    proc = run_cnnlint("--format", "json", str(tmp_path))
    doc = json.loads(proc.stdout)
    assert proc.returncode == 1
    assert [m["total_params"] for m in doc["models"]] == [10]
    assert [d["code"] for d in doc["diagnostics"]] == ["CNN001"]


def test_empty_file(tmp_path):
    doc, code = lint(tmp_path, "empty.py", "")
    assert code == 0
    assert [d["code"] for d in doc["diagnostics"]] == ["CNN002"]
    assert doc["diagnostics"][0]["severity"] == "info"


def test_non_utf8_file(tmp_path):
    doc, code = lint(tmp_path, "latin.py", KERAS_HEADER.encode() + b"name = '\xe9t\xe9'\n"
                     b"m = keras.Sequential([keras.Input((4,)), layers.Dense(2)])\n")
    assert code == 1
    assert [d["code"] for d in doc["diagnostics"]] == ["CNN001"]


def test_declared_latin1_encoding_is_honoured(tmp_path):
    source = b"# -*- coding: latin-1 -*-\n" + KERAS_HEADER.encode() + (
        b"# \xe9t\xe9\nm = keras.Sequential([keras.Input((4,)), layers.Dense(2)])\n")
    doc, code = lint(tmp_path, "latin.py", source)
    assert code == 0 and doc["models"][0]["total_params"] == 10


@pytest.mark.parametrize("layer, needle", [
    ("layers.Conv2D(4, 3, strides=0)", "strides"),
    ("layers.Conv2D(4, -3)", "kernel_size"),
    ("layers.Conv2D(0, 3)", "filters"),
    ("layers.MaxPooling2D(pool_size=2, padding='full')", "padding"),
])
def test_invalid_layer_arguments(tmp_path, layer, needle):
    doc, code = lint(tmp_path, "m.py", KERAS_HEADER + f"m = keras.Sequential([keras.Input((8, 8, 1)),\n    {layer},\n    layers.Flatten()])\n")
    assert code == 1
    (diag,) = [d for d in doc["diagnostics"] if d["code"] == "CNN104"]
    assert diag["line"] == 4 and needle in diag["message"]
    # what follows an invalid layer is unknown, not guessed
    assert doc["models"][0]["total_params"] is None
    assert doc["models"][0]["layers"][-1]["output_shape"] is None


def test_unknown_layer_type_makes_what_follows_unknown(tmp_path):
    doc, code = lint(tmp_path, "m.py", KERAS_HEADER + "m = keras.Sequential([keras.Input((8, 8, 1)),\n"
                     "    layers.Conv2D(4, 3),\n    layers.FancyNewLayer(7),\n    layers.Flatten(),\n    layers.Dense(2)])\n")
    assert code == 0
    info = [d for d in doc["diagnostics"] if d["code"] == "CNN900"]
    assert info and info[0]["severity"] == "info" and info[0]["line"] == 5
    assert "FancyNewLayer" in info[0]["message"]
    (model,) = doc["models"]
    assert model["layers"][0]["output_shape"] == [6, 6, 4] and model["layers"][0]["params"] == 40
    assert [layer["output_shape"] for layer in model["layers"][1:]] == [None, None, None]
    assert model["total_params"] is None


def test_kernel_larger_than_input_is_cnn103(tmp_path):
    doc, code = lint(tmp_path, "m.py", KERAS_HEADER + "m = keras.Sequential([keras.Input((4, 4, 1)),\n"
                     "    layers.Conv2D(4, 5)])\n")
    assert code == 1
    assert codes(doc) == [("CNN103", 4)]
    assert "(4 − 5)/1 + 1 = 0" in doc["diagnostics"][0]["message"]


def test_flooring_is_cnn102_with_the_arithmetic(tmp_path):
    doc, code = lint(tmp_path, "m.py", KERAS_HEADER + "m = keras.Sequential([keras.Input((28, 28, 1)),\n"
                     "    layers.Conv2D(8, 3, strides=2)])\n")
    assert code == 0
    assert codes(doc) == [("CNN102", 4)]
    assert doc["diagnostics"][0]["message"] == (
        "Conv2D: (28 − 3)/2 + 1 = 13.5 is not an integer; Keras floors it to 13 and the last input row and "
        "column are never read")


@pytest.mark.parametrize("layer", [
    "layers.Conv2D(64, 7, strides=2, padding='same')",  # 'same' pads to tile
    "layers.Conv2D(64, 1, strides=2)",  # a kernel narrower than its stride skips rows by design
    "layers.ZeroPadding2D(3), layers.Conv2D(64, 7, strides=2)",  # ResNet's stem: only padding is skipped
    "layers.ZeroPadding2D(((0, 1), (0, 1))), layers.Conv2D(8, 3, strides=2)",  # MobileNet's stem
])
def test_no_cnn102_for_by_design_cases(tmp_path, layer):
    doc, _ = lint(tmp_path, "m.py", KERAS_HEADER + f"m = keras.Sequential([keras.Input((224, 224, 3)), {layer}])\n")
    assert codes(doc) == []


def test_bad_input_shape_flag_is_usage_error(tmp_path):
    proc = run_cnnlint("--input-shape", "28,x", "fixtures/lenet5_keras.py")
    assert proc.returncode == 2
    assert "--input-shape" in proc.stderr and "Traceback" not in proc.stderr
