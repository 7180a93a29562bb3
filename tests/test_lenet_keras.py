"""The article's LeNet-5, through the command line, must match Keras exactly."""

import re

SHAPES_28 = [[24, 24, 6], [12, 12, 6], [12, 12, 6], [8, 8, 16], [4, 4, 16], [4, 4, 16], [256], [120], [84], [10]]
PARAMS_28 = [156, 0, 0, 2416, 0, 0, 0, 30840, 10164, 850]


def test_summary_matches_keras_table(cnnlint):
    proc = cnnlint("--summary", "fixtures/lenet5_keras.py")
    assert proc.returncode == 0, proc.stderr
    rows = [line for line in proc.stdout.splitlines() if re.match(r"^\S+ \(\w+\)", line) and not line.startswith("Layer")]
    assert len(rows) == 10
    for row, shape, params in zip(rows, SHAPES_28, PARAMS_28):
        assert "(None, " + ", ".join(map(str, shape)) + ")" in row
        assert row.split()[-1] == f"{params:,}"
    assert re.search(r"Total params: 44,426\b", proc.stdout)
    assert re.search(r"Trainable params: 44,426\b", proc.stdout)
    assert re.search(r"Non-trainable params: 0\b", proc.stdout)
    names = [row.split()[0] for row in rows]
    assert names == ["conv2d", "max_pooling2d", "re_lu", "conv2d_1", "max_pooling2d_1", "re_lu_1", "flatten",
                     "dense", "dense_1", "dense_2"]


def test_json_carries_the_same_numbers(cnnlint_json):
    doc, code = cnnlint_json("fixtures/lenet5_keras.py")
    assert code == 0
    assert doc["version"] == 1
    (model,) = doc["models"]
    assert model["name"] == "model" and model["framework"] == "keras"
    assert model["input_shape"] == [28, 28, 1]
    assert model["output_shape"] == [10]
    assert model["total_params"] == 44426 and model["trainable_params"] == 44426
    assert [layer["output_shape"] for layer in model["layers"]] == SHAPES_28
    assert [layer["params"] for layer in model["layers"]] == PARAMS_28
    assert model["layers"][0]["line"] == 10 and model["layers"][0]["column"] == 5
    assert doc["diagnostics"] == []


def test_article_32x32_figures(cnnlint_json):
    doc, _ = cnnlint_json("--input-shape", "32,32,1", "fixtures/lenet5_keras.py")
    (model,) = doc["models"]
    dense = next(layer for layer in model["layers"] if layer["type"] == "Dense")
    assert dense["params"] == 48120
    assert model["total_params"] == 61706
    assert model["layers"][6]["output_shape"] == [400]


def test_model_selection(cnnlint_json):
    doc, _ = cnnlint_json("--model", "nope", "fixtures/lenet5_keras.py")
    assert doc["models"] == []
    doc, _ = cnnlint_json("--model", "model", "fixtures/lenet5_keras.py")
    assert len(doc["models"]) == 1
