"""CNN603: view after transpose/permute/expand raises in PyTorch, exactly when computeStride says so."""

import textwrap

import pytest
import torch
from torch import nn

from ..test_fixes import fixed, unmarked
from .common import check_examples, examples, lines, only_class, run

CODE = "CNN603"
BAD, GOOD = examples(CODE)


def test_view_raises_at_run_time():
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        only_class(run(BAD), nn.Module)()(torch.randn(2, 64, 50))
    assert only_class(run(GOOD), nn.Module)()(torch.randn(2, 64, 50)).shape == (2, 10)


def test_document_examples():
    check_examples(CODE)


_VARIANTS = [
    "x.transpose(1, 2).view(x.size(0), -1)",
    "x.permute(0, 2, 3, 1).view(x.size(0), -1, 3)",
    "x.transpose(1, 2).view(x.size(0), 5, 3, 2, 2)",  # splits an axis: the strides allow it
    "x.transpose(1, 2).contiguous().view(x.size(0), -1)",
    "x.transpose(1, 2).reshape(x.size(0), -1)",
    "x.permute(0, 2, 3, 1).view(x.size(0), 5, 4, 3)",  # the same shape: nothing merged
    "x.mean(1, keepdim=True).expand(x.size(0), 3, 5, 4).view(x.size(0), -1)",
    "x.transpose(2, 3).view(x.size(0), 3, 4, 5)",
    "x.transpose(2, 3).view(x.size(0), 3, 20)",
]


def _source(expression: str) -> str:
    return f"""
        import torch
        from torch import nn


        class Net(nn.Module):  # cnnlint: input-shape=3,5,4
            def forward(self, x):
                return {expression}
    """


def _raises(source: str) -> bool:
    try:
        only_class(run(source), nn.Module)()(torch.randn(2, 3, 5, 4))
    except RuntimeError as exc:
        assert "view size is not compatible" in str(exc)
        return True
    return False


@pytest.mark.parametrize("expression", _VARIANTS)
def test_agrees_with_pytorch(expression):
    """Reported exactly when PyTorch raises, for the same code."""
    source = _source(expression)
    assert lines(source, CODE) == ([8] if _raises(source) else [])


def test_layouts_not_followed_give_no_finding():
    """A slice's layout is not followed: PyTorch raises here, cnnlint says nothing rather than guess."""
    source = _source("x[:, :1].expand(x.size(0), 3, 5, 4).view(x.size(0), -1)")
    assert _raises(source) and lines(source, CODE) == []


def test_the_fixed_example_runs_with_the_shapes_reported():
    after = unmarked(fixed(BAD, unsafe=False), CODE)
    assert after == GOOD
    assert only_class(run(after), nn.Module)()(torch.randn(2, 64, 50)).shape == (2, 10)


@pytest.mark.parametrize("expression", [v for v in _VARIANTS if ".view(" in v and ".contiguous()" not in v])
def test_the_fix_gives_what_contiguous_view_gives(expression):
    """Where the fix applies, reshape's values are those of .contiguous().view(): same order, same shape."""
    source = textwrap.dedent(_source(expression))
    after = fixed(source, unsafe=False)
    if not lines(source, CODE):
        assert after == source
        return
    assert ".view(" not in after
    x = torch.randn(2, 3, 5, 4)
    expected = only_class(run(source.replace(".view(", ".contiguous().view(")), nn.Module)()(x)
    assert torch.equal(only_class(run(after), nn.Module)()(x), expected)
    assert lines(after, CODE) == []
