"""CNN102 non-integer-output-size: a window that floors away input rows, and the cases that do so by design."""

import pytest

from ..conftest import KERAS_HEADER, codes, lint_file


def test_flooring_is_cnn102_with_the_arithmetic(tmp_path):
    doc, code = lint_file(tmp_path, "m.py", KERAS_HEADER + "m = keras.Sequential([keras.Input((28, 28, 1)),\n"
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
    doc, _ = lint_file(tmp_path, "m.py", KERAS_HEADER + f"m = keras.Sequential([keras.Input((224, 224, 3)), {layer}])\n")
    assert codes(doc) == []
