"""CNN503: a submodule forward never runs gets no gradient."""

import pytest
import torch
from torch import nn

from .common import check_examples, examples, lines, only_class, run

CODE = "CNN503"
BAD, GOOD = examples(CODE)


def test_unused_layer_gets_no_gradient_at_run_time():
    model = only_class(run(BAD), nn.Module)()
    model(torch.randn(4, 512)).sum().backward()
    assert model.fc3.weight.grad is None and model.fc2.weight.grad is not None


def test_document_examples():
    check_examples(CODE)


_NET = """
    import torch
    from torch import nn


    class Net(nn.Module):  # cnnlint: input-shape=16
        def __init__(self):
            super().__init__()
            self.body = nn.Linear(16, 16)
            self.spare = {spare}

        def forward(self, x):
            {forward}

        {other}
"""


@pytest.mark.parametrize("spare, forward, other, fires", [
    ("nn.Sequential(nn.Linear(16, 16), nn.ReLU())", "return self.body(x)", "", True),
    ("nn.ReLU()", "return self.body(x)", "", False),  # no parameters
    ("nn.Linear(16, 16)", "return self.spare(self.body(x))", "", False),
    ("nn.Linear(16, 16)", "return self.body(x)", "def predict(self, x):\n            return self.spare(x)", False),
    ("nn.Linear(16, 16)", "return getattr(self, 'spare')(self.body(x))", "", False),
    ("nn.Linear(16, 16)", "return self.body(x) if x.mean() > 0 else self.spare(x)", "", False),
])
def test_module_variants(spare, forward, other, fires):
    assert lines(_NET.format(spare=spare, forward=forward, other=other), CODE) == ([10] if fires else [])


def test_nested_module_attribute():
    source = """
        from torch import nn


        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(8, 8, 3, padding=1)
                self.shortcut = nn.Conv2d(8, 8, 1)

            def forward(self, x):
                return self.conv(x) + x


        class Net(nn.Module):  # cnnlint: input-shape=8,16,16
            def __init__(self):
                super().__init__()
                self.blocks = nn.Sequential(Block(), Block())

            def forward(self, x):
                return self.blocks(x)
    """
    assert lines(source, CODE) == [9]


def test_keras_unused_layer_has_no_weights():
    """Not reported for Keras: a layer is built on its first call, so one call() never uses has no weights
    to count, save or leave untrained."""
    source = """
        import keras
        from keras import layers


        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.fc1 = layers.Dense(64)
                self.fc2 = layers.Dense(10)
                self.spare = layers.Dense(128)

            def call(self, x):
                return self.fc2(self.fc1(x))


        net = Net()
        net.build((None, 32))
    """
    assert lines(source, CODE) == []
    import numpy as np

    net = run(source)["net"]
    net(np.zeros((1, 32), dtype="float32"))
    assert not net.spare.built and net.spare.weights == []
    assert net.count_params() == (32 * 64 + 64) + (64 * 10 + 10)
