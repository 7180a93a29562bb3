"""CNN505: a layer built in forward has new random weights on every call."""

import pytest
import torch
from torch import nn

from .common import check_examples, examples, lines, marked, only_class, run

CODE = "CNN505"
BAD, GOOD = examples(CODE)


def test_layer_built_in_forward_is_random_and_untrained_at_run_time():
    model = only_class(run(BAD), nn.Module)().eval()
    x = torch.randn(2, 1, 28, 28)
    assert not torch.equal(model(x), model(x))
    assert sum(p.numel() for p in model.parameters()) == 16 * 1 * 5 * 5 + 16  # the conv only
    good = only_class(run(GOOD), nn.Module)().eval()
    assert torch.equal(good(x), good(x))


def test_document_examples():
    check_examples(CODE)


@pytest.mark.parametrize("body, fires", [
    ("return nn.BatchNorm1d(16)(x)", True),
    ("return Head()(x)", True),  # a module of the file, built in forward: its Linear too
    ("return nn.ReLU()(x)", False),  # no weights
    ("return self.head(x)", False),
])
def test_forward_variants(body, fires):
    source = f"""
        from torch import nn


        class Head(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(16, 4)

            def forward(self, x):
                return self.fc(x)


        class Net(nn.Module):  # cnnlint: input-shape=16
            def __init__(self):
                super().__init__()
                self.head = Head()

            def forward(self, x):
                {body}
    """
    found = lines(source, CODE)
    assert bool(found) is fires


KERAS_MODEL = """
    import keras
    from keras import layers


    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.flatten = layers.Flatten()
            {init}

        def call(self, x):
            x = self.flatten(x)
            return {body}


    model = Net()
    model.build((None, 28, 28))
"""

KERAS_LAYER = """
    import keras
    from keras import layers


    class Block(layers.Layer):
        {init}

        def call(self, x):
            return {body}


    model = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), Block()])
"""

BUILD_IN_BUILD = """def build(self, input_shape):
            self.dense = layers.Dense(10)
            self.dense.build(input_shape)"""


@pytest.mark.parametrize("source, init, body, fires", [
    (KERAS_MODEL, "", "layers.Dense(10)(x)  # <- CNN505", True),
    (KERAS_MODEL, "", "layers.Dense(10)(layers.Dropout(0.5)(layers.Activation('relu')(x)))  # <- CNN505", True),
    (KERAS_MODEL, "self.dense = layers.Dense(10)", "self.dense(x)", False),
    (KERAS_MODEL, "", "layers.Activation('softmax')(layers.Dropout(0.5)(x))", False),  # no weights
    (KERAS_LAYER, "", "layers.Dense(4)(x)  # <- CNN505", True),
    (KERAS_LAYER, BUILD_IN_BUILD, "self.dense(x)", False),
])
def test_keras_layer_built_in_call(source, init, body, fires):
    text = source.format(init=init, body=body)
    assert lines(text, CODE) == marked(text, CODE)
    assert bool(marked(text, CODE)) is fires


def test_keras_layer_built_in_call_is_random_and_untracked_at_run_time():
    import keras
    import numpy as np

    bad = run(KERAS_MODEL.format(init="", body="layers.Dense(10)(x)"))["model"]
    x = np.random.default_rng(0).random((2, 28, 28), dtype="float32")
    assert not np.array_equal(keras.ops.convert_to_numpy(bad(x)), keras.ops.convert_to_numpy(bad(x)))
    assert bad.trainable_weights == []
    good = run(KERAS_MODEL.format(init="self.dense = layers.Dense(10)", body="self.dense(x)"))["model"]
    assert np.array_equal(keras.ops.convert_to_numpy(good(x)), keras.ops.convert_to_numpy(good(x)))
    assert sum(int(np.prod(w.shape)) for w in good.trainable_weights) == 28 * 28 * 10 + 10
