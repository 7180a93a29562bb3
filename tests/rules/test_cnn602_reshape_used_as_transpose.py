"""CNN602: view to the same sizes in another order regroups values instead of moving axes."""

import pytest
import torch
from torch import nn

from .common import check_examples, examples, lines, only_class, run

CODE = "CNN602"
BAD, GOOD = examples(CODE)


def test_view_is_not_a_transpose_at_run_time():
    torch.manual_seed(0)
    bad = only_class(run(BAD), nn.Module)()
    good = only_class(run(GOOD), nn.Module)()
    good.load_state_dict(bad.state_dict())
    x = torch.randn(2, 16, 32)
    assert bad(x).shape == good(x).shape  # same shapes, no error...
    assert not torch.allclose(bad(x), good(x))  # ...different numbers


def test_document_examples():
    check_examples(CODE)


@pytest.mark.parametrize("reshape, fires", [
    ("x.reshape(x.shape[0], 8, 4, 6)", True),
    ("x.view(-1, 6, 8, 4)", True),
    ("x.permute(0, 3, 1, 2)", False),
    ("x.view(x.size(0), 4, 8, 6)", False),  # the same order: nothing moves
    ("x.view(x.size(0), 2, 16, 6)", False),  # a regrouping, not a permutation
])
def test_reshape_variants(reshape, fires):
    source = f"""
        from torch import nn


        class Net(nn.Module):  # cnnlint: input-shape=4,8,6
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(6, 2)

            def forward(self, x):
                x = {reshape}
                return self.fc(x)
    """
    assert lines(source, CODE) == ([11] if fires else [])


_KERAS = """
import keras
from keras import layers

inputs = keras.Input((16, 32))
outputs = {swap}
model = keras.Model(inputs, outputs)
"""


@pytest.mark.parametrize("swap, fires", [
    ("layers.Reshape((32, 16))(inputs)", True),
    ("keras.ops.reshape(inputs, (-1, 32, 16))", True),
    ("layers.Permute((2, 1))(inputs)", False),
    ("keras.ops.transpose(inputs, (0, 2, 1))", False),
    ("layers.Reshape((16, 32))(inputs)", False),
])
def test_keras_variants(swap, fires):
    assert lines(_KERAS.format(swap=swap), CODE) == ([6] if fires else [])


def test_keras_reshape_is_not_a_transpose_at_run_time():
    import keras
    import numpy as np

    x = np.arange(2 * 16 * 32, dtype="float32").reshape(2, 16, 32)
    transposed = np.transpose(x, (0, 2, 1))
    for swap, right in (("layers.Reshape((32, 16))(inputs)", False), ("layers.Permute((2, 1))(inputs)", True)):
        out = run(_KERAS.format(swap=swap))["model"](x)
        assert tuple(out.shape) == (2, 32, 16)  # same shapes, no error...
        assert np.array_equal(keras.ops.convert_to_numpy(out), transposed) is right  # ...but not the same numbers


def test_keras_message_names_the_keras_calls():
    from cnnlint.results import Options
    from cnnlint.runner import lint_source

    source = _KERAS.format(swap="layers.Reshape((32, 16))(inputs)")
    result = lint_source("example.py", source.encode(), Options(enabled=frozenset({CODE}), report_models=False))
    (found,) = result.diagnostics
    assert "keras.layers.Permute((2, 1)) or keras.ops.transpose(x, (0, 2, 1))" in found.message
