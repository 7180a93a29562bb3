"""CNN104 invalid-layer-argument: arguments the framework refuses when it builds the layer."""

import pytest

from ..conftest import KERAS_HEADER, lint_file


@pytest.mark.parametrize("layer, needle", [
    ("layers.Conv2D(4, 3, strides=0)", "strides"),
    ("layers.Conv2D(4, -3)", "kernel_size"),
    ("layers.Conv2D(0, 3)", "filters"),
    ("layers.MaxPooling2D(pool_size=2, padding='full')", "padding"),
])
def test_invalid_layer_arguments(tmp_path, layer, needle):
    doc, code = lint_file(tmp_path, "m.py", KERAS_HEADER + f"m = keras.Sequential([keras.Input((8, 8, 1)),\n    {layer},\n    layers.Flatten()])\n")
    assert code == 1
    (diag,) = [d for d in doc["diagnostics"] if d["code"] == "CNN104"]
    assert diag["line"] == 4 and needle in diag["message"]
    # what follows an invalid layer is unknown, not guessed
    assert doc["models"][0]["total_params"] is None
    assert doc["models"][0]["layers"][-1]["output_shape"] is None
