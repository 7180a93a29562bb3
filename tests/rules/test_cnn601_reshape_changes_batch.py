"""CNN601: view(-1, K) that cuts samples into rows changes the batch size, silently."""

import pytest
import torch
from torch import nn

from .common import check_examples, examples, lines, only_class, run

CODE = "CNN601"
BAD, GOOD = examples(CODE)


def test_batch_doubles_at_run_time():
    model = only_class(run(BAD), nn.Module)()
    assert model(torch.randn(4, 1, 28, 28)).shape == (8, 10)  # 4 images in, 8 "samples" out, no error
    fixed = only_class(run(GOOD), nn.Module)()
    assert fixed(torch.randn(4, 1, 28, 28)).shape == (4, 10)


def test_document_examples():
    check_examples(CODE)


@pytest.mark.parametrize("reshape, features, fires", [
    ("x.reshape(-1, 32)", 32, True),  # samples of 8·4·4 = 128 -> 4 rows each
    ("torch.flatten(x)", 8 * 4 * 4, True),  # start_dim=0: the batch is flattened too
    ("x.view(-1)", 8 * 4 * 4, True),
    ("x.view(x.size(0), -1)", 8 * 4 * 4, False),
    ("torch.flatten(x, 1)", 8 * 4 * 4, False),
    ("x.view(-1, 8 * 4 * 4)", 8 * 4 * 4, False),
    ("x.view(-1, 4 * 4)", 16, False),  # whole trailing axes: one row per channel, on purpose
])
def test_reshape_variants(reshape, features, fires):
    source = f"""
        import torch
        from torch import nn


        class Net(nn.Module):  # cnnlint: input-shape=8,4,4
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear({features}, 2)

            def forward(self, x):
                x = {reshape}
                return self.fc(x)
    """
    assert lines(source, CODE) == ([12] if fires else [])


_KERAS = """
import keras
from keras import layers

inputs = keras.Input((16, 32))
x = {reshape}
outputs = layers.Dense(3)(x)
model = keras.Model(inputs, outputs)
"""


@pytest.mark.parametrize("reshape, fires", [
    ("keras.ops.reshape(inputs, (-1, 128))", True),  # samples of 512 values -> 4 rows each
    ("keras.ops.reshape(inputs, (-1, 512))", False),
    ("layers.Reshape((-1, 128))(inputs)", False),  # Keras' Reshape leaves the batch out
    ("layers.Flatten()(inputs)", False),
])
def test_keras_variants(reshape, fires):
    assert lines(_KERAS.format(reshape=reshape), CODE) == ([6] if fires else [])


def test_keras_reshape_op_changes_the_batch_at_run_time():
    import numpy as np

    images = np.zeros((4, 16, 32), dtype="float32")
    assert tuple(run(_KERAS.format(reshape="keras.ops.reshape(inputs, (-1, 128))"))["model"](images).shape) == (16, 3)
    assert tuple(run(_KERAS.format(reshape="layers.Reshape((-1, 128))(inputs)"))["model"](images).shape) == (4, 4, 3)


def test_keras_subclassed_call():
    source = """
        import keras
        from keras import layers


        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.fc = layers.Dense(3)

            def call(self, x):
                x = keras.ops.reshape(x, (-1, 64))
                return self.fc(x)


        net = Net()
        net.build((None, 256))
    """
    assert lines(source, CODE) == [12]
