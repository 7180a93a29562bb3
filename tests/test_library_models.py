"""The standard library as model code uses it (namedtuple configurations, ``re`` on block strings, argparse
defaults, ``functools.reduce``), and the torch pieces such code leans on (a convolution's own ``forward``
calling ``F.conv2d``, an ``autograd.Function``), each checked against real PyTorch running the same text."""

from __future__ import annotations

import textwrap

import pytest

from cnnlint.runner import Options, lint_source

from .test_realworld_constructs import agrees

pytest.importorskip("torch")


def lint(source: str, input_shape=(3, 32, 32)):
    header = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
    result = lint_source("m.py", (header + textwrap.dedent(source)).encode(), Options(input_shape=input_shape))
    assert not [d for d in result.diagnostics if d.severity == "error"], result.diagnostics
    return result


# -- collections.namedtuple ------------------------------------------------------------------------------
def test_namedtuple_configurations_as_efficientnet_writes_them():
    agrees("""
        import collections
        from collections import namedtuple
        from typing import NamedTuple

        GlobalParams = collections.namedtuple('GlobalParams', ['width', 'depth', 'num_classes', 'drop'])
        BlockArgs = namedtuple('BlockArgs', 'k s inp out expand')
        GlobalParams.__new__.__defaults__ = (None,) * len(GlobalParams._fields)
        BlockArgs.__new__.__defaults__ = (None,) * len(BlockArgs._fields)
        Head = NamedTuple('Head', [('width', int), ('classes', int)])
        Stage = namedtuple('Stage', ['blocks', 'width'], defaults=[16])

        class Net(nn.Module):
            def __init__(self, blocks, gp, head=Head(32, 10)):
                super().__init__()
                layers = []
                for b in blocks:
                    b = b._replace(out=b.out * gp.width)
                    k, s, inp, out, expand = b
                    layers.append(nn.Conv2d(inp, out, k, s, padding=k // 2))
                    layers.append(nn.Conv2d(out, out * b[4], 1))
                    layers.append(nn.Conv2d(out * b.expand, out, 1))
                self.body = nn.Sequential(*layers)
                stage = Stage._make([2, Stage(1).width])
                self.extra = nn.Sequential(*[nn.Conv2d(out, stage.width, 1) if i == 0 else
                                             nn.Conv2d(stage.width, stage.width, 1) for i in range(stage.blocks)])
                self.neck = nn.Linear(stage.width, head.width)
                self.head = nn.Linear(head.width, gp.num_classes if gp.drop is None else 1)

            def forward(self, x):
                return self.head(self.neck(self.extra(self.body(x)).mean((2, 3))))

        def build():
            gp = GlobalParams(width=2, num_classes=10)
            blocks = [BlockArgs(3, 1, 3, 8, 2), BlockArgs(k=5, s=2, inp=16, out=8, expand=1)]
            blocks[0] = blocks[0]._replace(inp=3)
            assert blocks[1]._asdict()['k'] == 5 and len(blocks[0]) == 5
            return Net(blocks, gp)
    """, "build")


def test_a_namedtuple_called_with_a_missing_field_is_unknown_not_an_error():
    result = lint("""
        from collections import namedtuple
        Args = namedtuple('Args', 'width depth')
        args = Args(8)
        model = nn.Sequential(nn.Conv2d(3, args.width, 3))
    """)
    (model,) = result.models
    assert model.total_params is None
    assert any("Args()" in d.message for d in result.diagnostics if d.code == "CNN900")


# -- re on the strings code spells out ----------------------------------------------------------------
def test_block_strings_decoded_with_re_split():
    agrees("""
        import re

        def decode(block):
            options = {}
            for op in block.split('_'):
                splits = re.split(r'(\\d.*)', op)
                if len(splits) >= 2:
                    key, value = splits[:2]
                    options[key] = value
            return int(options['k']), int(options['s']), int(re.sub('o', '', 'o' + options['o']))

        def build():
            layers, cin = [], 3
            for block in ['k3_s1_o16', 'k5_s2_o24']:
                k, s, cout = decode(block)
                layers.append(nn.Conv2d(cin, cout, k, s, k // 2))
                cin = cout
            return nn.Sequential(*layers)
    """, "build")


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(a)\\1", "a*a*a*a*a*a*a*a*a*b"])
def test_a_pattern_that_could_backtrack_for_ages_is_unknown_and_returns_at_once(pattern):
    result = lint(f"""
        import re
        width = len(re.split('{pattern}', 'a' * 40 + 'c'))
        model = nn.Sequential(nn.Conv2d(3, width, 3))
    """)
    (model,) = result.models
    assert model.total_params is None
    assert any("cannot bound" in d.message for d in result.diagnostics if d.code == "CNN900")


# -- what a torch layer keeps, and autograd functions ---------------------------------------------------------
def test_same_padding_convolutions_with_their_own_forward():
    """efficientnet's and timm's 'SAME' convolutions: ``self.stride`` is a tuple, ``self.weight`` has the
    layer's shape, and ``F.conv2d`` with the module's weight counts them once."""
    agrees("""
        import math

        class StaticSame(nn.Conv2d):
            def __init__(self, in_channels, out_channels, kernel_size, stride=1, image_size=None, **kwargs):
                super().__init__(in_channels, out_channels, kernel_size, stride, **kwargs)
                self.stride = self.stride if len(self.stride) == 2 else [self.stride[0]] * 2
                ih, iw = (image_size, image_size) if isinstance(image_size, int) else image_size
                kh, kw = self.weight.size()[-2:]
                sh, sw = self.stride
                oh, ow = math.ceil(ih / sh), math.ceil(iw / sw)
                pad_h = max((oh - 1) * self.stride[0] + (kh - 1) * self.dilation[0] + 1 - ih, 0)
                pad_w = max((ow - 1) * self.stride[1] + (kw - 1) * self.dilation[1] + 1 - iw, 0)
                if pad_h > 0 or pad_w > 0:
                    self.static_padding = nn.ZeroPad2d((pad_w // 2, pad_w - pad_w // 2, pad_h // 2,
                                                        pad_h - pad_h // 2))
                else:
                    self.static_padding = nn.Identity()

            def forward(self, x):
                x = self.static_padding(x)
                return F.conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)

        class Plain(nn.Conv2d):
            def forward(self, x):
                assert self.bias is None and self.kernel_size == (1, 1) and self.padding == (0, 0)
                return F.conv2d(x, self.weight, None, self.stride, self.padding, self.dilation, self.groups)

        def build():
            return nn.Sequential(StaticSame(3, 8, 3, stride=2, image_size=32),
                                 StaticSame(8, 8, 3, stride=2, image_size=16, groups=8, bias=False),
                                 Plain(8, 4, 1, bias=False))
    """, "build")


def test_an_autograd_function_applied_in_forward():
    agrees("""
        class SwishImplementation(torch.autograd.Function):
            @staticmethod
            def forward(ctx, i):
                result = i * torch.sigmoid(i)
                ctx.save_for_backward(i)
                return result

            @staticmethod
            def backward(ctx, grad_output):
                i = ctx.saved_tensors[0]
                return grad_output * torch.sigmoid(i)

        class Swish(nn.Module):
            def forward(self, x):
                return SwishImplementation.apply(x)

        def build():
            return nn.Sequential(nn.Conv2d(3, 8, 3), Swish(), nn.Conv2d(8, 4, 3))
    """, "build")


# -- argparse: the options as the script runs with none given ------------------------------------------------
def test_a_model_sized_by_command_line_defaults(monkeypatch):
    import sys

    from .test_realworld_constructs import HEADER, lint as lint_model, real

    source = HEADER + textwrap.dedent("""
        import argparse

        base = argparse.ArgumentParser(add_help=False)
        base.add_argument('--in-ch', type=int, default='3')
        parser = argparse.ArgumentParser(description='train', parents=[base])
        group = parser.add_argument_group('model')
        group.add_argument('-w', '--width', type=int, default=16, help='channels')
        group.add_argument('--classes', dest='num_classes', type=int, default=10)
        parser.add_argument('--no-bn', action='store_true')
        parser.add_argument('--bias', action='store_false')
        parser.add_argument('--deep', action=argparse.BooleanOptionalAction, default=True)
        parser.add_argument('--scale', type=float, default=0.5)
        parser.add_argument('--resume', default=None)
        parser.add_argument('--seed', type=int)
        parser.set_defaults(depth=2)
        opt, _ = parser.parse_known_args()
        opt.hidden = int(opt.width * opt.scale * 4)

        layers = [nn.Conv2d(opt.in_ch, opt.width, 3, bias=opt.bias)]
        if not opt.no_bn:
            layers.append(nn.BatchNorm2d(opt.width))
        for _ in range(opt.depth if opt.deep else 1):
            layers.append(nn.Conv2d(opt.width, opt.width, 3, padding=1))
        if opt.resume is None:
            layers += [nn.Flatten(), nn.Linear(opt.width * 30 * 30, opt.hidden),
                       nn.Linear(opt.hidden, opt.num_classes)]
        model = nn.Sequential(*layers)
    """)
    monkeypatch.setattr(sys, "argv", ["model.py"])  # the oracle runs the script with no arguments
    namespace: dict = {}
    exec(compile(source, "model.py", "exec"), namespace)
    report, notes = lint_model(source, "model", (3, 32, 32))
    assert (report.total_params, report.output_shape) == real(namespace["model"], (3, 32, 32)), notes


@pytest.mark.parametrize("option, why", [
    ("parser.add_argument('--width', type=int, required=True)", "--width is given on the command line"),
    ("parser.add_argument('width', type=int)", "width is given on the command line"),
    ("parser.add_argument('--width', type=int)", "--width has no default"),
])
def test_an_option_only_the_command_line_gives_is_unknown(option, why):
    result = lint(f"""
        import argparse
        parser = argparse.ArgumentParser()
        {option}
        parser.add_argument('--classes', type=int, default=10)
        args = parser.parse_args()
        model = nn.Sequential(nn.Conv2d(3, args.width, 3), nn.Flatten(), nn.LazyLinear(args.classes))
    """)
    (model,) = result.models
    assert model.total_params is None
    assert any(why in d.message for d in result.diagnostics if d.code == "CNN900"), result.diagnostics


def test_arguments_given_to_parse_args_in_the_code_are_not_taken_for_the_defaults():
    result = lint("""
        import argparse
        parser = argparse.ArgumentParser()
        parser.add_argument('--width', type=int, default=8)
        args = parser.parse_args(['--width', '16'])
        model = nn.Sequential(nn.Conv2d(3, args.width, 3))
    """)
    (model,) = result.models
    assert model.total_params is None


# -- functools.reduce ------------------------------------------------------------------------------------------
def test_stage_channels_built_with_reduce_as_pytorchcv_builds_them():
    agrees("""
        from functools import reduce
        import functools

        def build():
            init_block_channels = 8
            layers = [1, 2, 2]
            downsample = [0, 1, 1]
            channels_per_layers = [8, 16, 24]
            channels = reduce(lambda x, y: x + [[y[0]] * y[1]] if y[2] != 0 else x[:-1] + [x[-1] + [y[0]] * y[1]],
                              zip(channels_per_layers, layers, downsample), [[]])
            width = functools.reduce(lambda a, b: a * b, [2, 2])
            blocks, cin = [nn.Conv2d(3, init_block_channels, 3)], init_block_channels
            for stage in channels:
                for cout in stage:
                    blocks.append(nn.Conv2d(cin, cout * width // 4, 3, padding=1))
                    cin = cout * width // 4
            return nn.Sequential(*blocks)
    """, "build")


# -- smaller pieces of pytorchcv's style ----------------------------------------------------------------------
def test_generic_alias_calls_callable_objects_and_a_sequential_subclass_looping_over_its_modules():
    agrees("""
        class Scheme:
            def __init__(self, scale):
                self.scale = scale

            def __call__(self, module, x, x_prev):
                return module(x), x

        class DualPath(nn.Sequential):
            def __init__(self, scheme):
                super().__init__()
                self.scheme = scheme

            def forward(self, x):
                x2 = None
                for module in self._modules.values():
                    x, x2 = self.scheme(module, x, x2)
                return x

        class Net(nn.Module):
            def __init__(self, channels=(8, 16)):
                super().__init__()
                first, second = tuple[int, int](channels)
                self.body = DualPath(Scheme(2))
                self.body.add_module("a", nn.Conv2d(3, first, 3))
                self.body.add_module("b", nn.Conv2d(first, second, 3))
                self.tail = nn.Sequential(nn.Conv2d(second, 4, 1), nn.ReLU())

            def forward(self, x):
                for layer in self.tail._modules.values():
                    x = layer(self.body(x) if layer is self.tail[0] else x)
                return x

        def build():
            return Net(list[int]([8, 12]))
    """, "build")


# -- torchvision's weights enums, constants imported from a sibling module, del ------------------------------------
def test_weight_enums_constants_from_a_sibling_module_and_deleted_items(tmp_path):
    """torchvision's builders: ``weights_backbone`` is an Enum member checked with ``type(obj) is str`` and
    ``isinstance(obj, cls)``, its ``meta`` lists categories imported from ``_meta``; and the layer getter
    drops every module after the last one asked for, deleting the names it found."""
    (tmp_path / "_meta.py").write_text("_CATEGORIES = ['cat', 'dog', 'bird']\n")
    body = textwrap.dedent("""
        import enum
        from collections import OrderedDict
        import torch.nn as nn
        from _meta import _CATEGORIES

        class Weights:
            def __init__(self, meta):
                self.meta = meta

        class WeightsEnum(enum.Enum):
            @classmethod
            def verify(cls, obj):
                if obj is not None:
                    if type(obj) is str:
                        obj = cls[obj.replace(cls.__name__ + ".", "")]
                    elif not isinstance(obj, cls):
                        raise TypeError("Invalid Weight class")
                return obj

            @property
            def meta(self):
                return self.value.meta

        class NetWeights(WeightsEnum):
            V1 = Weights({"categories": _CATEGORIES})
            V2 = Weights({"categories": _CATEGORIES + ['fish']})
            DEFAULT = V2

        class Getter(nn.ModuleDict):
            def __init__(self, model, return_layers):
                return_layers = {str(k): str(v) for k, v in return_layers.items()}
                layers = OrderedDict()
                for name, module in model.named_children():
                    layers[name] = module
                    if name in return_layers:
                        del return_layers[name]
                    if not return_layers:
                        break
                super().__init__(layers)

            def forward(self, x):
                for name, module in self.items():
                    x = module(x)
                return x

        def build(weights=NetWeights.DEFAULT):
            weights = NetWeights.verify(weights)
            assert NetWeights(weights.value) is NetWeights.V2 and weights is not NetWeights.V1
            classes = len(weights.meta["categories"]) if weights is not None else 10
            net = nn.Sequential(OrderedDict(conv=nn.Conv2d(3, classes, 3), act=nn.ReLU(),
                                            fc=nn.Linear(classes, 2)))
            return Getter(net, {"act": "out"})
    """)
    path = tmp_path / "model.py"
    path.write_text(body)
    from cnnlint.runner import lint_path

    import sys

    sys.path.insert(0, str(tmp_path))
    try:
        namespace: dict = {}
        exec(compile(body, str(path), "exec"), namespace)
        expected = namespace["build"]()
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("_meta", None)
    result = lint_path(str(path), Options(model="build", input_shape=(3, 8, 8)))
    (report,) = result.models
    assert not [d for d in result.diagnostics if d.severity == "error"], result.diagnostics
    assert report.total_params == sum(p.numel() for p in expected.parameters()) == 3 * 4 * 9 + 4
    assert report.output_shape == [4, 6, 6]


def test_a_frozen_mask_made_with_the_legacy_constructor_and_a_masked_weight():
    """pytorchcv's XConv2d: ``nn.Parameter(torch.Tensor(*sizes), requires_grad=False)`` multiplies the weight."""
    source = """
        class XConv2d(nn.Conv2d):
            def __init__(self, in_channels, out_channels, kernel_size, groups=1, **kwargs):
                super().__init__(in_channels=in_channels, out_channels=out_channels, kernel_size=kernel_size,
                                 groups=groups, **kwargs)
                if isinstance(kernel_size, int):
                    kernel_size = (kernel_size, kernel_size)
                self.mask = torch.nn.Parameter(data=torch.Tensor(out_channels, in_channels // groups, *kernel_size),
                                               requires_grad=False)

            def forward(self, input):
                return F.conv2d(input=input, weight=self.weight.mul(self.mask), bias=self.bias, stride=self.stride,
                                padding=self.padding, dilation=self.dilation, groups=self.groups)

        def build():
            return nn.Sequential(XConv2d(3, 8, 3, padding=1), XConv2d(8, 4, 1, groups=2))
    """
    agrees(source, "build")
    model = next(m for m in lint(textwrap.dedent(source) + "model = build()\n").models if m.name == "model")
    assert model.trainable_params == (3 * 8 * 9 + 8) + (4 * 4 + 4)


def test_type_of_a_tensor_or_a_list_decides_a_branch():
    agrees("""
        class Pick(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(3, 4, 3)

            def forward(self, x):
                x = self.conv(x[-1] if type(x) is list else x)
                return [x] if type(x) == torch.Tensor or type(x) is not tuple else x

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.a, self.b = Pick(), nn.Conv2d(4, 2, 1)

            def forward(self, x):
                return self.b(self.a([x, x])[0] if type([x]) is list and type(3) is int else x)

        def build():
            return Net()
    """, "build")


def test_enum_members_with_equal_values_are_one_member_as_in_python():
    agrees("""
        import enum

        class Width(enum.Enum):
            SMALL = 8
            TINY = 8
            LARGE = 16

        def build():
            assert Width.TINY is Width.SMALL and Width(16) is Width.LARGE
            return nn.Sequential(nn.Conv2d(3, Width.TINY.value + (4 if Width.SMALL is Width.TINY else 0), 3))
    """, "build")


@pytest.mark.parametrize("fields", ["[f'f{i}' for i in range(5000)]", "' '.join(f'f{i}' for i in range(5000))"])
def test_a_namedtuple_of_thousands_of_fields_is_unknown_not_built(fields):
    result = lint(f"""
        from collections import namedtuple
        Big = namedtuple('Big', {fields})
        model = nn.Sequential(nn.Conv2d(3, len(Big._fields), 3))
    """)
    (model,) = result.models
    assert model.total_params is None
