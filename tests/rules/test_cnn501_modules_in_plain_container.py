"""CNN501: layers in a plain list are invisible to parameters(), hence never trained."""

import pytest
from torch import nn

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
