"""CNN502: [block] * n places one module n times: one set of weights."""

import pytest
import torch
from torch import nn

from .common import check_examples, examples, lines, only_class, run

CODE = "CNN502"
BAD, GOOD = examples(CODE)


def test_repeated_block_shares_its_weights_at_run_time():
    bad = only_class(run(BAD), nn.Module)()
    assert sum(p.numel() for p in bad.parameters()) == (32 * 32 + 32) + (32 * 2 + 2)
    with torch.no_grad():
        bad.blocks[0].weight.fill_(0.5)
    assert torch.equal(bad.blocks[3].weight, bad.blocks[0].weight)
    good = only_class(run(GOOD), nn.Module)()
    assert sum(p.numel() for p in good.parameters()) == 4 * (32 * 32 + 32) + (32 * 2 + 2)


def test_document_examples():
    check_examples(CODE)


@pytest.mark.parametrize("blocks, fires", [
    ("nn.ModuleList([nn.Linear(8, 8)] * 3)", True),
    ("nn.Sequential(*(3 * [nn.Linear(8, 8)]))", True),
    ("nn.ModuleList([nn.Linear(8, 8) for _ in range(3)])", False),
    ("nn.ModuleList([copy.deepcopy(nn.Linear(8, 8)) for _ in range(3)])", False),
    ("nn.Sequential(*([nn.ReLU()] * 3))", False),  # no weights to share
])
def test_container_variants(blocks, fires):
    source = f"""
        import copy
        from torch import nn


        class Net(nn.Module):  # cnnlint: input-shape=8
            def __init__(self):
                super().__init__()
                self.blocks = {blocks}

            def forward(self, x):
                for block in self.blocks:
                    x = block(x)
                return x
    """
    assert lines(source, CODE) == ([9] if fires else [])


def test_sequential_built_at_module_level():
    source = """
        from torch import nn

        block = nn.Linear(8, 8)
        model = nn.Sequential(*([block] * 5))  # cnnlint: input-shape=8
    """
    assert lines(source, CODE) == [5]


_KERAS_SEQUENTIAL = """
import keras
from keras import layers

block = layers.Dense(64, activation="relu")
model = keras.Sequential([keras.Input((64,)), {blocks}, layers.Dense(10)])
"""


@pytest.mark.parametrize("blocks, fires", [
    ("*[block] * 3", True),
    ("*[layers.Dense(64, activation='relu') for _ in range(3)]", False),
    ("*[layers.ReLU()] * 3", False),  # no weights to share
])
def test_keras_sequential_variants(blocks, fires):
    assert lines(_KERAS_SEQUENTIAL.format(blocks=blocks), CODE) == ([6] if fires else [])


def test_keras_shares_the_weights_at_run_time():
    """Keras accepts one layer placed three times: one kernel, counted once."""
    bad = run(_KERAS_SEQUENTIAL.format(blocks="*[block] * 3"))["model"]
    good = run(_KERAS_SEQUENTIAL.format(blocks="*[layers.Dense(64, activation='relu') for _ in range(3)]"))["model"]
    assert bad.count_params() == (64 * 64 + 64) + (64 * 10 + 10)
    assert good.count_params() == 3 * (64 * 64 + 64) + (64 * 10 + 10)


@pytest.mark.parametrize("blocks, fires", [
    ("[dense] * 4", True),
    ("(dense, dense)", True),
    ("{'a': dense, 'b': dense}", True),
    ("[layers.Dense(32) for _ in range(4)]", False),
])
def test_keras_subclassed_model_variants(blocks, fires):
    source = f"""
        import keras
        from keras import layers


        class Tower(keras.Model):
            def __init__(self):
                super().__init__()
                dense = layers.Dense(32)
                self.blocks = {blocks}

            def call(self, x):
                for block in {"self.blocks.values()" if blocks.startswith("{") else "self.blocks"}:
                    x = block(x)
                return x


        tower = Tower()
        tower.build((None, 32))
    """
    assert bool(lines(source, CODE)) is fires


def test_keras_functional_shared_layer_is_not_reported():
    """Applying one layer to two inputs (a siamese network) is how Keras shares weights on purpose."""
    source = """
        import keras
        from keras import layers

        encoder = layers.Dense(16)
        left, right = keras.Input((8,)), keras.Input((8,))
        model = keras.Model([left, right], layers.Concatenate()([encoder(left), encoder(right)]))
    """
    assert lines(source, CODE) == []


def test_keras_sequential_holding_something_unknown():
    source = """
        import keras
        import mystery
        from keras import layers

        block = layers.Dense(8)
        model = keras.Sequential([keras.Input((8,)), block, block, mystery.Block()])
    """
    assert lines(source, CODE) == [7]  # lines() also asserts no internal error
