"""CNN103 non-positive-output-size: a window larger than its padded input."""

from ..conftest import KERAS_HEADER, codes, lint_file


def test_kernel_larger_than_input_is_cnn103(tmp_path):
    doc, code = lint_file(tmp_path, "m.py", KERAS_HEADER + "m = keras.Sequential([keras.Input((4, 4, 1)),\n"
                     "    layers.Conv2D(4, 5)])\n")
    assert code == 1
    assert codes(doc) == [("CNN103", 4)]
    assert "(4 − 5)/1 + 1 = 0" in doc["diagnostics"][0]["message"]
