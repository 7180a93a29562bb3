"""The Keras front end: import styles, ways to declare the input, Sequential forms."""

import pytest

from .conftest import lint

BODY = """
model = {seq}([
    {layers}Conv2D(6, 5, input_shape=(28, 28, 1)),
    {layers}MaxPooling2D(pool_size=2, strides=2),
    {layers}Flatten(),
    {layers}Dense(10),
])
"""

IMPORT_STYLES = [
    ("import tensorflow as tf", "tf.keras.Sequential", "tf.keras.layers."),
    ("from tensorflow import keras", "keras.Sequential", "keras.layers."),
    ("from tensorflow import keras\nfrom tensorflow.keras import layers", "keras.models.Sequential", "layers."),
    ("from tensorflow.keras.layers import Conv2D, MaxPooling2D, Flatten, Dense\n"
     "from tensorflow.keras.models import Sequential", "Sequential", ""),
    ("import keras", "keras.Sequential", "keras.layers."),
    ("from keras import layers, models", "models.Sequential", "layers."),
    ("import keras.layers as L\nfrom keras import Sequential", "Sequential", "L."),
]


@pytest.mark.parametrize("imports, seq, layers", IMPORT_STYLES, ids=[s[0].split("\n")[-1] for s in IMPORT_STYLES])
def test_import_styles(imports, seq, layers):
    result = lint(imports + "\n" + BODY.format(seq=seq, layers=layers))
    (model,) = result.models
    assert model.total_params == 156 + 6 * 12 * 12 * 10 + 10
    assert model.output_shape == [10]
    assert [row.type for row in model.layers] == ["Conv2D", "MaxPooling2D", "Flatten", "Dense"]


def test_names_are_resolved_from_imports_never_guessed():
    # a user's own class named Conv2D is not Keras' layer
    source = ("from keras import Sequential\n"
              "class Conv2D:\n    def __init__(self, *a, **k):\n        pass\n"
              "model = Sequential([Conv2D(6, 5)])\n")
    (model,) = lint(source).models
    assert model.total_params is None and not model.complete


@pytest.mark.parametrize("declaration", [
    "model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(6, 5), layers.Flatten()])",
    "model = keras.Sequential([keras.layers.InputLayer(input_shape=(28, 28, 1)), layers.Conv2D(6, 5), layers.Flatten()])",
    "model = keras.Sequential([layers.Conv2D(6, 5, input_shape=(28, 28, 1)), layers.Flatten()])",
    "model = keras.Sequential([layers.Conv2D(6, 5), layers.Flatten()])\nmodel.build((None, 28, 28, 1))",
    "model = keras.Sequential()\nmodel.add(keras.Input((28, 28, 1)))\nmodel.add(layers.Conv2D(6, 5))\n"
    "model.add(layers.Flatten())",
])
def test_input_declarations(declaration):
    (model,) = lint("import keras\nfrom keras import layers\n" + declaration).models
    assert model.input_shape == [28, 28, 1] and model.input_source == "declared"
    assert model.output_shape == [24 * 24 * 6] and model.total_params == 156


def test_command_line_input_overrides_the_declared_one():
    (model,) = lint("import keras\nfrom keras import layers\n"
                    "model = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(6, 5)])",
                    input_shape=(32, 32, 1)).models
    assert model.output_shape == [28, 28, 6] and model.input_source == "command line"


def test_without_input_sizes_stay_symbolic_and_counts_unknown():
    (model,) = lint("import keras\nfrom keras import layers\n"
                    "model = keras.Sequential([layers.Conv2D(6, 5), layers.MaxPooling2D()])").models
    assert model.output_shape == ["(H - 4) // 2", "(W - 4) // 2", 6]
    assert model.total_params is None  # the input channels are unknown: no number is guessed


def test_constants_and_arithmetic():
    source = ("import keras\nfrom keras import layers\nFILTERS = 8\nKERNEL = (3, 3)\nSIZE = 14 * 2\n"
              "model = keras.Sequential([keras.Input((SIZE, SIZE, 1)), layers.Conv2D(FILTERS * 2, KERNEL, "
              "strides=1 + 1, padding='same'), layers.Conv2D(filters=FILTERS, kernel_size=KERNEL[0])])")
    (model,) = lint(source).models
    assert [row.output_shape for row in model.layers] == [[14, 14, 16], [12, 12, 8]]
    assert model.total_params == (9 * 16 + 16) + (9 * 16 * 8 + 8)
