"""Custom Keras layers (``build`` + ``add_weight``) and arithmetic on symbolic tensors, against real Keras.

cnnlint reads each snippet as text; real Keras (torch backend) builds the
same model, and the two must agree on parameters (trainable and not) and
output shape — or, where Keras refuses the model, cnnlint reports CNN101.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")

from cnnlint.runner import Options, lint_source  # noqa: E402

HEADER = "import keras\nfrom keras import layers\n\n"

LAYER_SCALE = """
class LayerScale(layers.Layer):
    def __init__(self, init_values, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, input_shape):
        self.gamma = self.add_weight(shape=(self.projection_dim,),
                                     initializer=keras.initializers.Constant(self.init_values), trainable=True)

    def call(self, x):
        return x * self.gamma
"""

AFFINE = """
class Affine(layers.Layer):
    def build(self, input_shape):
        self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones")
        self.shift = self.add_weight(shape=(1, input_shape[-1]), initializer="zeros", trainable=False)
        super().build(input_shape)

    def call(self, x):
        return x * self.scale + self.shift
"""

POSITION_EMBEDDING = """
from keras import ops


class TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, maxlen, vocab_size, embed_dim):
        super().__init__()
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, x):
        maxlen = ops.shape(x)[-1]
        positions = RANGE
        return self.token_emb(x) + self.pos_emb(positions)
"""

SAMPLING = """
from keras import ops


class Sampling(layers.Layer):
    def call(self, inputs):
        z_mean, z_log_var = inputs
        batch = ops.shape(z_mean)[0]
        dim = ops.shape(z_mean)[1]
        epsilon = RANDOM
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon
"""

CASES = {
    **{f"a_sampling_layer_drawing_{name}": ((12,), SAMPLING.replace("RANDOM", draw) + """
inputs = keras.Input((12,))
h = layers.Dense(8, activation="relu")(inputs)
z = Sampling()([layers.Dense(3)(h), layers.Dense(3)(h)])
model = keras.Model(inputs, layers.Dense(5)(z))
""") for name, draw in (("normal_noise", "keras.random.normal(shape=(batch, dim))"),
                        ("uniform_noise", "keras.random.uniform((batch, dim), minval=-1.0)"),
                        ("truncated_noise_of_a_fixed_size", "keras.random.truncated_normal((1, 3), seed=2)"))},
    **{f"position_embedding_of_{name}": ((12,), POSITION_EMBEDDING.replace("RANGE", positions) + """
inputs = keras.Input((12,))
x = TokenAndPositionEmbedding(20, 100, 8)(inputs)
model = keras.Model(inputs, layers.Dense(3)(layers.GlobalAveragePooling1D()(x)))
""") for name, positions in (("a_range", "ops.arange(start=0, stop=maxlen, step=1)"),
                             ("a_range_of_the_length", "ops.arange(maxlen)"),
                             ("a_range_with_an_offset", "ops.arange(2, maxlen + 2) - 2"))},
    "layer_scale_functional": ((8, 8, 16), LAYER_SCALE + """
inputs = keras.Input((8, 8, 16))
x = layers.Conv2D(16, 3, padding="same")(inputs)
model = keras.Model(inputs, LayerScale(1e-6, 16)(x))
"""),
    "weights_sized_by_the_input_and_not_trainable": ((5, 12), AFFINE + """
inputs = keras.Input((5, 12))
model = keras.Model(inputs, layers.Dense(3)(Affine()(inputs)))
"""),
    "custom_layers_in_a_sequential": ((10,), AFFINE + LAYER_SCALE + """
model = keras.Sequential([keras.Input((10,)), layers.Dense(6), Affine(), LayerScale(0.1, 6), layers.Dense(2)])
"""),
    "custom_layer_in_a_subclassed_model": ((7,), AFFINE + """
class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(4)
        self.affine = Affine()

    def call(self, x):
        return self.affine(self.dense(x))

model = Net()
model.build((None, 7))
"""),
    "broadcasting_arithmetic_between_tensors": ((8, 8, 16), """
inputs = keras.Input((8, 8, 16))
gate = layers.Reshape((1, 1, 16))(layers.Dense(16)(layers.GlobalAveragePooling2D()(inputs)))
x = inputs * gate + inputs / 2 - 1
model = keras.Model(inputs, layers.Conv2D(4, 1)(x))
"""),
}


def keras_model(source: str):
    namespace: dict = {}
    exec(compile(source, "model.py", "exec"), namespace)  # the oracle: real Keras builds the snippet
    return namespace["model"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_custom_layers_and_tensor_arithmetic_agree_with_keras(name):
    import numpy as np

    input_shape, body = CASES[name]
    source = HEADER + body
    model = keras_model(source)
    output = model(np.zeros((1,) + input_shape, "float32"))  # Keras 3 builds a subclassed model's layers here
    result = lint_source("model.py", source.encode(), Options(input_shape=input_shape))
    (report,) = result.models
    assert not result.diagnostics, result.diagnostics
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    assert (report.total_params, report.trainable_params) == (model.count_params(), trainable)
    assert report.output_shape == list(output.shape[1:])


def test_tensors_that_do_not_broadcast_are_an_error_keras_also_raises():
    source = HEADER + "a = keras.Input((8, 16))\nb = keras.Input((8, 15))\nmodel = keras.Model([a, b], a + b)\n"
    with pytest.raises(Exception):
        keras_model(source)
    result = lint_source("model.py", source.encode(), Options())
    assert [d.code for d in result.diagnostics] == ["CNN101"]
