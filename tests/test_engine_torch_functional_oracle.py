"""Differential tests: every torch function and tensor method cnnlint models, against real PyTorch.

The sibling of ``test_engine_torch_oracle.py`` for the front end's ``FUNCTIONAL`` table (``F.*``,
``torch.*`` and tensor methods) and its other tensor functions (splits, creation, shape-keeping).  Each case is an expression over the tensors ``x`` (and ``y``) written
as source text: cnnlint reads ``def op(x, y): return <expression>`` through the interpreter and the
PyTorch front end, exactly as it reads a model's ``forward``; PyTorch runs the same text.  Output
shapes and whether the call is an error must agree.  A name in the table without a case here fails
``test_every_torch_function_in_the_table_has_a_case``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

import pytest

torch = pytest.importorskip("torch")

from cnnlint import dims  # noqa: E402
from cnnlint.evaluator.interpreter import Interpreter  # noqa: E402
from cnnlint.evaluator.values import Unknown  # noqa: E402
from cnnlint.frontends.torch import TorchFrontEnd  # noqa: E402
from cnnlint.frontends.torch.frontend import CREATION, EXTREMES, LIKE, NEW, PASSTHROUGH, RANGES, SPLITS  # noqa: E402
from cnnlint.frontends.torch.layers import FUNCTIONAL  # noqa: E402
from cnnlint.graph import Problem, Tensor, Window  # noqa: E402
from cnnlint.parsing import parse  # noqa: E402

ERROR = "error"
HEADER = "import torch\nimport torch.nn.functional as F\n\n"


@dataclass(frozen=True)
class Case:
    """``text``, an expression over ``x`` (and ``y``), on float tensors of ``shapes``."""

    text: str
    shapes: tuple
    header: ClassVar[str] = HEADER

    def __repr__(self):
        return f"{self.text} on {self.shapes}"

    def source(self) -> str:
        params = ", ".join("xy"[:len(self.shapes)])
        return f"{self.header}def op({params}):\n    return {self.text}\n"


def case(text, *shapes):
    return Case(text, shapes or ((2, 4, 6),))


IMAGE = (2, 3, 8, 8)
CASES = [
    # shape-keeping functions, in the spellings models use
    *(case(f"F.{name}(x)") for name in (
        "relu", "relu_", "relu6", "elu", "selu", "celu", "gelu", "silu", "mish", "sigmoid", "tanh", "leaky_relu",
        "hardtanh", "hardswish", "hardsigmoid", "softplus", "softsign", "logsigmoid", "rrelu", "normalize")),
    *(case(f"F.{name}(x, dim=1)") for name in ("softmax", "log_softmax", "softmin")),
    *(case(f"F.{name}(x, 0.2, training=True)") for name in ("dropout", "dropout1d", "alpha_dropout",
                                                           "feature_alpha_dropout")),
    case("F.dropout2d(x, 0.2)", IMAGE), case("F.dropout3d(x, 0.2)", (2, 3, 4, 4, 4)),
    *(case(f"torch.{name}(x)") for name in (
        "exp", "log", "abs", "sqrt", "neg", "square", "sin", "cos", "rsqrt", "sign", "round", "floor", "ceil",
        "erf", "relu", "sigmoid", "tanh", "log2", "log10", "log1p", "expm1", "reciprocal", "trunc", "tan", "atan")),
    *(case(f"x.{name}()") for name in ("exp", "abs", "sqrt", "neg", "sigmoid", "tanh", "relu", "relu_", "floor")),
    case("torch.clamp(x, 0, 1)"), case("x.clamp(min=0)"), case("torch.clip(x, -1, 1)"), case("x.clip(max=2)"),
    case("torch.roll(x, shifts=(1, -1), dims=(1, 2))"), case("x.flip(1)"), case("torch.tril(x)"), case("x.triu(1)"),
    case("x.cumsum(-1)"), case("x.masked_fill(y > 0, 0.0)", (2, 4, 6), (4, 6)),
    case("x.new_zeros((3, 5))"), case("x.new_ones(2, 3)"), case("x.new_empty((4,))"), case("x.new_full((2, 2), 1.5)"),
    case("F.linear(x, torch.ones(5, 6))"), case("F.linear(x, torch.ones(5, 6), torch.ones(5))"),
    case("F.linear(x, torch.ones(5, 4))"), case("torch.repeat_interleave(x, 3, dim=1)"),
    case("x.repeat_interleave(2)"), case("x.repeat(2, 1, 3)"), case("x.repeat(2, 2, 1, 1)"), case("x.repeat((1, 2))"),
    case("x.repeat(2)"), case("torch.tile(x, (2,))"), case("x.tile(2, 1, 1, 1)"), case("torch.repeat_interleave(x, 2, -1)"),
    case("torch.einsum('bij,bjk->bik', x, y)", (2, 4, 6), (2, 6, 3)), case("torch.einsum('ij,jk', x, y)", (4, 6), (6, 3)),
    case("torch.einsum('...ij,...jk', x, y)", (2, 4, 6), (6, 3)), case("torch.einsum('bij,bjk->bik', [x, y])", (1, 4, 6), (2, 6, 3)),
    case("torch.einsum('Ba,ab', x, y)", (4, 6), (6, 3)), case("torch.einsum('ii->i', x)", (4, 4)),
    case("torch.einsum('bij,bjk->bik', x, y)", (2, 4, 6), (2, 5, 3)), case("torch.einsum('ij->jk', x)", (4, 6)),
    case("torch.tensor_split(x, 3, dim=2)"), case("x.tensor_split((1, 4), 2)"), case("torch.tensor_split(x, indices=(1,), dim=1)"),
    case("torch.arange(5)"), case("torch.arange(2, 9, 3)"), case("torch.arange(0.5, 3.0, 0.5)"), case("torch.arange(-3, 4)"),
    case("torch.linspace(0, 1, 7)"), case("torch.logspace(0, 2, steps=4)"),
    case("torch.meshgrid(torch.arange(3), torch.arange(4), indexing='ij')"),
    case("torch.meshgrid([torch.arange(3), torch.arange(4)], indexing='xy')"),
    case("torch.tensor([[1, 2, 3], [4, 5, 6]])"), case("torch.tensor(0.5)"),
    case("x[torch.arange(2)]"), case("x[torch.ones(3, 5).long()]"), case("x[:, torch.tensor([0, 2, 3])]"), case("x[:, torch.arange(2), torch.arange(2)]"),
    case("x[torch.arange(2), :, torch.arange(2)]"), case("x[[0, 1, 1]]"), case("x[..., torch.zeros(2, 3).long()]"),
    case("F.prelu(x, torch.ones(1))"), case("F.threshold(x, 0.1, 0.0)"),
    case("F.local_response_norm(x, 2)", IMAGE), case("x.softmax(-1)"), case("x.log_softmax(dim=2)"),
    # element-wise on two tensors, broadcasting
    *(case(f"torch.{name}(x, y)", (2, 4, 6), (4, 1)) for name in (
        "add", "sub", "subtract", "mul", "multiply", "div", "divide", "pow", "maximum", "minimum", "true_divide",
        "floor_divide", "remainder", "atan2")),
    case("x.add(y)", (2, 4, 6), (6,)), case("x.mul(y)", (2, 1, 6), (3, 1)), case("x.sub(2.0)"),
    case("torch.add(x, y)", (2, 4, 6), (5,)), case("x.div(y)", (2, 4, 6), (3, 6)),
    # convolutions with a weight tensor (a convolution's own forward passes its weight)
    case("F.conv2d(x, y, stride=2, padding=1)", IMAGE, (8, 3, 3, 3)), case("F.conv1d(x, y)", (2, 4, 6), (5, 4, 3)),
    case("F.conv3d(x, y, None, 1, 0, 1, 3)", (2, 3, 4, 4, 4), (6, 1, 2, 2, 2)),
    case("F.conv2d(x, y)", IMAGE, (8, 4, 3, 3)), case("F.conv2d(x, y, dilation=2)", IMAGE, (2, 3, 5, 5)),
    case("x.max()"), case("x.max(1)[0]"), case("torch.max(x, dim=-1, keepdim=True)"), case("x.min(dim=0)[1]"),
    case("torch.min(x, y)", (2, 4, 6), (4, 1)), case("torch.max(x, 3)"),
    case("x.unsqueeze(2).expand_as(y)", (2, 4), (2, 4, 3)), case("x.expand_as(y)", (2, 4, 6), (2, 3, 6)),
    case("torch.index_select(x, 1, y.long())", (2, 4, 6), (3,)), case("x.index_select(-1, y.long())", (2, 4, 6), ()),
    case("torch.index_select(x, 2, torch.autograd.Variable(y.long()))", (2, 4, 6), (5,)),
    case("torch.index_select(x, 1, y.long())", (2, 4, 6), (2, 2)),
    case("torch.addcmul(y, y, x)", (2, 4, 6), (4, 1)), case("torch.addcmul(x, y, y, value=0.5)", (2, 4, 6), (6,)),
    case("torch.addcdiv(y, x, x)", (2, 4, 6), (3, 1)), case("x.addcmul(y, y)", (2, 1, 6), (3, 1)),
    # normalization, products
    case("F.layer_norm(x, (6,))"), case("F.layer_norm(x, [4, 6])"), case("F.layer_norm(x, (4,))"),
    case("F.batch_norm(x, torch.zeros(4), torch.ones(4))"), case("F.group_norm(x, 2)", IMAGE),
    case("F.instance_norm(x)", IMAGE),
    case("torch.matmul(x, y)", (2, 4, 6), (6, 3)), case("x @ y", (2, 4, 6), (2, 6, 5)),
    case("torch.matmul(x, y)", (2, 4, 6), (6,)), case("torch.matmul(x, y)", (2, 4, 6), (5, 3)),
    case("torch.mm(x, y)", (4, 6), (6, 3)), case("x.mm(y)", (4, 6), (5, 3)),
    case("F.scaled_dot_product_attention(x, y, y)", (2, 4, 5, 6), (1, 4, 7, 6)),
    case("F.scaled_dot_product_attention(x, y, y)", (5, 6), (7, 6)),
    case("F.scaled_dot_product_attention(x, y, y)", (2, 5, 6), (3, 7, 6)),
    case("F.scaled_dot_product_attention(x, y, y)", (2, 5, 6), (2, 7, 4)),
    case("F.scaled_dot_product_attention(x, y, y, enable_gqa=True)", (2, 8, 5, 6), (2, 2, 7, 6)),
    case("F.scaled_dot_product_attention(x, y, y)", (6,), (6,)),
    case("torch.bmm(x, y)", (2, 4, 6), (2, 6, 3)), case("x.bmm(y)", (2, 4, 6), (3, 6, 3)),
    # windows
    case("F.max_pool1d(x, 2)"), case("F.max_pool2d(x, 3, stride=2, padding=1)", IMAGE),
    case("F.max_pool2d(x, 2, ceil_mode=True)", (2, 3, 7, 7)), case("F.max_pool3d(x, 2)", (2, 3, 4, 4, 4)),
    case("F.max_pool2d(x, 2, return_indices=True)", IMAGE), case("F.max_pool2d(x, 9)", IMAGE),
    case("F.max_unpool2d(*F.max_pool2d(x, 2, return_indices=True), 2)", (2, 3, 8, 10)),
    case("torch.topk(x, 2)"), case("x.topk(3, dim=1)"), case("torch.topk(x, 3, 1, largest=False)[1]"),
    case("x.topk(7)"), case("torch.topk(x, x.size(1) // 2, dim=1)"), case("torch.sort(x, dim=1, descending=True)"),
    case("x.sort()[0]"), case("x.argsort(-1)"), case("torch.argsort(x, dim=0)"),
    case("x.eq(0)"), case("x.gt(0.5).float()"), case("torch.zeros(3).ne(1)"),
    case("(x > 0).any(dim=-1, keepdim=True)"), case("torch.all(x > 0, 1)"), case("x.bool().any()"),
    case("x.argmax(dim=1)"), case("torch.argmin(x, -1, keepdim=True)"), case("x.argmax()"),
    case("F.max_unpool2d(*F.max_pool2d(x, 2, return_indices=True), 2, output_size=x.size())", (2, 3, 9, 9)),
    case("F.max_unpool2d(*F.max_pool2d(x, 2, return_indices=True), 2, output_size=(12, 9))", (2, 3, 9, 9)),
    case("F.max_unpool1d(*F.max_pool1d(x, 3, 2, return_indices=True), 3, 2)"),
    case("F.max_unpool3d(*F.max_pool3d(x, 2, return_indices=True), 2)", (2, 3, 4, 6, 4)),
    case("F.avg_pool1d(x, 3, stride=1)"), case("F.avg_pool2d(x, 2)", IMAGE),
    case("F.avg_pool2d(x, 3, 2, 1, ceil_mode=True)", (2, 3, 7, 7)), case("F.avg_pool3d(x, 2)", (2, 3, 4, 4, 4)),
    case("F.adaptive_avg_pool1d(x, 3)"), case("F.adaptive_avg_pool2d(x, (1, 1))", IMAGE),
    case("F.adaptive_avg_pool2d(x, (None, 3))", IMAGE), case("F.adaptive_avg_pool3d(x, 2)", (2, 3, 4, 4, 4)),
    case("F.adaptive_max_pool1d(x, 2)"), case("F.adaptive_max_pool2d(x, 5)", IMAGE),
    # regressions: with return_indices PyTorch returns (output, indices); cnnlint gave one tensor or none
    case("F.adaptive_max_pool2d(x, 2, return_indices=True)", IMAGE), case("F.adaptive_avg_pool2d(x, 2, True)", IMAGE),
    case("F.max_pool1d(x, 2, return_indices=True)"), case("F.max_pool2d(x, 3, 1, 1, 1, False, True)", IMAGE),
    case("F.adaptive_max_pool3d(x, (1, 2, 2))", (2, 3, 4, 4, 4)),
    case("F.interpolate(x, scale_factor=2)", IMAGE), case("F.interpolate(x, size=(5, 9), mode='bilinear')", IMAGE),
    case("F.interpolate(x, scale_factor=1.5)", IMAGE), case("F.interpolate(x, size=10)"),
    case("F.upsample(x, scale_factor=2)", IMAGE), case("F.upsample_nearest(x, size=(4, 4))", IMAGE),
    case("F.upsample_bilinear(x, scale_factor=2)", IMAGE),
    case("F.pad(x, (1, 2))"), case("F.pad(x, (1, 1, 2, 0))", IMAGE), case("F.pad(x, (1, 1), mode='reflect')"),
    case("F.pad(x, (1, 2, 3))"), case("F.pixel_shuffle(x, 2)", (2, 8, 3, 3)),
    case("F.grid_sample(x, y, align_corners=True)", IMAGE, (2, 5, 7, 2)),
    case("F.grid_sample(x, y, mode='nearest')", (2, 3, 4, 5, 6), (2, 2, 3, 4, 3)),
    case("F.grid_sample(x, y)", IMAGE, (2, 5, 7, 3)), case("F.grid_sample(x, y)", IMAGE, (3, 5, 7, 2)),
    case("F.unfold(x, 3, padding=1)", IMAGE), case("F.unfold(x, (2, 3), dilation=2, stride=(1, 2))", (2, 3, 8, 9)),
    case("F.unfold(x, kernel_size=3)", (3, 8, 8)), case("F.unfold(x, 3)", (1, 2, 2, 2)),
    case("F.unfold(x, 3)", (1, 2, 3, 8, 8)),
    case("F.pad(x, (0, 1), value=1.0)", (2, 3, 4, 5, 6)), case("F.pad(x, (1, 1, 1, 1))", (2, 2, 3, 4, 5)),
    case("F.pad(x, (1, 1), mode='reflect')", (2, 3, 4, 5, 6)), case("x.expand_as(y)", (4, 1), (2, 4, 6)),
    # reshaping
    case("torch.flatten(x, 1)"), case("x.flatten()"), case("x.flatten(0, 1)"), case("torch.flatten(x, start_dim=-2)"),
    case("x.view(2, -1)"), case("x.view(-1, 3, 8)"), case("x.view(5, -1)"), case("x.reshape(8, 6)"),
    case("torch.reshape(x, (2, 24))"), case("x.view(x.size(0), -1)"), case("x.reshape(-1)"),
    case("x.expand(3, 2, 4, 6)"), case("x.expand(2, -1, -1, 3)", (2, 4, 1)), case("x.expand(2, 5, 6)"),
    case("x.permute(0, 2, 1)"), case("torch.permute(x, (2, 0, 1))"), case("x.permute(2, 1)"),
    case("x.transpose(1, 2)"), case("torch.transpose(x, 0, -1)"), case("x.swapaxes(0, 1)"),
    case("torch.swapdims(x, 1, 2)"), case("x.transpose(1, 3)"),
    case("x.squeeze()", (2, 1, 6)), case("x.squeeze(1)", (2, 1, 6)), case("torch.squeeze(x, 0)"),
    case("x.unsqueeze(1)"), case("torch.unsqueeze(x, -1)"), case("x.unsqueeze(4)"),
    case("x[:, 0]"), case("x[..., 1:3]"), case("x[:, None, 2:]"), case("x[0, :, -1]"), case("x[:, ::2]"),
    # reductions
    *(case(f"torch.{name}(x, dim=1)") for name in ("mean", "sum", "amax", "amin", "prod", "std", "var",
                                                  "logsumexp", "nansum", "nanmean")),
    case("x.mean()"), case("x.sum((1, 2), keepdim=True)"), case("x.mean(-1)"), case("x.amax(dim=(0, 2))"),
    case("torch.mean(x, 3)"), case("x.norm(p=2, dim=(1, 2), keepdim=True)"), case("torch.norm(x, dim=1)"),
    case("x.norm()"),
    # joining
    case("torch.cat([x, y], 1)", (2, 4, 6), (2, 3, 6)), case("torch.cat((x, y), dim=-1)", (2, 4, 6), (2, 4, 1)),
    case("torch.concat([x, y])", (2, 4, 6), (3, 4, 6)), case("torch.concatenate([x, y], 2)", (2, 4, 6), (2, 4, 2)),
    case("torch.cat([x, y], 1)", (2, 4, 6), (2, 3, 5)),
    case("torch.stack([x, y], 1)", (2, 4, 6), (2, 4, 6)), case("torch.stack([x, x])"),
    case("torch.stack([x, y])", (2, 4, 6), (2, 4, 5)),
    # cutting into pieces, new tensors, the shape-keeping methods without a table entry
    case("x.chunk(3, 2)"), case("torch.chunk(x, 3, dim=1)"), case("x.split(4, -1)"), case("x.split([1, 3], 1)"),
    case("torch.split(x, 5, dim=2)"), case("x.unbind(1)"), case("torch.unbind(x)"),
    case("torch.zeros(2, 3)"), case("torch.ones((4,))"), case("torch.randn(2, 3, 5)"), case("torch.rand(size=(3, 2))"),
    case("torch.Tensor(2, 3, 3)"), case("torch.FloatTensor(4)"), case("torch.LongTensor(2, 5)"),
    case("torch.DoubleTensor(1, 2)"), case("torch.IntTensor(3)"), case("torch.empty(1, 2)"), case("torch.full((2, 2), 0.5)"), case("torch.randint(0, 5, (3, 4))"),
    *(case(f"torch.{name}(x)") for name in ("zeros_like", "ones_like", "randn_like", "rand_like", "empty_like")),
    case("torch.full_like(x, 2.0)"),
    *(case(f"x.{name}()") for name in ("contiguous", "clone", "detach", "float", "double", "cpu", "long", "int",
                                       "bool", "requires_grad_", "bfloat16", "half")),
    case("x.to(torch.float64)"), case("x.type_as(y)", (2, 4, 6), (3,)), case("x.type(torch.int32)"),
    case("x.data"), case("torch.bitwise_not(x.long())"), case("torch.logical_not(x.bool())"), case("~x.bool()"),
    case("-x"), case("+x"),
]

#: expressions whose type (integer, boolean or floating) cnnlint follows: what indexes by value, what masks
TYPED = [
    case("torch.arange(6)"), case("torch.arange(0, 6, dtype=torch.float32)"), case("torch.arange(end=5)"),
    case("torch.zeros(2, 3, dtype=torch.long)"), case("torch.empty(4, dtype=torch.bool)"),
    case("torch.full((2,), 1, dtype=torch.int32)"), case("torch.zeros_like(x, dtype=torch.long)"),
    case("torch.ones_like(x.long())"), case("x.long().view(-1)"), case("x.to(torch.int64) + 1"),
    case("x.to(dtype=torch.bool)"), case("torch.zeros(3, dtype=x.long().dtype)"),
    case("torch.zeros(3, dtype=x.dtype)"), case("x.new_zeros(3, dtype=torch.long)"), case("x.long().new_ones(2)"),
    case("x.new_ones(2)"), case("~x.bool()"), case("~x.long()"), case("torch.bitwise_not(x.long())"),
    case("torch.logical_not(x.bool())"), case("x.bool().sum(-1)"), case("x.bool().cumsum(1)"),
    case("x.bool().cumsum(1, dtype=torch.float32)"), case("x.long().sqrt()"), case("x.long().abs()"),
    case("-x.long()"), case("x.long() * 2.5"), case("x.long() // 2"), case("x.long() / 2"),
    case("torch.stack(torch.meshgrid(torch.arange(3), torch.arange(4), indexing='ij')).flatten(1)"),
    case("x.type(torch.LongTensor)"), case("x.type_as(torch.arange(2))"), case("x.long().to(x.device)"),
    case("x.long().to(x)"), case("x.bool().permute(2, 0, 1)"), case("x.bool().float()"),
    case("torch.zeros(2, dtype=torch.float16).long()"), case("torch.tensor([1, 2, 3]) + 1"),
    case("x.long().masked_fill(x.bool(), 0)"), case("torch.cat([x.long(), x.long()])"),
    case("torch.randint(0, 5, (3, 4))"), case("x.int()"), case("x.long()[:, 0]"),
]


def kind(dtype) -> str:
    """The kind cnnlint follows of a PyTorch dtype."""
    return "bool" if dtype == torch.bool else "float" if dtype.is_floating_point or dtype.is_complex else "long"


def _flat(out) -> list:
    if isinstance(out, (tuple, list)):
        return [t for item in out for t in _flat(item)]
    return [out]


def torch_outcome(c: Case):
    """The output shapes as PyTorch runs the text, or ERROR."""
    namespace: dict = {}
    exec(c.source(), namespace)  # noqa: S102 - the test's own source text
    try:
        with torch.no_grad():
            out = namespace["op"](*(torch.rand(s) for s in c.shapes))
    except Exception:  # any refusal
        return ERROR
    return [tuple(t.shape) for t in _flat(out)]


def cnnlint_outcome(c: Case):
    """The same, as cnnlint reads the text: interpreter and the PyTorch front end's hooks and table."""
    frontend = TorchFrontEnd()
    interp = Interpreter(parse(c.source().encode()), [frontend])
    interp.run_module()
    with interp.tracing() as trace:
        out = interp.call(interp.globals.vars["op"], [Tensor(s) for s in c.shapes], {}, None)
    facts = [f for node in trace.nodes for f in node.facts]
    errors = [f for f in facts if isinstance(f, Problem) and f.kind.is_error]
    errors += [f for f in facts if isinstance(f, Window) and isinstance(f.output, int) and f.output <= 0]
    outs = _flat(out)
    if errors:
        return ERROR
    assert not any(isinstance(t, Unknown) or t.shape is None for t in outs), f"{c}: cnnlint gives no shape {out}"
    return [tuple(dims.evaluate(d, {}) for d in t.shape) for t in outs]


@pytest.mark.parametrize("c", CASES, ids=repr)
def test_cnnlint_reads_each_function_as_pytorch_runs_it(c):
    assert cnnlint_outcome(c) == torch_outcome(c)


def test_the_tensor_method_unfold_is_not_the_functional_one():
    """``x.unfold(dim, size, step)`` takes windows along one axis; ``F.unfold`` is im2col: never one for the other."""
    c = case("x.unfold(2, 3, 1)", IMAGE)
    frontend = TorchFrontEnd()
    interp = Interpreter(parse(c.source().encode()), [frontend])
    interp.run_module()
    with interp.tracing():
        out = interp.call(interp.globals.vars["op"], [Tensor(s) for s in c.shapes], {}, None)
    assert out.shape is None or [tuple(out.shape)] == torch_outcome(c)


def _names(text: str) -> set:
    """The names a case uses: ``F.name``, ``torch.name``, ``x.name``, and indexing."""
    return set(re.findall(r"\.(\w+)\b", text)) | ({"getitem"} if re.search(r"\w\[", text) else set())


def test_every_torch_function_in_the_table_has_a_case():
    covered = set().union(*(_names(c.text) for c in CASES))
    assert sorted(set(FUNCTIONAL.builders) - covered) == []
    # x.cuda() needs a GPU the test's PyTorch may not have
    assert sorted((set(SPLITS) | set(EXTREMES) | CREATION | LIKE | NEW | RANGES | PASSTHROUGH) - covered - {"cuda"}) == []


def _kinds(c: Case) -> tuple:
    """The kinds of the case's outputs, as cnnlint reads the text and as PyTorch runs it."""
    namespace: dict = {}
    exec(c.source(), namespace)  # noqa: S102 - the test's own source text
    with torch.no_grad():
        real = [kind(t.dtype) for t in _flat(namespace["op"](*(torch.rand(s) for s in c.shapes)))]
    interp = Interpreter(parse(c.source().encode()), [TorchFrontEnd()])
    interp.run_module()
    with interp.tracing():
        out = interp.call(interp.globals.vars["op"], [Tensor(s) for s in c.shapes], {}, None)
    return ["long" if t.dtype == "int" else t.dtype for t in _flat(out)], real


@pytest.mark.parametrize("c", TYPED, ids=repr)
def test_the_type_of_a_tensor_is_pytorchs(c):
    found, real = _kinds(c)
    assert found == real


@pytest.mark.parametrize("c", [c for c in CASES if torch_outcome(c) != ERROR], ids=repr)
def test_an_integer_or_boolean_type_is_never_claimed_wrongly(c):
    """Floating is what cnnlint assumes of a type it does not follow (never an index); an integer or
    boolean type it gives is PyTorch's."""
    found, real = _kinds(c)
    assert [k if k != "float" else r for k, r in zip(found, real)] == real
