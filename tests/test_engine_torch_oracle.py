"""Differential tests: every torch.nn module cnnlint models, against real PyTorch.

Each case is a constructor call written as source text.  cnnlint reads it
through the PyTorch front end (the interpreter, the front end's table, its
call of the module) exactly as it reads a model file; PyTorch builds the same
text and runs it.  Output shapes, parameter counts and whether the call is an
error must agree.  A name in the front end's table without a case here fails
``test_every_torch_module_in_the_table_has_a_case``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from cnnlint import dims  # noqa: E402
from cnnlint.engine.core import Opaque  # noqa: E402
from cnnlint.evaluator.interpreter import Interpreter  # noqa: E402
from cnnlint.frontends.torch import TorchFrontEnd  # noqa: E402
from cnnlint.frontends.torch.layers import TORCH  # noqa: E402
from cnnlint.graph import Problem, Tensor, Window  # noqa: E402
from cnnlint.parsing import parse  # noqa: E402

BATCH = dims.Expr.symbol("batch")
N = 2
ERROR = "error"


@dataclass(frozen=True)
class Case:
    """``text`` called on tensors of ``shapes`` ("B" marks the batch axis) with keyword arguments ``call``."""

    text: str
    shapes: tuple
    call: tuple = ()  # (name, value) pairs passed to the module's forward
    tokens: object = False  # integer inputs: all (embeddings), or the positions of those that are (class targets)

    def __repr__(self):
        return f"{self.text} on {self.shapes}" + (f" with {dict(self.call)}" if self.call else "")

    def integer(self, position: int) -> bool:
        return self.tokens is True or (isinstance(self.tokens, tuple) and position in self.tokens)


def case(text, *shapes, tokens=False, **call):
    return Case(text, shapes, tuple(sorted(call.items())), tokens)


def same(text, shape=("B", 4, 6)):
    return case(text, shape)


IMAGE = ("B", 3, 7, 7)
CASES = [
    # shape-keeping modules
    *(same(f"nn.{name}()") for name in (
        "CELU", "ELU", "GELU", "Hardshrink", "Hardsigmoid", "Hardswish", "Hardtanh", "Identity", "LeakyReLU",
        "LogSigmoid", "Mish", "PReLU", "RReLU", "ReLU", "ReLU6", "SELU", "SiLU", "Sigmoid", "Softplus",
        "Softshrink", "Softsign", "Tanh", "Tanhshrink", "Dropout", "AlphaDropout", "FeatureAlphaDropout")),
    same("nn.LogSoftmax(dim=1)"), same("nn.Softmax(dim=-1)"), same("nn.Softmin(dim=1)"),
    same("nn.Threshold(0.1, 20.0)"), same("nn.PReLU(4)", ("B", 4, 6)), same("nn.Softmax2d()", IMAGE),
    same("nn.Dropout1d(0.2)"), same("nn.Dropout2d()", IMAGE), same("nn.Dropout3d()", ("B", 2, 3, 4, 5)),
    same("nn.LocalResponseNorm(2)", IMAGE), same("nn.CrossMapLRN2d(3)", IMAGE),
    same("nn.ChannelShuffle(2)", ("B", 4, 3, 3)),
    # dense, flatten, embedding, bilinear
    case("nn.Linear(6, 4)", ("B", 3, 6)), case("nn.Linear(6, 4, bias=False)", ("B", 6)),
    case("nn.LazyLinear(4)", ("B", 5)), case("nn.Flatten()", IMAGE), case("nn.Flatten(2, 3)", IMAGE),
    case("nn.Unflatten(1, (2, -1))", ("B", 12, 3)), case("nn.Embedding(10, 3)", ("B", 4), tokens=True),
    case("nn.Bilinear(3, 4, 5)", ("B", 3), ("B", 4)),
    # convolutions
    case("nn.Conv1d(4, 6, 3, stride=2)", ("B", 4, 9)),
    case("nn.Conv2d(3, 8, 3, stride=2, padding=1)", IMAGE),
    case("nn.Conv2d(4, 6, 3, groups=2, dilation=2, padding_mode='reflect', padding=2)", ("B", 4, 7, 7)),
    case("nn.Conv2d(3, 8, 3, padding='same')", IMAGE), case("nn.Conv2d(3, 8, 3)", (3, 7, 7)),
    case("nn.Conv3d(2, 4, 3, padding='same')", ("B", 2, 5, 5, 5)),
    case("nn.ConvTranspose1d(4, 3, 3, stride=2, output_padding=1)", ("B", 4, 5)),
    case("nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, groups=2)", ("B", 4, 5, 5)),
    case("nn.ConvTranspose3d(2, 3, 2, stride=2)", ("B", 2, 3, 3, 3)),
    case("nn.LazyConv1d(6, 3)", ("B", 4, 9)), case("nn.LazyConv2d(8, 3, padding=1)", IMAGE),
    case("nn.LazyConv3d(4, 2)", ("B", 2, 3, 3, 3)), case("nn.LazyConvTranspose1d(3, 3)", ("B", 4, 5)),
    case("nn.LazyConvTranspose2d(3, 2, stride=2)", IMAGE), case("nn.LazyConvTranspose3d(2, 2)", ("B", 2, 3, 3, 3)),
    # pooling
    case("nn.MaxPool1d(3, stride=2, padding=1)", ("B", 4, 9)), case("nn.MaxPool2d(3, 2, 1, dilation=2)", IMAGE),
    case("nn.MaxPool2d(2, ceil_mode=True)", IMAGE), case("nn.MaxPool3d(2)", ("B", 2, 5, 5, 5)),
    case("nn.AvgPool1d(3, 2)", ("B", 4, 9)), case("nn.AvgPool2d(2, ceil_mode=True, padding=1)", IMAGE),
    case("nn.AvgPool3d(2)", ("B", 2, 4, 4, 4)), case("nn.AdaptiveAvgPool1d(3)", ("B", 4, 9)),
    case("nn.AdaptiveAvgPool2d((3, None))", ("B", 2, 7, 5)), case("nn.AdaptiveAvgPool3d(2)", ("B", 2, 5, 5, 5)),
    case("nn.AdaptiveMaxPool1d(4)", ("B", 4, 9)), case("nn.AdaptiveMaxPool2d(1)", IMAGE),
    case("nn.AdaptiveMaxPool3d((1, 2, 3))", ("B", 2, 5, 5, 5)),
    # regressions: with return_indices PyTorch returns (output, indices); cnnlint gave one tensor
    case("nn.MaxPool2d(2, return_indices=True)", IMAGE), case("nn.AdaptiveMaxPool2d(2, return_indices=True)", IMAGE),
    case("nn.AdaptiveAvgPool2d(2, return_indices=True)", IMAGE),
    # normalisation
    case("nn.BatchNorm1d(4)", ("B", 4, 9)), case("nn.BatchNorm2d(3)", IMAGE),
    case("nn.BatchNorm3d(2, affine=False)", ("B", 2, 3, 4, 5)), case("nn.LazyBatchNorm1d()", ("B", 4)),
    case("nn.LazyBatchNorm2d()", IMAGE), case("nn.LazyBatchNorm3d()", ("B", 2, 3, 4, 5)),
    case("nn.SyncBatchNorm(3)", IMAGE), case("nn.GroupNorm(2, 6)", ("B", 6, 3, 3)),
    case("nn.InstanceNorm1d(4, affine=True)", ("B", 4, 9)), case("nn.InstanceNorm2d(3)", IMAGE),
    case("nn.InstanceNorm3d(2, affine=True)", ("B", 2, 3, 4, 5)), case("nn.LayerNorm((4, 5))", ("B", 3, 4, 5)),
    case("nn.LayerNorm(5, bias=False)", ("B", 3, 5)),
    # padding, upsampling, pixel shuffle
    case("nn.ZeroPad1d(2)", ("B", 3, 5)), case("nn.ZeroPad2d((1, 2, 3, 4))", IMAGE),
    case("nn.ZeroPad3d(1)", ("B", 2, 3, 4, 5)), case("nn.ConstantPad1d((1, 2), 0.5)", ("B", 3, 5)),
    case("nn.ConstantPad2d(1, 0.0)", IMAGE), case("nn.ConstantPad3d((1, 0, 0, 1, 2, 0), 1.0)", ("B", 2, 3, 4, 5)),
    case("nn.ReflectionPad1d(2)", ("B", 3, 5)), case("nn.ReflectionPad2d((1, 1, 2, 0))", IMAGE),
    case("nn.ReflectionPad3d(1)", ("B", 2, 3, 4, 5)), case("nn.ReplicationPad1d(3)", ("B", 3, 5)),
    case("nn.ReplicationPad2d(2)", IMAGE), case("nn.ReplicationPad3d(1)", ("B", 2, 3, 4, 5)),
    case("nn.CircularPad1d(2)", ("B", 3, 5)), case("nn.CircularPad2d((1, 2, 0, 1))", IMAGE),
    case("nn.CircularPad3d(1)", ("B", 2, 3, 4, 5)), case("nn.PixelShuffle(2)", ("B", 8, 3, 5)),
    case("nn.Unfold(3)", IMAGE), case("nn.Unfold(kernel_size=(2, 3), stride=2, padding=1)", IMAGE),
    case("nn.Unfold(2, dilation=2)", ("B", 3, 6, 7)), case("nn.Unfold(9)", IMAGE), case("nn.Unfold(2)", (3, 5, 5)),
    case("nn.Upsample(scale_factor=(1.5, 2))", ("B", 3, 5, 5)), case("nn.Upsample(size=7)", ("B", 3, 5)),
    case("nn.UpsamplingBilinear2d(scale_factor=2)", IMAGE), case("nn.UpsamplingNearest2d(size=(4, 6))", IMAGE),
    # recurrent
    case("nn.LSTM(5, 6, num_layers=2, bidirectional=True, batch_first=True)", ("B", 7, 5)),
    case("nn.LSTM(5, 6, proj_size=3)", (7, "B", 5)), case("nn.GRU(3, 4, bias=False)", (7, "B", 3)),
    case("nn.RNN(3, 4, num_layers=3, batch_first=True)", ("B", 7, 3)),
    case("nn.MaxUnpool2d(2)", ("B", 3, 4, 5), ("B", 3, 4, 5), tokens=(1,)),
    case("nn.MaxUnpool2d(2)", ("B", 3, 4, 5), ("B", 3, 4, 5), tokens=(1,), output_size=(9, 11)),
    case("nn.MaxUnpool2d(2)", ("B", 3, 4, 5), ("B", 3, 4, 5), tokens=(1,), output_size=(1, 3, 8, 11)),
    case("nn.MaxUnpool2d(2)", ("B", 3, 4, 5), ("B", 3, 4, 5), tokens=(1,), output_size=(10, 10)),
    case("nn.MaxUnpool1d(3, stride=2, padding=1)", ("B", 3, 6), ("B", 3, 6), tokens=(1,)),
    case("nn.MaxUnpool3d((1, 2, 2))", ("B", 2, 3, 4, 4), ("B", 2, 3, 4, 4), tokens=(1,)),
    case("nn.LSTMCell(5, 6)", ("B", 5)), case("nn.LSTMCell(5, 6, bias=False)", (5,)),
    case("nn.GRUCell(3, 4)", ("B", 3), ("B", 4)), case("nn.GRUCell(3, 4)", ("B", 4)),
    case("nn.RNNCell(3, 4, nonlinearity='relu')", ("B", 3)), case("nn.RNNCell(3, 4, nonlinearity='gelu')", ("B", 3)),
    case("nn.LSTMCell(5, 6)", ("B", 7, 5)),
    # attention: add_bias_kv and add_zero_attn append key positions; need_weights and
    # average_attn_weights are options of the call
    case("nn.MultiheadAttention(8, 2, batch_first=True)", ("B", 5, 8), ("B", 6, 8), ("B", 6, 8)),
    case("nn.MultiheadAttention(8, 4, kdim=3, vdim=6, add_bias_kv=True, batch_first=True)",
         ("B", 5, 8), ("B", 6, 3), ("B", 6, 6)),
    case("nn.MultiheadAttention(16, 4, add_bias_kv=True, batch_first=True)", (6, 16), (6, 16), (6, 16)),
    *(case(f"nn.MultiheadAttention(16, 4, add_bias_kv={kv}, add_zero_attn={zero}, batch_first={first})",
           *([("B", 6, 16), ("B", 5, 16), ("B", 5, 16)] if first else [(6, "B", 16), (5, "B", 16), (5, "B", 16)]),
           **call)
      for kv in (False, True) for zero in (False, True) for first in (False, True)
      for call in ({}, {"average_attn_weights": False}, {"need_weights": False})),
    case("nn.MultiheadAttention(16, 4, add_zero_attn=True)", (6, 16), (5, 16), (5, 16), average_attn_weights=False),
    # transformer encoders: the input's shape, d_model features; masks change no shape
    case("nn.TransformerEncoderLayer(8, 2, 16)", (5, "B", 8)),
    case("nn.TransformerEncoderLayer(8, 2, 16, batch_first=True, bias=False)", ("B", 5, 8)),
    case("nn.TransformerEncoderLayer(8, 4, norm_first=True)", (5, 8)),
    case("nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16), 3)", (5, "B", 8)),
    case("nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, batch_first=True), 2, norm=nn.LayerNorm(8))",
         ("B", 5, 8)),
    case("nn.TransformerEncoderLayer(10, 4)", ("B", 5, 10)), case("nn.TransformerEncoderLayer(8, 2)", ("B", 5, 6)),
    case("nn.TransformerDecoderLayer(8, 2, 16)", (5, "B", 8), (7, "B", 8)),
    case("nn.TransformerDecoderLayer(8, 2, 16, batch_first=True, bias=False)", ("B", 5, 8), ("B", 7, 8)),
    case("nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 2, 16), 2, norm=nn.LayerNorm(8))",
         (5, "B", 8), (7, "B", 8)),
    case("nn.TransformerDecoderLayer(8, 2)", (5, "B", 8), (7, "B", 6)),
    case("nn.Transformer(8, 2, 2, 1, 16)", (7, "B", 8), (5, "B", 8)),
    case("nn.Transformer(8, 2, 1, 2, 16, batch_first=True, bias=False)", ("B", 7, 8), ("B", 5, 8)),
    # losses kept on a model: no parameters; a scalar with reduction 'mean' or 'sum'
    *(case(f"nn.{name}({arguments})", ("B", 4), ("B", 4)) for name in (
        "L1Loss", "MSELoss", "SmoothL1Loss", "HuberLoss", "BCELoss", "BCEWithLogitsLoss", "KLDivLoss",
        "SoftMarginLoss", "MultiLabelSoftMarginLoss", "CrossEntropyLoss", "PoissonNLLLoss", "HingeEmbeddingLoss")
      for arguments in ("", "reduction='sum'")),
    case("nn.MSELoss(size_average=False)", ("B", 4), ("B", 4)), case("nn.L1Loss(None, True)", ("B", 4), ("B", 4)),
    case("nn.GaussianNLLLoss()", ("B", 4), ("B", 4), ("B", 4)),
    case("nn.CosineEmbeddingLoss()", ("B", 4), ("B", 4), ("B",)),
    case("nn.MarginRankingLoss()", ("B",), ("B",), ("B",)),
    case("nn.TripletMarginLoss()", ("B", 4), ("B", 4), ("B", 4)),
    case("nn.TripletMarginWithDistanceLoss(reduction='sum')", ("B", 4), ("B", 4), ("B", 4)),
    case("nn.NLLLoss()", ("B", 4), ("B",), tokens=(1,)), case("nn.MultiMarginLoss()", ("B", 4), ("B",), tokens=(1,)),
    case("nn.NLLLoss2d()", ("B", 4, 3, 3), ("B", 3, 3), tokens=(1,)),
    case("nn.MultiLabelMarginLoss()", ("B", 4), ("B", 4), tokens=(1,)),
    case("nn.CTCLoss()", (5, "B", 4), ("B", 2), ("B",), ("B",), tokens=(1, 2, 3)),
    # what PyTorch refuses
    case("nn.BatchNorm2d(4)", IMAGE), case("nn.Linear(6, 4)", ("B", 5)), case("nn.Conv2d(4, 6, 3, groups=4)", IMAGE),
    case("nn.Conv2d(3, 8, 3, stride=2, padding='same')", IMAGE), case("nn.Conv2d(3, 8, 9)", IMAGE),
    case("nn.MultiheadAttention(10, 4)", (6, 10), (6, 10), (6, 10)),
    case("nn.ReflectionPad1d(5)", ("B", 3, 5)),
]


def _flat(out) -> list:
    if isinstance(out, (tuple, list)):
        return [t for item in out for t in _flat(item)]
    return [out]


def torch_outcome(c: Case):
    """(output shapes, parameters) as PyTorch builds and runs the text, or ERROR."""
    try:
        module = eval(c.text, {"nn": nn})  # noqa: S307 - the test's own constructor text
        module.eval()
        tensors = [torch.randint(0, 3, _concrete(s)) if c.integer(i) else torch.rand(_concrete(s))
                   for i, s in enumerate(c.shapes)]
        with torch.no_grad():
            out = module(*tensors, **dict(c.call))
    except Exception:  # any refusal, at construction or on the call
        return ERROR
    shapes = [None if t is None else tuple(t.shape) for t in _flat(out)]
    return shapes, sum(p.numel() for p in module.parameters())


def _concrete(shape) -> tuple:
    return tuple(N if d == "B" else d for d in shape)


def cnnlint_outcome(c: Case):
    """The same, as cnnlint reads the text: interpreter, the front end's table, the front end's module call."""
    frontend = TorchFrontEnd()
    interp = Interpreter(parse(f"import torch\nimport torch.nn as nn\nlayer = {c.text}\n".encode()), [frontend])
    interp.run_module()
    layer = interp.globals.vars["layer"]
    if isinstance(layer.engine, Opaque):
        assert layer.engine.invalid, f"{c}: cnnlint does not model it: {layer.engine.reason}"
        return ERROR
    inputs = [Tensor(tuple(BATCH if d == "B" else d for d in s), dtype="long" if c.integer(i) else "float")
              for i, s in enumerate(c.shapes)]
    with interp.tracing() as trace:
        out = frontend.call_module(interp, layer, inputs, dict(c.call), None)
    (node,) = trace.nodes
    outs = _flat(out)
    if any(t is not None and t.shape is None for t in outs):
        explained = [f for f in node.facts if isinstance(f, Problem) and f.kind.is_error]
        explained += [f for f in node.facts if isinstance(f, Window) and isinstance(f.output, int) and f.output <= 0]
        assert explained, f"{c} stopped without a reason: {node.facts}"
        return ERROR
    shapes = [None if t is None else tuple(dims.evaluate(d, {"batch": N}) for d in t.shape) for t in outs]
    assert node.weights.non_trainable == 0  # PyTorch's running statistics are buffers, not parameters
    return shapes, node.weights.trainable


@pytest.mark.parametrize("c", CASES, ids=repr)
def test_cnnlint_reads_each_module_as_pytorch_runs_it(c):
    assert cnnlint_outcome(c) == torch_outcome(c)


def test_every_torch_module_in_the_table_has_a_case():
    covered = {re.match(r"nn\.(\w+)\(", c.text).group(1) for c in CASES}
    assert sorted(set(TORCH.builders) - covered) == []


def test_attention_weights_count_the_key_positions_pytorch_appends():
    """Regression: add_bias_kv appends a key position; cnnlint said (6, 6) where PyTorch gives (6, 7)."""
    c = case("nn.MultiheadAttention(16, 4, add_bias_kv=True, batch_first=True)", (6, 16), (6, 16), (6, 16))
    assert cnnlint_outcome(c) == ([(6, 16), (6, 7)], 1120) == torch_outcome(c)
