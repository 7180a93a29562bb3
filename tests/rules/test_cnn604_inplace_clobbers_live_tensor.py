"""CNN604: an in-place op on a tensor read again later changes what the later read sees."""

import pytest
import torch
from torch import nn

from .common import check_examples, examples, lines, only_class, run

CODE = "CNN604"
BAD, GOOD = examples(CODE)


def test_shortcut_is_rectified_at_run_time():
    x = torch.randn(2, 64, 8, 8)
    only_class(run(BAD), nn.Module)()(x)
    assert x.min() >= 0  # the caller's tensor, and the shortcut, lost every negative value
    x = torch.randn(2, 64, 8, 8)
    only_class(run(GOOD), nn.Module)()(x)
    assert x.min() < 0


def test_document_examples():
    check_examples(CODE)


@pytest.mark.parametrize("body, fires", [
    ("identity = x\n                x += self.conv(x)\n                return x * identity", True),
    ("out = x.relu_()\n                return out + x", True),
    ("out = F.relu(x, inplace=True)\n                return self.conv(out) + x", True),
    ("out = self.relu(x.clone())\n                return self.conv(out) + x", False),
    ("out = self.relu(self.conv(x))\n                return out + x", False),  # the conv's output, read once
    ("x.relu_()\n                return self.conv(x)", False),  # the change is wanted: the result is not used
    ("out = self.conv(x)\n                out += x\n                return self.relu(out)", False),
])
def test_forward_variants(body, fires):
    source = f"""
        import torch.nn.functional as F
        from torch import nn


        class Block(nn.Module):  # cnnlint: input-shape=8,4,4
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(8, 8, 3, padding=1)
                self.relu = nn.ReLU(inplace=True)

            def forward(self, x):
                {body}
    """
    assert bool(lines(source, CODE)) is fires
