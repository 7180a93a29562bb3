"""CNN501: layers in a plain list are invisible to parameters(), hence never trained."""

import textwrap

import pytest
import torch
from torch import nn

from cnnlint.results import Options
from cnnlint.runner import lint_source

from ..test_fixes import fixed, unmarked
from .common import check_examples, examples, lines, only_class, run

CODE = "CNN501"
BAD, GOOD = examples(CODE)


def test_plain_list_layers_are_not_parameters_at_run_time():
    bad = only_class(run(BAD), nn.Module)()
    assert sum(p.numel() for p in bad.parameters()) == 64 * 10 + 10  # the head only
    assert "layers.0.weight" not in bad.state_dict()
    good = only_class(run(GOOD), nn.Module)()
    assert sum(p.numel() for p in good.parameters()) == 4 * (64 * 64 + 64) + 64 * 10 + 10


def test_document_examples():
    check_examples(CODE)


_NET = """
    import torch
    from torch import nn


    class Net(nn.Module):  # cnnlint: input-shape=16
        def __init__(self):
            super().__init__()
            {holder}
            self.out = nn.Linear(16, 2)

        def forward(self, x):
            return self.out(x)
"""


@pytest.mark.parametrize("holder, fires", [
    ("self.heads = {'a': nn.Linear(16, 16), 'b': nn.Linear(16, 16)}", True),
    ("self.pair = (nn.Conv1d(16, 16, 1), nn.BatchNorm1d(16))", True),
    ("self.scales = [nn.Parameter(torch.ones(16)) for _ in range(2)]", True),
    ("self.acts = [nn.ReLU(), nn.Tanh()]", False),  # nothing to train
    ("self.heads = nn.ModuleDict({'a': nn.Linear(16, 16)})", False),
    ("self.scales = nn.ParameterList([nn.Parameter(torch.ones(16))])", False),
])
def test_holder_variants(holder, fires):
    assert lines(_NET.format(holder=holder), CODE) == ([9] if fires else [])


def test_a_list_also_wrapped_in_a_sequential_is_registered():
    source = """
        from torch import nn


        class Net(nn.Module):  # cnnlint: input-shape=16
            def __init__(self):
                super().__init__()
                self.layers = [nn.Linear(16, 16), nn.ReLU()]
                self.body = nn.Sequential(*self.layers)

            def forward(self, x):
                return self.body(x)
    """
    assert lines(source, CODE) == []


def test_the_fixed_example_trains_every_layer_cnnlint_counts():
    after = unmarked(fixed(BAD), CODE)
    assert after == GOOD
    model = only_class(run(after), nn.Module)()
    (report,) = lint_source("example.py", after.encode(), Options(report_models=True)).models
    assert sum(p.numel() for p in model.parameters()) == report.total_params == 4 * (64 * 64 + 64) + 64 * 10 + 10
    assert model(torch.randn(2, 64)).shape == (2, 10)


_DICT = """
    import torch


    class Net(torch.nn.Module):  # cnnlint: input-shape=8
        def __init__(self):
            super().__init__()
            self.heads = {"a": torch.nn.Linear(8, 2), "b": torch.nn.Linear(8, 3)}
            self.fc = torch.nn.Linear(8, 8)

        def forward(self, x):
            x = self.fc(x)
            return self.heads["a"](x), self.heads["b"](x)
"""


def test_a_dict_becomes_a_module_dict_spelled_as_the_file_names_torch_nn():
    after = fixed(textwrap.dedent(_DICT))
    assert 'self.heads = torch.nn.ModuleDict({"a": torch.nn.Linear(8, 2), "b": torch.nn.Linear(8, 3)})' in after
    assert lines(after, CODE) == []
    assert sum(p.numel() for p in only_class(run(after), nn.Module)().parameters()) == 72 + 18 + 27


def test_a_list_built_by_appends_is_not_fixed_and_says_why():
    source = textwrap.dedent("""
        from torch import nn


        class Net(nn.Module):  # cnnlint: input-shape=8
            def __init__(self):
                super().__init__()
                self.layers = []
                self.layers.append(nn.Linear(8, 8))
                self.layers = self.layers + [nn.Linear(8, 8)]

            def forward(self, x):
                for layer in self.layers:
                    x = layer(x)
                return x
    """)
    (diagnostic,) = [d for d in lint_source("example.py", source.encode(), Options()).diagnostics if d.code == CODE]
    assert not diagnostic.fix.available
    assert "is not assigned once" in diagnostic.message


_KERAS_PLAIN = """
import keras
from keras import layers


class Tower(keras.Model):
    def __init__(self):
        super().__init__()
        self.blocks = {holder}

    def call(self, x):
        for block in {loop}:
            x = block(x)
        return x


tower = Tower()
tower.build((None, 32))
"""


@pytest.mark.parametrize("holder, loop", [
    ("[layers.Dense(32) for _ in range(3)]", "self.blocks"),
    ("tuple(layers.Dense(32) for _ in range(3))", "self.blocks"),
    ("{str(i): layers.Dense(32) for i in range(3)}", "self.blocks.values()"),
])
def test_keras_tracks_plain_containers(holder, loop):
    """Not a Keras bug: a Keras layer or model tracks layers kept in lists, tuples and dicts."""
    source = _KERAS_PLAIN.format(holder=holder, loop=loop)
    assert lines(source, CODE) == []
    import numpy as np

    tower = run(source)["tower"]
    tower(np.zeros((1, 32), dtype="float32"))
    assert tower.count_params() == 3 * (32 * 32 + 32) and len(tower.trainable_weights) == 6
