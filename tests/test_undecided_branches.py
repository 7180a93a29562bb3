"""Models whose ``forward`` takes a branch cnnlint cannot decide, against PyTorch.

Without an input size, conditions on H and W are undecidable: cnnlint follows
both branches and keeps what they agree on.  Each source is a minimal
reproduction of real model code (torchvision's and timm's swin, timm's hrnet,
crossvit, mobilevit, eva); PyTorch runs it at input sizes that take either
branch, and the parameter counts and output shapes must equal cnnlint's.
"""

from __future__ import annotations

import textwrap

import pytest

torch = pytest.importorskip("torch")

from cnnlint.runner import Options, lint_source  # noqa: E402
from tests.test_realworld_constructs import HEADER, real  # noqa: E402


def agrees_at_every_size(body: str, name: str, run_on: list):
    """cnnlint, given no input size, is exact and agrees with PyTorch run at each of ``run_on``."""
    source = HEADER + textwrap.dedent(body)
    namespace: dict = {}
    exec(compile(source, "model.py", "exec"), namespace)  # the oracle: real PyTorch runs the snippet
    result = lint_source("model.py", source.encode(), Options(model=name))
    assert not [d for d in result.diagnostics if d.severity == "error"], result.diagnostics
    (report,) = result.models
    assert [d.message for d in result.diagnostics if d.code == "CNN900"] == []
    for shape in run_on:
        assert (report.total_params, report.output_shape) == real(namespace[name](), shape), shape
    return report


SHIFTED_WINDOWS = """
def window_attention(x, qkv, ws, shift, heads):
    B, H, W, C = x.shape
    pad_r = (ws - W % ws) % ws
    pad_b = (ws - H % ws) % ws
    x = F.pad(x, (0, 0, 0, pad_r, 0, pad_b))
    _, pad_H, pad_W, _ = x.shape
    shift_size = [shift, shift]
    if ws >= pad_H:  # a window as large as the map: no shift
        shift_size[0] = 0
    if ws >= pad_W:
        shift_size[1] = 0
    if sum(shift_size) > 0:
        x = torch.roll(x, shifts=(-shift_size[0], -shift_size[1]), dims=(1, 2))
    num_windows = (pad_H // ws) * (pad_W // ws)
    x = x.view(B, pad_H // ws, ws, pad_W // ws, ws, C)
    x = x.permute(0, 1, 3, 2, 4, 5).reshape(B * num_windows, ws * ws, C)
    q, k, v = qkv(x).reshape(x.size(0), x.size(1), 3, heads, C // heads).permute(2, 0, 3, 1, 4)
    attn = q.matmul(k.transpose(-2, -1))
    if sum(shift_size) > 0:
        mask = x.new_zeros((pad_H, pad_W))
        mask = mask.view(pad_H // ws, ws, pad_W // ws, ws).permute(0, 2, 1, 3).reshape(num_windows, ws * ws)
        mask = mask.unsqueeze(1) - mask.unsqueeze(2)
        attn = attn.view(x.size(0) // num_windows, num_windows, heads, x.size(1), x.size(1))
        attn = attn + mask.unsqueeze(1).unsqueeze(0)
        attn = attn.view(-1, heads, x.size(1), x.size(1))
    x = attn.softmax(-1).matmul(v).transpose(1, 2).reshape(x.size(0), x.size(1), C)
    x = x.view(B, pad_H // ws, pad_W // ws, ws, ws, C).permute(0, 1, 3, 2, 4, 5).reshape(B, pad_H, pad_W, C)
    return x[:, :H, :W, :]


def patch_merging(x):
    H, W, _ = x.shape[-3:]
    x = F.pad(x, (0, 0, 0, W % 2, 0, H % 2))
    return torch.cat([x[..., 0::2, 0::2, :], x[..., 1::2, 0::2, :], x[..., 0::2, 1::2, :], x[..., 1::2, 1::2, :]], -1)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Conv2d(3, 8, 2, 2)
        self.qkv = nn.Linear(8, 24)
        self.reduce = nn.Linear(32, 16)
        self.qkv2 = nn.Linear(16, 48)
        self.head = nn.Linear(16, 10)

    def forward(self, x):
        x = self.embed(x).permute(0, 2, 3, 1)
        x = x + window_attention(x, self.qkv, 4, 2, 2)
        x = self.reduce(patch_merging(x))
        x = x + window_attention(x, self.qkv2, 4, 2, 2)
        return self.head(x.mean((1, 2)))
"""


def test_swin_shifted_windows_exact_at_any_input_size():
    # the mask is built only when the map is larger than a window; both paths leave attn the same shape,
    # once (batch·windows) // windows is seen to be the batch
    report = agrees_at_every_size(SHIFTED_WINDOWS, "Net", [(3, 20, 20), (3, 8, 8), (3, 10, 26), (3, 4, 4)])
    assert report.input_source == "symbolic"  # attn.view(-1, heads, n, n) implies no input size


def test_hrnet_head_calls_forward_itself():
    # `if y is None` decides itself once the module's forward() called by name is followed, as calling it is
    agrees_at_every_size("""
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.incre = nn.ModuleList([nn.Conv2d(3, 8, 3, padding=1), nn.Conv2d(3, 16, 3, stride=2, padding=1)])
            self.down = nn.ModuleList([nn.Sequential(nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.ReLU())])
            self.final = nn.Conv2d(16, 32, 1)
            self.head = nn.Linear(32, 10)

        def forward(self, x):
            y = None
            for i, incre in enumerate(self.incre):
                if y is None:
                    y = incre(x)
                else:
                    down = self.down[i - 1]
                    y = incre(x) + down.forward(y)
            y = self.final.forward(y)
            return self.head(y.mean((2, 3)))
    """, "Net", [(3, 16, 16), (3, 9, 13)])


CHOSEN_BY_THE_ENVIRONMENT = """
import os

WIDE = os.environ.get("WIDE", "") == "1"


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        {body}

    def forward(self, x):
        return self.fc(x)
"""


@pytest.mark.parametrize("body", [
    # a parameter of either shape: neither count is a fact
    "self.w = nn.Parameter(torch.zeros(3, 4)) if WIDE else nn.Parameter(torch.zeros(5, 4))\n"
    "        self.fc = nn.Linear(4, 2)",
    "if WIDE:\n            w = nn.Parameter(torch.zeros(3, 4))\n        else:\n            w = nn.Parameter(torch.zeros(5, 4))\n"
    "        self.w = w\n        self.fc = nn.Linear(4, 2)",
    # a parameter on one path, a plain tensor of the same shape on the other
    "if WIDE:\n            w = nn.Parameter(torch.zeros(3, 4))\n        else:\n            w = torch.zeros(3, 4)\n"
    "        self.w = w\n        self.fc = nn.Linear(4, 2)",
    # vectors of the same shape whose values differ: a size read out of them is not known
    "if WIDE:\n            widths = torch.tensor([8, 4])\n        else:\n            widths = torch.tensor([6, 4])\n"
    "        self.fc = nn.Linear(4, widths.tolist()[0])",
    # a key filed on one path only: whether the dict holds it, and how many keys it has, are not known
    "sizes = {'a': 1}\n        if WIDE:\n            sizes['b'] = 2\n"
    "        self.fc = nn.Linear(4, len(sizes) + (10 if 'b' in sizes else 0))",
    # an item appended on one path only: how many items the list holds is not known, nor what runs over them
    "widths = [4, 8]\n        if WIDE:\n            widths.append(16)\n"
    "        self.blocks = nn.ModuleList([nn.Linear(4, 4) for _ in range(len(widths))])\n"
    "        self.fc = nn.Sequential(*self.blocks)",
    "widths = [4, 8]\n        if WIDE:\n            widths.append(16)\n"
    "        self.blocks = nn.ModuleList([nn.Linear(4, 4) for _ in widths])\n"
    "        self.fc = nn.Sequential(*self.blocks)",
    "layers = [nn.Linear(4, 4)]\n        if WIDE:\n            layers.append(nn.Linear(4, 4))\n"
    "        count = 0\n        for _ in layers:\n            count += 1\n"
    "        self.fc = nn.Linear(4, count)",
], ids=["parameter-shapes", "parameter-variable", "parameter-or-tensor", "vector-values", "dict-key-on-one-path",
        "list-length", "list-comprehension", "list-loop"])
def test_what_two_paths_leave_differently_is_not_known(body, monkeypatch):
    source = HEADER + CHOSEN_BY_THE_ENVIRONMENT.format(body=body)
    measured = set()
    for wide in ("", "1"):  # PyTorch, on each path: the numbers differ
        monkeypatch.setenv("WIDE", wide)
        namespace: dict = {}
        exec(compile(source, "model.py", "exec"), namespace)
        params, output = real(namespace["Net"](), (4,))
        measured.add((params, tuple(output)))
    assert len(measured) == 2
    result = lint_source("model.py", source.encode(), Options(model="Net", input_shape=(4,)))
    (report,) = result.models
    assert (report.total_params, tuple(report.output_shape or ())) not in measured, result.diagnostics
    assert report.total_params is None
    assert not [d for d in result.diagnostics if d.severity == "error"]


def test_mobilevit_resizes_to_a_multiple_of_the_patch_only_when_it_must():
    # math.ceil(H / p) * p of a symbolic H is a size; the two paths of `if new_h != H` agree on all but H, W
    agrees_at_every_size("""
    import math

    class Net(nn.Module):
        def __init__(self, patch=2):
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3, stride=2, padding=1)
            self.patch_size = (patch, patch)
            self.mix = nn.Linear(8, 8)
            self.fusion = nn.Conv2d(16, 8, 3, padding=1)
            self.head = nn.Linear(8, 10)

        def forward(self, x):
            x = self.conv(x)
            shortcut = x
            patch_h, patch_w = self.patch_size
            B, C, H, W = x.shape
            new_h, new_w = math.ceil(H / patch_h) * patch_h, math.ceil(W / patch_w) * patch_w
            num_patch_h, num_patch_w = new_h // patch_h, new_w // patch_w
            num_patches = num_patch_h * num_patch_w
            interpolate = False
            if new_h != H or new_w != W:
                x = F.interpolate(x, size=(new_h, new_w), mode="bilinear", align_corners=False)
                interpolate = True
            x = x.reshape(B * C * num_patch_h, patch_h, num_patch_w, patch_w).transpose(1, 2)
            x = x.reshape(B, C, num_patches, patch_h * patch_w).transpose(1, 3).reshape(B * patch_h * patch_w,
                                                                                      num_patches, -1)
            x = self.mix(x)
            x = x.contiguous().view(B, patch_h * patch_w, num_patches, -1)
            x = x.transpose(1, 3).reshape(B * C * num_patch_h, num_patch_w, patch_h, patch_w)
            x = x.transpose(1, 2).reshape(B, C, num_patch_h * patch_h, num_patch_w * patch_w)
            if interpolate:
                x = F.interpolate(x, size=(H, W), mode="bilinear", align_corners=False)
            x = self.fusion(torch.cat((shortcut, x), dim=1))
            return self.head(x.mean((2, 3)))
    """, "Net", [(3, 16, 16), (3, 10, 14), (3, 9, 9)])


def _after_a_convolution(body: str):
    """cnnlint's report without an input size, and the PyTorch model, of a 1×1 convolution and then body."""
    source = HEADER + "import math\n" + textwrap.dedent("""
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 1)

        def forward(self, x):
            x = self.conv(x)
    """) + textwrap.indent(textwrap.dedent(body), " " * 8)
    namespace: dict = {}
    exec(compile(source, "model.py", "exec"), namespace)
    (report,) = lint_source("model.py", source.encode(), Options(model="Net")).models
    return report, namespace["Net"]()


@pytest.mark.parametrize("item", ["1:", "0::2", "1::2", "2::3", "3::4"])
def test_a_strided_slice_of_a_symbolic_axis_has_pythons_length(item):
    """The length cnnlint prints for ``x[..., item]`` without an input size, evaluated at each size, is
    PyTorch's wherever the axis is at least the slice's start long."""
    report, model = _after_a_convolution(f"return x[..., {item}]")
    rendered = report.output_shape[-1]
    assert isinstance(rendered, str) and report.output_shape[-2] == "H", report.output_shape
    start = int(item.split(":")[0] or 0)
    for w in range(max(start, 1), 12):
        length = real(model, (3, 5, w))[1][-1]
        assert eval(rendered, {"W": w}) == length, (rendered, w)  # noqa: S307 - cnnlint's own rendering


def _resized(size: str):
    return _after_a_convolution(f"B, C, H, W = x.shape\nreturn F.interpolate(x, size={size})")


def test_ceil_and_floor_of_a_symbolic_quotient_are_sizes():
    report, model = _resized("(math.ceil(H / 4), math.floor(W / 3))")
    for h, w in ((8, 9), (13, 7), (5, 17)):
        output = real(model, (3, h, w))[1]
        assert [eval(d, {"H": h, "W": w}) for d in report.output_shape[-2:]] == output[-2:]  # noqa: S307


def test_ceil_and_floor_of_what_is_done_to_a_symbolic_quotient_are_not_known():
    # ceil(H / 4 + 1) is not ceil(H / 4), nor floor(-(W / 3)) floor(W / 3)
    report, _ = _resized("(math.ceil(H / 4 + 1), math.floor(-(W / 3)))")
    assert report.output_shape is None or report.output_shape[-2:] == [None, None]
