"""CNN302 dense-on-feature-map."""

from ..conftest import lint


def test_dense_per_position_in_a_model_that_pools_later_is_not_a_forgotten_flatten():
    pointwise = ("import keras\nfrom keras import layers\ninputs = keras.Input((8, 8, 16))\n"
                 "x = layers.Dense(16)(layers.Dense(64)(inputs)) + inputs\n")
    pooled = lint(pointwise + "model = keras.Model(inputs, layers.Dense(3)(layers.GlobalAveragePooling2D()(x)))\n")
    assert [d.code for d in pooled.diagnostics] == []
    forgotten = lint(pointwise + "model = keras.Model(inputs, layers.Dense(3)(x))\n")
    assert [d.code for d in forgotten.diagnostics] == ["CNN302"] * 3
