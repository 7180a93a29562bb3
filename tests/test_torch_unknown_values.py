"""Models built from tensors whose values cnnlint cannot know but whose shapes it can, against PyTorch.

Each source is a minimal reproduction of real model code (swin's relative-position index, ViT's
``q, k, v = map(lambda t: rearrange(...), qkv)``, MViT's ``tensor_split``, stochastic depth rates
from ``torch.linspace``): cnnlint reads the text, PyTorch builds and runs it, and the parameter
counts and output shapes must be equal and exact (no CNN900), or, for a shape that depends on the
values (a boolean mask), unknown — never a guess.
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("einops")

from cnnlint.runner import Options, lint_source  # noqa: E402

HEADER = ("import torch\nfrom torch import nn\nimport torch.nn.functional as F\n"
          "from einops import rearrange, repeat, reduce\nfrom einops.layers.torch import Rearrange, Reduce\n\n")

SWIN_INDEX = '''
class Model(nn.Module):
    def __init__(self, ws=(4, 4), heads=2):
        super().__init__()
        self.window_size = ws
        self.table = nn.Parameter(torch.zeros((2 * ws[0] - 1) * (2 * ws[1] - 1), heads))
        coords = torch.stack(torch.meshgrid(torch.arange(ws[0]), torch.arange(ws[1]), indexing="ij"))
        flat = torch.flatten(coords, 1)
        relative = (flat[:, :, None] - flat[:, None, :]).permute(1, 2, 0).contiguous()
        relative[:, :, 0] += ws[0] - 1
        relative[:, :, 1] += ws[1] - 1
        relative[:, :, 0] *= 2 * ws[1] - 1
        self.register_buffer("index", relative.sum(-1).flatten())
        self.qkv = nn.Linear(8, 24)

    def forward(self, x):
        n = self.window_size[0] * self.window_size[1]
        bias = self.table[self.index].view(n, n, -1).permute(2, 0, 1).unsqueeze(0)
        length = self.qkv.bias.numel() // 3
        qkv = F.linear(x, self.qkv.weight, self.qkv.bias)
        q, k, v = qkv.reshape(x.size(0), n, 3, 2, 4).permute(2, 0, 3, 1, 4)
        attn = q @ k.transpose(-2, -1) + bias
        return (attn.softmax(-1) @ v).transpose(1, 2).reshape(x.size(0), n, 8)
'''

VIT = '''
class Model(nn.Module):
    def __init__(self, patch=4, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.patches = nn.Sequential(Rearrange("b c (h p1) (w p2) -> b (h w) (p1 p2 c)", p1=patch, p2=patch),
                                     nn.LayerNorm(3 * patch * patch), nn.Linear(3 * patch * patch, dim))
        self.cls_token = nn.Parameter(torch.randn(1, 1, dim))
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.pool = Reduce("b n d -> b d", "mean")
        self.head = nn.Linear(dim, 10)
        rates = [r.item() for r in torch.linspace(0, 0.1, 3)]
        self.drops = nn.ModuleList([nn.Dropout(r) for r in rates])

    def forward(self, img):
        x = self.patches(img)
        b, n, _ = x.shape
        x = torch.cat((repeat(self.cls_token, "1 1 d -> b 1 d", b=b), x), dim=1)
        q, k, v = map(lambda t: rearrange(t, "b n (h d) -> b h n d", h=self.heads), self.to_qkv(x).chunk(3, dim=-1))
        attn = torch.einsum("b h i d, b h j d -> b h i j", q, k).softmax(dim=-1)
        out = rearrange(torch.einsum("b h i j, b h j d -> b h i d", attn, v), "b h n d -> b n (h d)")
        for drop in self.drops:
            out = drop(out)
        return self.head(self.pool(out))
'''

MVIT_SPLIT = '''
class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.cls = nn.Parameter(torch.zeros(1, 1, 1, 6))
        self.proj = nn.Linear(6, 5)

    def forward(self, x):
        x = torch.cat((self.cls.expand(x.size(0), 2, -1, -1), x), dim=2)
        class_token, x = torch.tensor_split(x, indices=(1,), dim=2)
        return self.proj(x + class_token)
'''

MASKED = '''
class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(6, 5)

    def forward(self, x):
        kept = x[:, torch.ones(4).bool()]
        return self.proj(kept)
'''


STAGE_RATES = '''
class Model(nn.Module):
    def __init__(self, depths=(2, 3), drop_path_rate=0.1):
        super().__init__()
        dpr = [x.tolist() for x in torch.linspace(0, drop_path_rate, sum(depths)).split(depths)]
        blocks = []
        for stage, depth in enumerate(depths):
            for j in range(depth):
                blocks.append(nn.Linear(8, 8) if dpr[stage][j] > 0. else nn.Identity())
        self.blocks = nn.Sequential(*blocks)

    def forward(self, x):
        return self.blocks(x)
'''

BEIT_INDEX = '''
def ndgrid(*tensors):
    return torch.meshgrid(*tensors, indexing="ij")


def relative_position_index(ws, device=None):
    distances = (2 * ws[0] - 1) * (2 * ws[1] - 1) + 3
    coords = torch.stack(ndgrid(torch.arange(ws[0], device=device, dtype=torch.long),
                                torch.arange(ws[1], device=device, dtype=torch.long)))
    flat = torch.flatten(coords, 1)
    relative = (flat[:, :, None] - flat[:, None, :]).permute(1, 2, 0).contiguous()
    relative[:, :, 0] += ws[0] - 1
    relative[:, :, 1] += ws[1] - 1
    relative[:, :, 0] *= 2 * ws[1] - 1
    index = torch.zeros(size=(ws[0] * ws[1] + 1,) * 2, device=device, dtype=relative.dtype)
    index[1:, 1:] = relative.sum(-1)
    index[0, 0:] = distances - 3
    index[0:, 0] = distances - 2
    index[0, 0] = distances - 1
    return index


class Model(nn.Module):
    def __init__(self, ws=(3, 4), heads=2, device=None):
        super().__init__()
        self.ws = ws
        self.table = nn.Parameter(torch.zeros((2 * ws[0] - 1) * (2 * ws[1] - 1) + 3, heads))
        # an empty buffer of the index's type, filled in place (timm's swin)
        self.register_buffer("empty_index", torch.empty(ws[0] * ws[1] + 1, ws[0] * ws[1] + 1, dtype=torch.long))
        self.empty_index.copy_(relative_position_index(ws, device=self.empty_index.device))
        self.register_buffer("index", relative_position_index(ws, device=device), persistent=False)
        self.proj = nn.Linear(heads, 3)

    def forward(self, x):
        n = self.ws[0] * self.ws[1] + 1
        bias = self.table[self.index.view(-1)].view(n, n, -1) + self.table[self.empty_index.view(-1)].view(n, n, -1)
        return self.proj(x + bias.unsqueeze(0))
'''

LEVIT_BIAS_CACHE = '''
class Model(nn.Module):
    def __init__(self, heads=2, resolution=(3, 4)):
        super().__init__()
        pos = torch.stack(torch.meshgrid(torch.arange(resolution[0]), torch.arange(resolution[1]),
                                         indexing="ij")).flatten(1)
        rel_pos = (pos[..., :, None] - pos[..., None, :]).abs()
        rel_pos = (rel_pos[0] * resolution[1]) + rel_pos[1]
        self.attention_biases = nn.Parameter(torch.zeros(heads, resolution[0] * resolution[1]))
        self.register_buffer("attention_bias_idxs", rel_pos.to(torch.int32).long())
        self.attention_bias_cache = {}

    def get_attention_biases(self, device: torch.device) -> torch.Tensor:
        if torch.jit.is_tracing() or self.training:
            return self.attention_biases[:, self.attention_bias_idxs]
        device_key = str(device)
        if device_key not in self.attention_bias_cache:
            self.attention_bias_cache[device_key] = self.attention_biases[:, self.attention_bias_idxs]
        return self.attention_bias_cache[device_key]

    def forward(self, x):
        return x @ x.transpose(-2, -1) + self.get_attention_biases(x.device)
'''

EDGENEXT_POSITIONS = '''
class Model(nn.Module):
    def __init__(self, hidden_dim=4, dim=6):
        super().__init__()
        self.token_projection = nn.Conv2d(hidden_dim * 2, dim, kernel_size=1)
        self.hidden_dim = hidden_dim

    def forward(self, x):
        device = self.token_projection.weight.device
        shape = (x.shape[0], x.shape[2], x.shape[3])
        inv_mask = ~torch.zeros(shape).to(device=device, dtype=torch.bool)
        y_embed = inv_mask.cumsum(1, dtype=torch.float32)
        x_embed = inv_mask.cumsum(2, dtype=self.token_projection.weight.dtype)
        dim_t = torch.arange(self.hidden_dim, dtype=torch.int64, device=device).to(torch.float32)
        dim_t = 10000.0 ** (2 * torch.div(dim_t, 2, rounding_mode="floor") / self.hidden_dim)
        pos = torch.cat((y_embed[:, :, :, None] / dim_t, -x_embed[:, :, :, None] / dim_t), dim=3).permute(0, 3, 1, 2)
        return x + self.token_projection(pos)
'''


def _lint(source: str, shape: tuple):
    result = lint_source("model.py", (HEADER + source).encode(), Options(input_shape=shape))
    (model,) = result.models
    return model, [d for d in result.diagnostics]


def _torch(source: str, shape: tuple):
    namespace: dict = {}
    exec(HEADER + source, namespace)  # noqa: S102 - the test's own source
    model = namespace["Model"]().eval()
    with torch.no_grad():
        out = model(torch.rand(1, *shape))
    return sum(p.numel() for p in model.parameters()), list(out.shape[1:])


@pytest.mark.parametrize("source, shape", [(SWIN_INDEX, (16, 8)), (VIT, (3, 16, 16)), (MVIT_SPLIT, (2, 4, 6)),
                                           (STAGE_RATES, (8,)), (BEIT_INDEX, (13, 13, 2)),
                                           (LEVIT_BIAS_CACHE, (2, 12, 5)), (EDGENEXT_POSITIONS, (6, 3, 5))],
                         ids=["swin-relative-index", "vit-einops-map", "mvit-tensor-split", "timm-stage-drop-rates",
                              "beit-index-of-a-dtype-read-from-a-tensor", "levit-bias-cache-keyed-by-device",
                              "edgenext-inverted-mask"])
def test_exact_as_pytorch(source, shape):
    model, diagnostics = _lint(source, shape)
    params, output = _torch(source, shape)
    assert [d.message for d in diagnostics if d.code.startswith("CNN")] == []
    assert (model.total_params, model.output_shape) == (params, output)


def test_a_boolean_mask_leaves_the_kept_axis_unknown():
    """How many rows a mask keeps is a value: no size is printed for it, and no error is claimed."""
    model, diagnostics = _lint(MASKED, (4, 6))
    params, output = _torch(MASKED, (4, 6))
    assert model.total_params == params
    assert output == [4, 5] and model.output_shape == [None, 5]
    assert not any(d.code in ("CNN101", "CNN103", "CNN104") for d in diagnostics)


# -- tensors whose values cnnlint follows: sizes computed with tensors, rates read out of them ----------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cnnlint.evaluator.interpreter import Interpreter  # noqa: E402
from cnnlint.evaluator.values import Unknown  # noqa: E402
from cnnlint.frontends.torch import TorchFrontEnd  # noqa: E402
from cnnlint.parsing import parse  # noqa: E402

REGNET_WIDTHS = '''
import math
import torch


def widths(depth, w_0, w_a, w_m, group_width, quant=8):
    widths_cont = torch.arange(depth) * w_a + w_0
    block_capacity = torch.round(torch.log(widths_cont / w_0) / math.log(w_m))
    block_widths = (torch.round(torch.divide(w_0 * torch.pow(w_m, block_capacity), quant)) * quant).int().tolist()
    splits = [w != wp for w, wp in zip(block_widths + [0], [0] + block_widths)]
    stage_depths = torch.diff(torch.tensor([d for d, t in enumerate(splits) if t])).int().tolist()
    rates = [r.item() for r in torch.linspace(0, 0.2, depth)]
    shifted = torch.arange(4)
    shifted += 1
    viewed = torch.arange(4)
    viewed[1:].mul_(2)
    element = torch.arange(4)
    for e in element:
        e.add_(1)
    return (block_widths, stage_depths, rates[0], len(rates), shifted.tolist(), viewed.tolist(),
            element.tolist())
'''


def _evaluate(source: str, name: str, args: tuple):
    interp = Interpreter(parse(source.encode()), [TorchFrontEnd()])
    interp.run_module()
    with interp.tracing():
        return interp.call(interp.globals.vars[name], list(args), {}, None)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 30), st.sampled_from([8, 16, 24, 32, 48, 56, 80, 96, 200]), st.floats(0.0, 80.0),
       st.floats(1.5, 3.0), st.sampled_from([8, 16, 24]))
def test_sizes_computed_with_tensors_are_pytorchs(depth, w_0, w_a, w_m, group_width):
    """RegNet computes its widths with torch ops: cnnlint runs them on the values, in float32.  A width that
    PyTorch's own last bits decide (8 * 1.5 ** 1 / 8 rounds a tie at 1.5) stays unknown, never guessed."""
    namespace: dict = {}
    exec(REGNET_WIDTHS, namespace)  # noqa: S102 - the test's own source
    block_widths, stage_depths, first_rate, n_rates, *_ = namespace["widths"](depth, w_0, w_a, w_m, group_width)
    got = _evaluate(REGNET_WIDTHS, "widths", (depth, w_0, w_a, w_m, group_width))
    if isinstance(got[0], Unknown):
        assert got[2:4] == (first_rate, n_rates)
    else:
        assert got[:4] == (block_widths, stage_depths, first_rate, n_rates)


def test_a_tensor_written_into_is_no_longer_followed():
    """``x += 1``, ``x[1:].mul_(2)``, ``e.add_(1)`` for e in x change the tensor in place: cnnlint stops
    following its values rather than keep old ones."""
    got = _evaluate(REGNET_WIDTHS, "widths", (4, 16, 8.0, 2.0, 8))
    assert [type(v).__name__ for v in got[4:]] == ["Unknown"] * 3


def test_modulo_of_a_symbolic_size_is_pythons_for_every_size():
    """swin pads to a multiple of its window, ``(7 - W % 7) % 7``: with W symbolic the padding stays an
    expression (never unknown), equal to Python's for every W."""
    from cnnlint import dims

    source = "def pad(w):\n    return (7 - w % 7) % 7, w % 4 + w // 4 * 4\n"
    width = dims.Expr.symbol("W")
    padding, whole = _evaluate(source, "pad", (width,))
    for w in range(1, 60):
        assert (dims.evaluate(padding, {"W": w}), dims.evaluate(whole, {"W": w})) == ((7 - w % 7) % 7, w)


NEST_BLOCKS = '''
import torch


def blocks(levels, start, end, step):
    per_level = (4 ** torch.arange(levels, device="cpu", dtype=torch.long)).flip(0).tolist()
    flipped = torch.flip(torch.arange(levels, dtype=torch.int64) * 3, [0]).tolist()
    steps = torch.arange(start, end, step, dtype=torch.float32).tolist()
    return per_level, flipped, steps
'''


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 6), st.integers(-5, 5), st.integers(0, 20), st.sampled_from([1, 2, 3, -1]))
def test_values_of_a_range_given_a_type_are_pytorchs(levels, start, length, step):
    """NesT's blocks per level, ``(4 ** torch.arange(n, dtype=torch.long)).flip(0).tolist()``: sizes, known."""
    end = start + length * step
    namespace: dict = {}
    exec(NEST_BLOCKS, namespace)  # noqa: S102 - the test's own source
    assert _evaluate(NEST_BLOCKS, "blocks", (levels, start, end, step)) == namespace["blocks"](levels, start, end, step)


UNKNOWN_SPLIT = '''
import os


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.sizes = [int(os.environ["SPLIT"]), 4]

    def forward(self, x):
        q, k = self.fc(x).split(self.sizes, dim=1)
        return q + k
'''


def test_a_value_that_cannot_be_unpacked_names_why():
    """``q, k = x.split(sizes)`` with sizes cnnlint cannot compute: the note says why (the real cause, as
    PyTorch's sizes come from the environment), never the evaluator's repr of what it does not know."""
    model, diagnostics = _lint(UNKNOWN_SPLIT, (8,))
    (note,) = [d.message for d in diagnostics if d.code == "CNN900"]
    assert model.output_shape is None
    assert note.startswith("cannot unpack q, k: the pieces of split() are not known: ") and "os.environ" in note
    assert "Unknown(" not in note


UNKNOWN_SPLIT_BLOCKS = UNKNOWN_SPLIT.replace("class Model(", "class Block(") + '''

class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([Block() for _ in range(6)])
        self.widen = nn.Linear(4, 8)

    def forward(self, x):
        for block in self.blocks:
            x = self.widen(block(x))
        return x
'''


def test_a_value_that_cannot_be_unpacked_names_why_once():
    """The same unpacking met again in the next block, on what the first left unknown, names the cause once
    (vit_pytorch's CrossFormer printed 'cannot unpack q, k, v: ' eighteen times over)."""
    model, diagnostics = _lint(UNKNOWN_SPLIT_BLOCKS, (8,))
    notes = {d.message for d in diagnostics if d.code == "CNN900"}
    assert model.output_shape is None
    assert notes and all(note.count("cannot unpack q, k") == 1 and "os.environ" in note for note in notes), notes
