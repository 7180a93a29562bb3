"""Layer factories in timm's style, each in a small snippet, against real PyTorch.

timm builds every CNN through helpers that test what they were given
(``isinstance(norm_layer, (type, str, types.FunctionType, functools.partial))``),
unbind partials, look names up in dicts of classes, ask ``'silu' in dir(F)``,
decode block strings with ``re.split`` and call builder objects.  Each must be
decided as Python decides it, or left unknown (null with a CNN900) where the
answer depends on something cnnlint cannot see — never guessed.
"""

from __future__ import annotations

import importlib
import sys
import textwrap

import pytest

torch = pytest.importorskip("torch")

from cnnlint.frontends.torch.layers import NN_FUNCTIONAL, TORCH  # noqa: E402
from cnnlint.runner import Options, lint_path, lint_source  # noqa: E402
from tests.test_realworld_constructs import HEADER, agrees, real  # noqa: E402

#: timm's layer factories (layers/create_norm.py, create_act.py, helpers.py), reduced
FACTORIES = """
import collections.abc
import functools
import types
from itertools import repeat

_has_silu = 'silu' in dir(torch.nn.functional)
_has_hardswish = 'hardswish' in dir(torch.nn.functional)

def swish(x, inplace=False):
    return x * x.sigmoid()

class Swish(nn.Module):
    def forward(self, x):
        return swish(x)

_ACT_LAYERS = dict(silu=nn.SiLU if _has_silu else Swish, relu=nn.ReLU,
                   hard_swish=nn.Hardswish if _has_hardswish else Swish)
_NORM_MAP = dict(batchnorm=nn.BatchNorm2d, groupnorm=nn.GroupNorm)

def get_act_layer(name='relu'):
    if name is None:
        return None
    if not isinstance(name, str):
        return name
    return _ACT_LAYERS[name.lower()]

def get_norm_layer(norm_layer):
    assert isinstance(norm_layer, (type, str, types.FunctionType, functools.partial))
    norm_kwargs = {}
    if isinstance(norm_layer, functools.partial):
        norm_kwargs.update(norm_layer.keywords)
        norm_layer = norm_layer.func
    if isinstance(norm_layer, str):
        norm_layer = _NORM_MAP[norm_layer.replace('_', '').lower()]
    if norm_kwargs:
        norm_layer = functools.partial(norm_layer, **norm_kwargs)
    return norm_layer

def _ntuple(n):
    def parse(x):
        if isinstance(x, collections.abc.Iterable) and not isinstance(x, str):
            return tuple(x)
        return tuple(repeat(x, n))
    return parse

to_2tuple = _ntuple(2)
"""


@pytest.mark.parametrize("norm, act", [("nn.BatchNorm2d", "'silu'"), ("'batchnorm'", "nn.ReLU"),
                                       ("partial(nn.BatchNorm2d, momentum=0.01)", "'hard_swish'"),
                                       ("functools.partial(nn.BatchNorm2d, eps=1e-3)", "None")])
def test_norm_and_act_factories_decide_what_they_were_given(norm, act):
    agrees(FACTORIES + f"""
class ConvNormAct(nn.Module):
    def __init__(self, cin, cout, kernel_size=3, norm_layer={norm}, act_layer={act}):
        super().__init__()
        norm_layer = get_norm_layer(norm_layer)
        act_layer = get_act_layer(act_layer)
        k = to_2tuple(kernel_size)
        self.conv = nn.Conv2d(cin, cout, k, padding=(k[0] // 2, k[1] // 2))
        self.bn = norm_layer(cout)
        self.act = act_layer() if act_layer is not None else nn.Identity()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = ConvNormAct(3, 8, kernel_size=(3, 5))
        self.body = ConvNormAct(8, 16)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        return self.fc(self.body(self.stem(x)).mean((2, 3)))
""", "Net")


@pytest.mark.parametrize("norm", ["functools.partial(nn.InstanceNorm2d, affine=False)",
                                  "functools.partial(nn.BatchNorm2d, affine=True)", "nn.BatchNorm2d",
                                  "nn.InstanceNorm2d"])
@pytest.mark.parametrize("test", ["type(norm_layer) == functools.partial", "type(norm_layer) is functools.partial",
                                  "not type(norm_layer) != functools.partial",
                                  "functools.partial == type(norm_layer)"])
def test_the_type_of_a_partial_decides_a_branch_as_in_pix2pix(norm, test):
    """pytorch-CycleGAN-and-pix2pix: ``use_bias`` from the type of the normalization factory it was given."""
    agrees(f"""
import functools

class Block(nn.Module):
    def __init__(self, norm_layer={norm}):
        super().__init__()
        if {test}:
            use_bias = norm_layer.func == nn.InstanceNorm2d
        else:
            use_bias = norm_layer == nn.InstanceNorm2d
        self.conv = nn.Conv2d(3, 8, 3, bias=use_bias)
        self.norm = norm_layer(8)

    def forward(self, x):
        return self.norm(self.conv(x))
""", "Block")


def test_block_strings_decoded_by_a_builder_object_called_like_a_function():
    """efficientnet's builder: ``re.split`` over block strings, an object with ``__call__``."""
    agrees("""
        import re

        def decode(block):
            options = {}
            for op in block.split('_'):
                key, value = re.split(r'(\\d.*)', op)[:2]
                options[key] = value
            return dict(out_chs=int(options['c']), stride=int(options['s']), kernel=int(options['k']))

        class Builder:
            def __init__(self, act_layer):
                self.act_layer = act_layer

            def __call__(self, in_chs, arch):
                stages = []
                for block in [decode(b) for b in arch]:
                    stages.append(nn.Sequential(
                        nn.Conv2d(in_chs, block['out_chs'], block['kernel'], block['stride'], block['kernel'] // 2),
                        self.act_layer()))
                    in_chs = block['out_chs']
                return stages

        class Net(nn.Module):
            def __init__(self, arch=('c8_s1_k3', 'c16_s2_k5')):
                super().__init__()
                self.blocks = nn.Sequential(*Builder(nn.ReLU)(3, arch))

            def forward(self, x):
                return self.blocks(x)
    """, "Net")


def test_a_str_enum_compares_as_its_members_do():
    """timm's ``Format(str, Enum)``: ``Format('NHWC')`` is the member ``Format.NHWC``, equal to 'NHWC'."""
    agrees("""
        from enum import Enum

        class Format(str, Enum):
            NCHW = 'NCHW'
            NHWC = 'NHWC'

        class Embed(nn.Module):
            def __init__(self, output_fmt=None):
                super().__init__()
                self.proj = nn.Conv2d(3, 6, 4, 4)
                self.output_fmt = Format(output_fmt) if output_fmt is not None else Format.NCHW

            def forward(self, x):
                x = self.proj(x)
                if self.output_fmt != Format.NCHW:
                    x = nchw_to(x, self.output_fmt)
                return x

        def nchw_to(x, fmt):
            if fmt == Format.NHWC:
                x = x.permute(0, 2, 3, 1)
            return x

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.embed = Embed(output_fmt='NHWC')
                self.fc = nn.Linear(6, 5)

            def forward(self, x):
                return self.fc(self.embed(x))
    """, "Net")


def test_constant_padding_of_a_rank_4_tensor_as_in_pytorch():
    agrees("""
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.qkv = nn.Conv2d(3, 24, 1)

            def forward(self, x):
                B, _, H, W = x.shape
                v = self.qkv(x).reshape(B, 3, 8, H * W).transpose(-1, -2)
                return F.pad(v, (0, 1), mode="constant", value=1.0)
    """, "Net")


def lint_notes(body: str, name="Net"):
    source = HEADER + textwrap.dedent(body)
    result = lint_source("model.py", source.encode(), Options(model=name, input_shape=(3, 8, 8)))
    assert not [d for d in result.diagnostics if d.severity == "error"], result.diagnostics
    (report,) = result.models
    return report, [d.message for d in result.diagnostics if d.code == "CNN900"]


@pytest.mark.parametrize("test", [
    "isinstance(Norm, type)",  # a library's name: a class or a function, cnnlint cannot tell
    "'future_op' in dir(F)",  # a name cnnlint does not model: it depends on the installed torch
    "hasattr(F, 'future_op')",
    "hasattr(self.conv, 'transposed')",  # an attribute of a PyTorch layer that cnnlint does not model
    "_MAP.get(Norm.__name__.lower()) is None",  # a key cnnlint cannot compute is no missing key
])
def test_what_depends_on_names_cnnlint_cannot_see_stays_unknown(test):
    report, notes = lint_notes("""
        from somelib import Norm
        _MAP = dict(batchnorm=nn.BatchNorm2d)
    """ + extra_layer_if(test))
    assert report.total_params is None and notes


def extra_layer_if(test: str) -> str:
    """A module whose second layer exists only when test holds."""
    return f"""
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(3, 8, 3)
                self.extra = nn.Conv2d(8, 8, 1) if {test} else nn.Identity()

            def forward(self, x):
                return self.extra(self.conv(x))
    """


@pytest.mark.parametrize("test", [
    "hasattr(self, 'head')",  # never set on this module: PyTorch raises AttributeError
    "hasattr(self, 'conv')",
    "hasattr(Settings(), 'width')",  # a plain class of the code: its attributes are all known
    "hasattr(Settings(), 'depth')",
    "hasattr(8, 'bit_length')",
    "hasattr(self.conv, 'fuse_hint')",  # no torch layer has it, and the code never set it
    "hasattr(self.conv, 'padding_mode')",
    "hasattr('relu', 'width')",
])
def test_hasattr_is_decided_where_the_attribute_is_certainly_there_or_certainly_absent(test):
    agrees("""
        class Settings:
            width = 8
    """ + extra_layer_if(test), "Net")


@pytest.mark.parametrize("value, params", [(2, 3 * 8 * 9 + 8 + 8 * 8 + 8), (1, 3 * 8 * 9 + 8)])
def test_a_plain_enum_member_is_looked_up_by_value_and_compared_by_identity(value, params):
    """``Mode(2)`` is the member ``Mode.B`` itself, as in Python; ``==`` on members is identity."""
    report, notes = lint_notes(f"""
        from enum import Enum

        class Mode(Enum):
            A = 1
            B = 2

        class Net(nn.Module):
            def __init__(self, mode=Mode({value})):
                super().__init__()
                self.conv = nn.Conv2d(3, 8, 3)
                self.extra = nn.Conv2d(8, 8, 1) if mode == Mode.B else nn.Identity()

            def forward(self, x):
                return self.extra(self.conv(x))
    """)
    assert report.total_params == params, notes


def test_a_pathological_regular_expression_is_not_run():
    report, notes = lint_notes("""
        import re
        parts = re.split('(a+)+$', 'a' * 40 + 'b')

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.convs = nn.ModuleList([nn.Conv2d(3, 3, 1) for _ in parts])

            def forward(self, x):
                for conv in self.convs:
                    x = conv(x)
                return x
    """)
    assert report.total_params is None and notes  # and the run ends: run, it would take hours


def test_names_said_to_be_in_torch_nn_and_functional_are_there():
    """What ``dir(torch.nn.functional)`` and ``dir(torch.nn)`` answer True for, real torch has."""
    assert [name for name in NN_FUNCTIONAL if not hasattr(torch.nn.functional, name)] == []
    assert [name for name in TORCH.builders if not hasattr(torch.nn, name)] == []


def test_names_re_exported_by_a_package_are_one_definition(tmp_path, monkeypatch):
    """``from .norm_act import BatchNormAct`` in ``layers/__init__.py`` and in a factory module name one
    class: ``norm_layer in _NORM_ACT_TYPES`` holds.  ``from layers import create_attn`` is the function
    ``__init__`` binds, not the submodule of the same name."""
    package = tmp_path / "layers"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from .norm_act import BatchNormAct\nfrom .create_attn import create_attn\nfrom .factory import get_norm_act\n")
    (package / "norm_act.py").write_text(HEADER + textwrap.dedent("""
        class BatchNormAct(nn.BatchNorm2d):
            def __init__(self, num_features, act_layer=nn.ReLU):
                super().__init__(num_features)
                self.act = act_layer()

            def forward(self, x):
                return self.act(super().forward(x))
    """))
    (package / "create_attn.py").write_text(HEADER + textwrap.dedent("""
        def create_attn(channels):
            return nn.Conv2d(channels, channels, 1)
    """))
    (package / "factory.py").write_text(HEADER + textwrap.dedent("""
        from .norm_act import BatchNormAct
        _NORM_ACT_TYPES = {BatchNormAct}

        def get_norm_act(norm_layer):
            if norm_layer in _NORM_ACT_TYPES:
                return norm_layer
            return None
    """))
    (tmp_path / "model.py").write_text(HEADER + textwrap.dedent("""
        from layers import BatchNormAct, create_attn, get_norm_act

        class Net(nn.Module):
            def __init__(self, norm_layer=BatchNormAct):
                super().__init__()
                self.conv = nn.Conv2d(3, 8, 3)
                self.bn = get_norm_act(norm_layer)(8)
                self.attn = create_attn(8)

            def forward(self, x):
                return self.attn(self.bn(self.conv(x)))
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        expected = real(importlib.import_module("model").Net(), (3, 16, 16))
    finally:
        for name in [n for n in sys.modules if n in ("model", "layers") or n.startswith("layers.")]:
            del sys.modules[name]
    result = lint_path(str(tmp_path / "model.py"), Options(model="Net", input_shape=(3, 16, 16)))
    (report,) = result.models
    assert (report.total_params, report.output_shape) == expected, result.diagnostics


def test_submodules_registered_by_keyword_and_concatenated_in_forward():
    """pytorchcv's MixConv: ``self.add_module(name=str(i), module=...)``, then a cat over ``self._modules``."""
    agrees("""
        class MixConv(nn.Module):
            def __init__(self, in_channels, out_channels, kernel_sizes=(3, 5)):
                super().__init__()
                self.splits = [in_channels // len(kernel_sizes)] * len(kernel_sizes)
                for i, k in enumerate(kernel_sizes):
                    self.add_module(name=str(i), module=nn.Conv2d(
                        in_channels=self.splits[i], out_channels=out_channels // len(kernel_sizes),
                        kernel_size=k, padding=k // 2))

            def forward(self, x):
                xx = torch.split(x, self.splits, dim=1)
                out = [conv_i(x_i) for x_i, conv_i in zip(xx, self._modules.values())]
                return torch.cat(tuple(out), dim=1)

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.stem = nn.Conv2d(3, 8, 3)
                self.mix = MixConv(8, 16)

            def forward(self, x):
                return self.mix(self.stem(x))
    """, "Net")


def test_feature_info_a_builder_object_collects_selects_the_inputs_of_a_cat():
    """mobilenetv5's multi-scale fusion: the builder's ``features`` say which stage outputs are concatenated."""
    agrees("""
        class Builder:
            def __init__(self):
                self.features = []

            def __call__(self, in_chs, widths):
                stages = []
                for i, w in enumerate(widths):
                    stages.append(nn.Conv2d(in_chs, w, 3, 2 if i else 1, 1))
                    self.features.append(dict(num_chs=w, stage=i))
                    in_chs = w
                return stages

        class Net(nn.Module):
            def __init__(self, widths=(8, 16, 24), fuse_indices=(-2, -1)):
                super().__init__()
                builder = Builder()
                self.stages = nn.ModuleList(builder(3, widths))
                self.feature_info = builder.features
                self.fuse_indices = [i % len(self.feature_info) for i in fuse_indices]
                self.fuse = nn.Conv2d(sum(self.feature_info[i]['num_chs'] for i in self.fuse_indices), 32, 1)

            def forward(self, x):
                intermediates = []
                for i, stage in enumerate(self.stages):
                    x = stage(x)
                    if i in self.fuse_indices:
                        intermediates.append(F.interpolate(x, size=(8, 8)))
                return self.fuse(torch.cat(intermediates, dim=1))
    """, "Net")


def test_a_convolution_keeps_its_sizes_as_tuples_as_in_pytorch():
    """timm's Conv2dSame pads by ``self.kernel_size[0]``: nn.Conv2d keeps ``kernel_size=3`` as (3, 3)."""
    agrees("""
        import math

        def get_same_padding(x, kernel_size, stride, dilation):
            return max((math.ceil(x / stride) - 1) * stride + (kernel_size - 1) * dilation + 1 - x, 0)

        class Conv2dSame(nn.Conv2d):
            def forward(self, x):
                ih, iw = x.size()[-2:]
                pad_h = get_same_padding(ih, self.kernel_size[0], self.stride[0], self.dilation[0])
                pad_w = get_same_padding(iw, self.kernel_size[1], self.stride[1], self.dilation[1])
                x = F.pad(x, (pad_w // 2, pad_w - pad_w // 2, pad_h // 2, pad_h - pad_h // 2))
                return super().forward(x)

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = Conv2dSame(3, 8, 3, stride=2)
                self.head = nn.Conv2d(8, 4, self.conv.kernel_size, padding=self.conv.padding)

            def forward(self, x):
                return self.head(self.conv(x)).norm(p=2, dim=(2, 3), keepdim=True)
    """, "Net", input_shape=(3, 33, 33))


def test_the_input_a_layer_subclass_declares_is_found_before_its_forward_reads_sizes():
    """Without an input shape, the first layer is a Conv2d subclass whose forward reads ``x.size()``:
    its in_channels say what the model takes, and a classifier's output is known."""
    source = HEADER + textwrap.dedent("""
        class Conv2dSame(nn.Conv2d):
            def forward(self, x):
                n, c, ih, iw = x.size()
                x = F.pad(x, (1, 1, 1, 1)) if c == self.in_channels else x
                return super().forward(x)

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = Conv2dSame(3, 8, 3, stride=2)
                self.fc = nn.Linear(8, 10)

            def forward(self, x):
                return self.fc(self.conv(x).mean((2, 3)))
    """)
    result = lint_source("model.py", source.encode(), Options(model="Net"))
    (report,) = result.models
    assert (report.total_params, report.output_shape) == (3 * 8 * 9 + 8 + 8 * 10 + 10, [10]), result.diagnostics


def test_issubclass_of_the_files_classes_and_math_constants():
    """metaformer: ``use_nchw = not issubclass(token_mixer, Attention)``; edgenext: ``2 * math.pi``."""
    agrees("""
        import math

        class Attention(nn.Module):
            def forward(self, x):
                return x

        class Pooling(nn.Module):
            def __init__(self):
                super().__init__()
                self.pool = nn.AvgPool2d(3, 1, 1)

            def forward(self, x):
                return self.pool(x) - x

        class Stage(nn.Module):
            def __init__(self, dim, token_mixer=Pooling):
                super().__init__()
                self.use_nchw = not issubclass(token_mixer, Attention)
                self.mixer = token_mixer()
                self.mlp = nn.Conv2d(dim, dim, 1) if self.use_nchw else nn.Linear(dim, dim)
                self.scale = nn.Parameter(torch.ones(dim) * (2 * math.pi if self.use_nchw else 1.0))

            def forward(self, x):
                return self.mlp(self.mixer(x))

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.stem = nn.Conv2d(3, 8, 3)
                self.stage = Stage(8)

            def forward(self, x):
                return self.stage(self.stem(x))
    """, "Net")


def test_a_batch_norm_subclass_normalising_through_f_batch_norm():
    """timm's BatchNormAct2d: a BatchNorm2d whose forward calls F.batch_norm with its own statistics."""
    agrees("""
        class BatchNormAct2d(nn.BatchNorm2d):
            def __init__(self, num_features, act_layer=nn.ReLU):
                super().__init__(num_features)
                self.act = act_layer()

            def forward(self, x):
                bn_training = self.training or (self.running_mean is None and self.running_var is None)
                x = F.batch_norm(x, self.running_mean if not self.training or self.track_running_stats else None,
                                 self.running_var if not self.training or self.track_running_stats else None,
                                 self.weight, self.bias, bn_training, 0.1, self.eps)
                return self.act(x)

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(3, 8, 3)
                self.bn = BatchNormAct2d(8)
                self.gn = nn.Conv2d(8, 8, 1)

            def forward(self, x):
                return F.group_norm(self.gn(self.bn(self.conv(x))), 4)
    """, "Net")
