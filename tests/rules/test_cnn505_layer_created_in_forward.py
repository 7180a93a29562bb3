"""CNN505: a layer built in forward has new random weights on every call."""

import pytest
import torch
from torch import nn

from .common import check_examples, examples, lines, only_class, run

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
