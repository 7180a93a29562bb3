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
