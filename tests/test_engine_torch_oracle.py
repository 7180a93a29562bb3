"""The engine's PyTorch options against real torch.nn modules.

The PyTorch front end maps torch.nn names onto these engine classes; here the
classes are built directly with the options that mapping should use, and the
output shapes and parameter counts must equal PyTorch's.
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from cnnlint import dims  # noqa: E402
from cnnlint.dims import Expr  # noqa: E402
from cnnlint.engine.attention import MultiHeadAttention, check_heads  # noqa: E402
from cnnlint.engine.base import apply  # noqa: E402
from cnnlint.engine.core import Dense, Embedding, PReLU  # noqa: E402
from cnnlint.engine.merge import Bilinear  # noqa: E402
from cnnlint.engine.normalization import BatchNorm, GroupNorm, LayerNorm  # noqa: E402
from cnnlint.engine.pooling import AdaptivePool  # noqa: E402
from cnnlint.engine.recurrent import Recurrent  # noqa: E402
from cnnlint.engine.reshaping import Pad, PixelShuffle, Reshape, Unflatten, UpSample  # noqa: E402
from cnnlint.graph import Tensor  # noqa: E402

BATCH = Expr.symbol("batch")
N = 2


def flat(out):
    if isinstance(out, (tuple, list)):
        return [t for item in out for t in flat(item)]
    return [out]


def lstm(**kw):
    h, e = kw.pop("hidden_size"), kw.pop("input_size")
    return Recurrent("torch", "LSTM", cell="lstm", units=h, input_size=e, bias_vectors=2, torch_outputs=True, **kw)


CASES = [
    (BatchNorm("torch", "BatchNorm2d", axis=1, num_features=3, statistics=0, ranks=(4,)), nn.BatchNorm2d(3),
     [(3, 5, 5)]),
    (BatchNorm("torch", "InstanceNorm1d", axis=1, num_features=4, statistics=0, scale=True, center=True),
     nn.InstanceNorm1d(4, affine=True), [(4, 9)]),
    (LayerNorm("torch", "LayerNorm", normalized_shape=(4, 5)), nn.LayerNorm((4, 5)), [(3, 4, 5)]),
    (LayerNorm("torch", "LayerNorm", normalized_shape=(5,), center=False), nn.LayerNorm(5, bias=False), [(3, 5)]),
    (GroupNorm("torch", "GroupNorm", groups=2, axis=1, num_channels=6), nn.GroupNorm(2, 6), [(6, 3, 3)]),
    (Dense("torch", "Linear", units=4, in_features=6), nn.Linear(6, 4), [(3, 6)]),
    (Embedding("torch", "Embedding", input_dim=10, output_dim=3), nn.Embedding(10, 3), "tokens"),
    (PReLU("torch", "PReLU", num_parameters=3), nn.PReLU(3), [(3, 4)]),
    (Bilinear("torch", "Bilinear", in1_features=3, in2_features=4, out_features=5), nn.Bilinear(3, 4, 5),
     [(3,), (4,)]),
    (AdaptivePool("torch", "AdaptiveAvgPool2d", rank=2, output_size=(3, None)), nn.AdaptiveAvgPool2d((3, None)),
     [(2, 7, 5)]),
    (PixelShuffle("torch", "PixelShuffle", factor=2), nn.PixelShuffle(2), [(8, 3, 5)]),
    (Unflatten("torch", "Unflatten", axis=1, sizes=(2, -1)), nn.Unflatten(1, (2, -1)), [(12, 3)]),
    (UpSample("torch", "Upsample", rank=2, factors=(1.5, 2), channels_last=False),
     nn.Upsample(scale_factor=(1.5, 2)), [(3, 5, 5)]),
    (UpSample("torch", "Upsample", rank=1, sizes=(7,), channels_last=False), nn.Upsample(size=7), [(3, 5)]),
    (Pad("torch", "ZeroPad2d", amounts=((3, 4), (1, 2)), channels_last=False), nn.ZeroPad2d((1, 2, 3, 4)),
     [(3, 5, 5)]),
    (lstm(input_size=5, hidden_size=6, num_layers=2, directions=2, batch_first=True),
     nn.LSTM(5, 6, num_layers=2, bidirectional=True, batch_first=True), [(7, 5)]),
    (lstm(input_size=5, hidden_size=6, proj_size=3, batch_first=False),
     nn.LSTM(5, 6, proj_size=3), [(7, 5)]),
    (Recurrent("torch", "GRU", cell="gru", units=4, input_size=3, bias_vectors=2, bias=False, batch_first=False,
               torch_outputs=True),
     nn.GRU(3, 4, bias=False), [(7, 3)]),
    (Recurrent("torch", "RNN", cell="rnn", units=4, input_size=3, bias_vectors=2, num_layers=3,
               batch_first=True, torch_outputs=True),
     nn.RNN(3, 4, num_layers=3, batch_first=True), [(7, 3)]),
]


def mha(embed, heads, kdim=None, vdim=None, add_bias_kv=False):
    head = check_heads(embed, heads)
    layer = MultiHeadAttention("torch", "MultiheadAttention", num_heads=heads, key_dim=head, output_dims=(embed,),
                               features=(embed, kdim or embed, vdim or embed),
                               extra_bias=2 * embed if add_bias_kv else 0, extra_keys=int(add_bias_kv),
                               value_before_key=False, torch_outputs=True, batch_first=True)
    module = nn.MultiheadAttention(embed, heads, kdim=kdim, vdim=vdim, add_bias_kv=add_bias_kv, batch_first=True)
    return layer, module


for args, shapes in [((8, 2), [(5, 8), (6, 8), (6, 8)]), ((8, 4, 3, 6, True), [(5, 8), (6, 3), (6, 6)])]:
    CASES.append((*mha(*args), shapes))


@pytest.mark.parametrize("layer, module, shapes", CASES, ids=[c[0].type_name + str(i) for i, c in enumerate(CASES)])
def test_engine_matches_torch(layer, module, shapes):
    if shapes == "tokens":
        tensors, shapes = [torch.zeros((N, 4), dtype=torch.long)], [(4,)]
    else:
        tensors = [torch.rand((N,) + s) for s in shapes]
    expected = [tuple(t.shape) for t in flat(module(*tensors))]
    if isinstance(layer, Recurrent) and not layer.batch_first:  # (time, batch, features)
        tensors = [t.transpose(0, 1) for t in tensors]
        expected = [tuple(t.shape) for t in flat(module(*tensors))]
        inputs = [Tensor((shapes[0][0], BATCH) + shapes[0][1:])]
    else:
        inputs = [Tensor((BATCH,) + s) for s in shapes]
    node = apply(layer, inputs)
    got = [tuple(dims.evaluate(d, {"batch": N}) for d in t.shape) for t in flat(node.output)]
    assert got == expected
    params = sum(p.numel() for p in module.parameters())
    assert (node.weights.trainable, node.weights.non_trainable) == (params, 0)


def test_declared_size_mismatch_is_reported_like_torch_fails():
    node = apply(BatchNorm("torch", "BatchNorm2d", axis=1, num_features=4, statistics=0, ranks=(4,)),
                 [Tensor((BATCH, 3, 5, 5))])
    with pytest.raises(RuntimeError):
        nn.BatchNorm2d(4)(torch.rand(2, 3, 5, 5))
    assert node.output.shape is None and node.facts[0].kind == "mismatch"


def test_view_with_minus_one_and_batch():
    node = apply(Reshape("torch", "view", target=(-1, 12), includes_batch=True), [Tensor((BATCH, 3, 4))])
    assert node.output.shape == (BATCH, 12)



