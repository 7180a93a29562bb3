"""A tensor op whose other operand cnnlint cannot follow stops the shapes there, honestly.

pytorchcv's ``isqrtcovresnet`` multiplies by a matrix built through calls cnnlint does not model
(``xn.bmm(i_bar)``): the unknown operand was dropped, ``bmm`` received one tensor, and the whole
file ended in an internal error.  The operand now stops the trace with a CNN900 at the op, and the
parameters, which the op cannot change, stay exact: PyTorch builds and runs each source (with the
unknown helper defined) and counts them.
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from cnnlint.runner import Options, lint_source  # noqa: E402

SOURCE = '''
import torch
from torch import nn
from helpers import make_matrix


class Covariance(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)

    def forward(self, x):
        x = self.conv(x).flatten(2)
        return {call}


model = Covariance()
'''

#: the op, and what the helper returns when PyTorch runs it
SQUARE = "torch.ones(x.shape[0], x.shape[2], x.shape[2])"
ROW = "torch.ones(x.shape[0], 1, x.shape[2])"
CALLS = {"x.bmm(make_matrix(x))": SQUARE, "torch.bmm(x, make_matrix(x))": SQUARE,
         "torch.matmul(x, make_matrix(x))": SQUARE, "x.matmul(make_matrix(x))": SQUARE,
         "torch.add(x, make_matrix(x))": ROW, "x.mul(make_matrix(x))": ROW}


def pytorch_parameters(source: str, helper: str) -> int:
    namespace = {}
    exec(compile(source.replace("from helpers import make_matrix", f"make_matrix = lambda x: {helper}"),
                 "<model>", "exec"), namespace)
    model = namespace["model"]
    model(torch.zeros(2, 3, 8, 8))  # the source runs
    return sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize("call", sorted(CALLS))
def test_an_unknown_operand_stops_the_shapes_not_the_file(call):
    source = SOURCE.format(call=call)
    result = lint_source("model.py", source.encode(), Options(input_shape=(3, 8, 8)))
    assert not [d for d in result.diagnostics if d.code == "CNN000" or d.severity == "error"], result.diagnostics
    (report,) = result.models
    assert report.total_params == pytorch_parameters(source, CALLS[call])
    assert report.output_shape is None
    line = source.splitlines().index(f"        return {call}") + 1
    assert any(d.code == "CNN900" and d.line == line for d in result.diagnostics), result.diagnostics


def test_an_operand_that_is_not_a_tensor_is_not_an_internal_error():
    source = SOURCE.format(call="x.bmm([[1.0]])").replace("from helpers import make_matrix\n", "")
    result = lint_source("model.py", source.encode(), Options(input_shape=(3, 8, 8)))
    assert not [d for d in result.diagnostics if d.code == "CNN000"], result.diagnostics
    assert any(d.code == "CNN900" and "bmm" in d.message for d in result.diagnostics)
