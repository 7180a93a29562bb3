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
