"""Constructs of real model code (torchvision's style), each in a small snippet.

cnnlint reads the snippet as text; real PyTorch builds and runs it, and the
two must agree on the parameter count and output shape.  Where cnnlint
cannot follow the code, the count must be null with a CNN900 naming why —
never a different number.
"""

from __future__ import annotations

import importlib
import sys
import textwrap

import pytest

torch = pytest.importorskip("torch")

from cnnlint.runner import Options, lint_path, lint_source  # noqa: E402

HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nfrom functools import partial\n"


def real(model, input_shape) -> tuple:
    model.eval()
    with torch.no_grad():
        y = model(torch.zeros(1, *input_shape))
    return sum(p.numel() for p in model.parameters()), list(y.shape[1:])


def lint(source: str, name: str, input_shape, path="model.py"):
    result = lint_source(path, source.encode(), Options(model=name, input_shape=input_shape))
    assert not [d for d in result.diagnostics if d.severity == "error"], result.diagnostics
    assert len(result.models) == 1, (result.models, result.diagnostics)
    return result.models[0], [d.message for d in result.diagnostics if d.code == "CNN900"]


def agrees(body: str, name: str, input_shape=(3, 32, 32), run_at=None):
    """cnnlint given ``input_shape`` (None: no input size) agrees with PyTorch run at ``run_at`` (default:
    the same shape)."""
    source = HEADER + textwrap.dedent(body)
    namespace: dict = {}
    exec(compile(source, "model.py", "exec"), namespace)  # the oracle: real PyTorch runs the snippet
    report, notes = lint(source, name, input_shape)
    assert (report.total_params, report.output_shape) == real(namespace[name](), run_at or input_shape), notes


def test_make_layer_with_block_expansion_partial_norm_and_kwargs_factory():
    agrees("""
        class Bottleneck(nn.Module):
            expansion = 4

            def __init__(self, inplanes, planes, stride=1, downsample=None, norm_layer=None):
                super().__init__()
                if norm_layer is None:
                    norm_layer = nn.BatchNorm2d
                self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
                self.bn1 = norm_layer(planes)
                self.conv2 = nn.Conv2d(planes, planes * self.expansion, 3, stride, 1, bias=False)
                self.bn2 = norm_layer(planes * self.expansion)
                self.downsample = downsample

            def forward(self, x):
                identity = x if self.downsample is None else self.downsample(x)
                return F.relu(self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))) + identity)

        class Net(nn.Module):
            def __init__(self, block, layers, num_classes=10, norm_layer=None):
                super().__init__()
                self._norm_layer = norm_layer or nn.BatchNorm2d
                self.inplanes = 16
                self.stem = nn.Conv2d(3, 16, 3, padding=1)
                self.layer1 = self._make_layer(block, 16, layers[0])
                self.layer2 = self._make_layer(block, 32, layers[1], stride=2)
                self.fc = nn.Linear(32 * block.expansion, num_classes)

            def _make_layer(self, block, planes, blocks, stride=1):
                downsample = None
                if stride != 1 or self.inplanes != planes * block.expansion:
                    downsample = nn.Sequential(nn.Conv2d(self.inplanes, planes * block.expansion, 1, stride),
                                               self._norm_layer(planes * block.expansion))
                layers = [block(self.inplanes, planes, stride, downsample, self._norm_layer)]
                self.inplanes = planes * block.expansion
                for _ in range(1, blocks):
                    layers.append(block(self.inplanes, planes, norm_layer=self._norm_layer))
                return nn.Sequential(*layers)

            def forward(self, x):
                x = self.layer2(self.layer1(self.stem(x)))
                return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))

        def _net(block, layers, **kwargs):
            return Net(block, layers, **kwargs)

        def net(**kwargs):
            return _net(Bottleneck, [2, 1], norm_layer=partial(nn.BatchNorm2d, eps=1e-3), **kwargs)
    """, "net")


def test_modules_registered_in_loops_with_setattr_and_add_module():
    agrees("""
        class Net(nn.Module):
            def __init__(self, widths=(8, 16, 32)):
                super().__init__()
                previous = 3
                for i, width in enumerate(widths):
                    setattr(self, f"conv{i}", nn.Conv2d(previous, width, 3, padding=1))
                    self.add_module("norm%d" % i, nn.BatchNorm2d(width))
                    previous = width
                self.heads = nn.ModuleList([nn.Linear(previous, 5) for _ in range(2)])
                self.depth = len(widths)

            def forward(self, x):
                for i in range(self.depth):
                    x = getattr(self, f"norm{i}")(getattr(self, f"conv{i}")(x))
                x = x.mean((2, 3))
                return sum(head(x) for head in self.heads)
    """, "Net")


def test_module_dict_subclass_iterated_in_forward_with_a_growing_list():
    agrees("""
        class DenseLayer(nn.Module):
            def __init__(self, channels, growth):
                super().__init__()
                self.conv = nn.Conv2d(channels, growth, 3, padding=1)

            def forward(self, inputs):
                return self.conv(torch.cat(inputs, 1))

        class DenseBlock(nn.ModuleDict):
            def __init__(self, layers, channels, growth):
                super().__init__()
                for i in range(layers):
                    self.add_module("layer%d" % (i + 1), DenseLayer(channels + i * growth, growth))

            def forward(self, x):
                features = [x]
                for name, layer in self.items():
                    features.append(layer(features))
                return torch.cat(features, 1)

        def net():
            return nn.Sequential(DenseBlock(3, 3, 4), nn.Conv2d(15, 2, 1))
    """, "net")


def test_dataclass_configs_enum_like_weights_and_decorated_factories():
    agrees("""
        from dataclasses import dataclass
        from typing import Optional, cast

        @dataclass
        class _Config:
            channels: int
            stride: int
            repeat: int = 1

        class Config(_Config):
            def __init__(self, channels, stride, repeat=1, width=1.0):
                super().__init__(int(channels * width), stride, repeat)

        class Weights:
            @classmethod
            def verify(cls, obj):
                if obj is not None and not isinstance(obj, cls):
                    raise TypeError("not weights")
                return obj

        def register(fn):
            return fn

        class Net(nn.Module):
            def __init__(self, configs, num_classes=10):
                super().__init__()
                layers, previous = [], 3
                for c in configs:
                    for i in range(c.repeat):
                        layers.append(nn.Conv2d(previous, c.channels, 3, c.stride if i == 0 else 1, 1))
                        previous = c.channels
                self.features = nn.Sequential(*layers)
                self.fc = nn.Linear(cast(int, previous), num_classes)

            def forward(self, x):
                return self.fc(self.features(x).mean((2, 3)))

        @register
        def net(*, weights: Optional[Weights] = None, **kwargs):
            weights = Weights.verify(weights)
            if weights is not None:
                kwargs["num_classes"] = 1000
            model = Net([Config(8, 1), Config(16, 2, 2, width=1.5)], **kwargs)
            if weights is not None:
                model.load_state_dict(weights.get_state_dict())
            return model
    """, "net")


def test_eval_mode_scripting_checks_and_tensor_splits():
    agrees("""
        class Shuffle(nn.Module):
            def __init__(self, channels=8):
                super().__init__()
                self.stem = nn.Conv2d(3, channels, 3)
                self.branch = nn.Conv2d(channels // 2, channels // 2, 1)
                self.aux = nn.Linear(channels, 3)
                self.fc = nn.Linear(channels, 4)

            def forward(self, x):
                x = self.stem(x)
                a, b = x.chunk(2, dim=1)
                first, *rest = torch.split(x, [2, 2, 4], 1)
                x = torch.cat((a, self.branch(b)), dim=1)
                noise = torch.empty([x.shape[0], 1, 1, 1]).bernoulli_(0.9)
                x = x * noise.div_(0.9)
                y = self.fc(x.mean((2, 3)))
                if torch.jit.is_scripting():
                    return y, y
                if self.training:
                    return y, self.aux(x.mean((2, 3)))
                return y
    """, "Shuffle")


def test_base_class_and_helpers_from_a_sibling_module(tmp_path, monkeypatch):
    package = tmp_path / "zoo"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "blocks.py").write_text(HEADER + textwrap.dedent("""
        class ConvNormAct(nn.Sequential):
            def __init__(self, cin, cout, stride=1, norm_layer=nn.BatchNorm2d):
                super().__init__(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), norm_layer(cout), nn.ReLU())
                self.out_channels = cout

        def make_divisible(v, divisor=8):
            return max(divisor, int(v + divisor / 2) // divisor * divisor)
    """))
    source = HEADER + textwrap.dedent("""
        from .blocks import ConvNormAct, make_divisible

        class Net(nn.Module):
            def __init__(self, width=1.3):
                super().__init__()
                self.a = ConvNormAct(3, make_divisible(16 * width))
                self.b = ConvNormAct(self.a.out_channels, make_divisible(32 * width), stride=2)
                self.fc = nn.Linear(self.b.out_channels, 7)

            def forward(self, x):
                return self.fc(torch.flatten(F.adaptive_avg_pool2d(self.b(self.a(x)), 1), 1))
    """)
    (package / "model.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        expected = real(importlib.import_module("zoo.model").Net(), (3, 32, 32))
    finally:
        for name in [n for n in sys.modules if n == "zoo" or n.startswith("zoo.")]:
            del sys.modules[name]
    result = lint_path(str(package / "model.py"), Options(model="Net", input_shape=(3, 32, 32)))
    (report,) = result.models
    assert (report.total_params, report.output_shape) == expected


def test_a_loop_that_cannot_be_unrolled_gives_null_and_names_why_not_a_false_error():
    source = HEADER + textwrap.dedent("""
        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.convs = nn.ModuleList([nn.Conv2d(4, 4, 3, padding=1) for _ in range(2)])
                self.fc = nn.Linear(12, 2)

            def forward(self, x):
                features = [x]
                for conv in self.mystery():
                    features.append(conv(x))
                return self.fc(torch.cat(features, 1).mean((2, 3)))
    """)
    report, notes = lint(source, "Block", (4, 8, 8))
    assert report.total_params is None
    assert any("mystery" in note for note in notes), notes


def test_paths_that_return_different_shapes_give_null_not_one_of_them():
    source = HEADER + textwrap.dedent("""
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(3, 4, 3)

            def forward(self, x):
                if x.sum() > 0:
                    return self.conv(x)
                return x
    """)
    report, notes = lint(source, "Net", (3, 8, 8))
    assert report.output_shape is None
    assert any("condition" in note for note in notes), notes


# -- subclasses of torch layers (torchvision's LayerNorm2d, timm's padded convolutions) ----------------
LAYER_SUBCLASSES = """
    class LayerNorm2d(nn.LayerNorm):
        def forward(self, x):
            x = x.permute(0, 2, 3, 1)
            x = F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
            return x.permute(0, 3, 1, 2)

    class PlainConv(nn.Conv2d):
        pass

    class LoggedConv(nn.Conv2d):
        def __init__(self, channels):
            super().__init__(channels, channels * 2, 3, padding=1, bias=False)
            self.calls = 0

        def forward(self, x):
            return super().forward(x)
"""


def test_subclasses_of_torch_layers_count_their_parameters_and_run_their_forward():
    agrees(LAYER_SUBCLASSES + """
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = PlainConv(3, 8, 3, stride=2)
            self.norm = LayerNorm2d(8, eps=1e-6)
            self.conv = LoggedConv(8)
            self.head = nn.Linear(16, 10)

        def forward(self, x):
            x = self.conv(self.norm(self.stem(x)))
            return self.head(x.mean((2, 3)))
    """, "Net")


def test_a_layer_subclass_alone_is_not_a_model_and_gets_no_false_error():
    result = lint_source("model.py", (HEADER + textwrap.dedent(LAYER_SUBCLASSES)).encode(), Options())
    assert result.models == [] and result.diagnostics == []


def test_layer_norm_over_the_wrong_trailing_size_is_an_error_as_in_pytorch():
    source = HEADER + textwrap.dedent(LAYER_SUBCLASSES + """
    model = nn.Sequential(nn.Conv2d(3, 8, 3), LayerNorm2d(6))
    """)
    namespace: dict = {}
    exec(compile(source, "model.py", "exec"), namespace)
    with pytest.raises(RuntimeError):
        namespace["model"](torch.zeros(1, 3, 16, 16))
    result = lint_source("model.py", source.encode(), Options(input_shape=(3, 16, 16)))
    assert [d.code for d in result.diagnostics] == ["CNN101"]


def test_a_layer_subclass_whose_forward_cnnlint_cannot_follow_gives_null():
    source = HEADER + textwrap.dedent("""
        class SameConv(nn.Conv2d):
            def forward(self, x):
                return torch.ops.custom.same_conv(x, self.weight, self.bias, self.stride)

        model = nn.Sequential(SameConv(3, 8, 3), nn.Flatten())
    """)
    report, notes = lint(source, "model", (3, 8, 8))
    namespace: dict = {}
    exec(compile(source, "model.py", "exec"), namespace)  # builds; only running it needs the custom op
    # the output is unknown; the parameters are the convolution's, whatever its forward does with them
    assert report.output_shape is None and notes
    assert report.total_params == sum(p.numel() for p in namespace["model"].parameters())


def test_a_layer_subclass_whose_forward_calls_the_functional_op_with_its_own_weight():
    agrees("""
        class SameConv(nn.Conv2d):
            def forward(self, x):
                return F.conv2d(F.pad(x, (1, 1, 1, 1)), self.weight, self.bias, self.stride)

        def model():
            return nn.Sequential(SameConv(3, 8, 3), nn.Flatten())
    """, "model", (3, 8, 8))


# -- what the analysis cannot compute never shrinks a count or becomes a false error ---------------------
def test_module_list_grown_with_plus_equals_and_numpy_schedules():
    agrees("""
    import numpy as np

    class Net(nn.Module):
        def __init__(self, depth=3):
            super().__init__()
            self.layers = nn.ModuleList()
            for p in np.linspace(0, 0.2, depth).tolist():
                self.layers += [nn.Linear(12, 12), nn.Dropout(p)]
            self.head = nn.Linear(12, 2)

        def forward(self, x):
            for layer in self.layers:
                x = layer(x)
            return self.head(x)
    """, "Net", (12,))


@pytest.mark.parametrize("grow", ["self.layers += [nn.Linear(4, 4)]", "self.layers.append(nn.Linear(4, 4))",
                                  "self.last = nn.Linear(4, 4)"])
@pytest.mark.parametrize("name", ["Net", "build"])
def test_attributes_set_in_a_loop_cnnlint_cannot_run_leave_the_count_unknown(grow, name):
    source = HEADER + textwrap.dedent(f"""
        from elsewhere import schedule

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.layers = nn.ModuleList([nn.Linear(4, 4)])
                for p in schedule():
                    {grow}

            def forward(self, x):
                for layer in self.layers:
                    x = layer(x)
                return x

        def build():
            return Net()
    """)
    report, notes = lint(source, name, (4,))
    assert report.total_params is None
    assert any("schedule()" in note for note in notes), notes


def test_an_attribute_only_annotated_or_an_unknown_argument_is_not_a_false_error():
    source = HEADER + textwrap.dedent("""
        from elsewhere import axis

        class Pad(nn.Module):
            padding: tuple

            def forward(self, x):
                return F.pad(x, self.padding)

        class Lift(nn.Module):
            def forward(self, x):
                return x.unsqueeze(axis())

        model = nn.Sequential(nn.Conv2d(3, 4, 3), Pad(), Lift())
    """)
    report, notes = lint(source, "model", (3, 8, 8))  # lint() asserts no error-level diagnostic
    assert report.output_shape is None and notes


def test_a_class_token_expanded_to_the_batch_as_in_vision_transformers():
    agrees("""
    class Tokens(nn.Module):
        def __init__(self):
            super().__init__()
            self.cls = nn.Parameter(torch.zeros(1, 1, 8))
            self.proj = nn.Conv2d(3, 8, 4, 4)
            self.head = nn.Linear(8, 2)

        def forward(self, x):
            n = x.shape[0]
            x = self.proj(x).flatten(2).transpose(1, 2)
            x = torch.cat([self.cls.expand(n, -1, -1), x], dim=1)
            return self.head(x[:, 0])
    """, "Tokens")


def test_expanding_an_axis_that_is_not_of_size_one_is_an_error_as_in_pytorch():
    source = HEADER + textwrap.dedent("""
        class Widen(nn.Module):
            def forward(self, x):
                return x.expand(-1, 5)

        model = nn.Sequential(nn.Linear(4, 3), Widen())
    """)
    namespace: dict = {}
    exec(compile(source, "model.py", "exec"), namespace)
    with pytest.raises(RuntimeError):
        namespace["model"](torch.zeros(2, 4))
    result = lint_source("model.py", source.encode(), Options(input_shape=(4,)))
    assert [d.code for d in result.diagnostics] == ["CNN101"]


def test_a_transformer_encoder_of_the_tutorials():
    """``nn.TransformerEncoder(nn.TransformerEncoderLayer(...), n)`` counted as PyTorch deep-copies the layer."""
    agrees("""
        class Encoder(nn.Module):
            def __init__(self, d_model=32, nhead=4, layers=2):
                super().__init__()
                self.proj = nn.Linear(16, d_model)
                layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=64, batch_first=True)
                self.encoder = nn.TransformerEncoder(layer, layers, norm=nn.LayerNorm(d_model))
                self.head = nn.Linear(d_model, 5)

            def forward(self, x, mask=None):
                return self.head(self.encoder(self.proj(x), mask)[:, 0])
    """, "Encoder", input_shape=(7, 16))


def test_a_transformer_of_encoder_and_decoder():
    """``nn.Transformer(src, tgt)``: its output has the target's shape; masks change no shape."""
    agrees("""
        class Seq2Seq(nn.Module):
            def __init__(self):
                super().__init__()
                self.transformer = nn.Transformer(32, 4, 2, 1, 64, batch_first=True)
                self.head = nn.Linear(32, 10)

            def forward(self, x):
                tgt = x[:, :3]
                mask = nn.Transformer.generate_square_subsequent_mask(3)
                return self.head(self.transformer(x, tgt, tgt_mask=mask))
    """, "Seq2Seq", input_shape=(7, 32))


@pytest.mark.parametrize("tie", [
    "self.decoder.weight = self.encoder.weight",
    "self.tie_weights()",
    "self.decoder.weight = self.encoder.weight\n        self.decoder.weight = self.encoder.weight",
    "self.decoder.weight = self.encoder.weight\n        self.encoder.weight.requires_grad = False",
    "self.encoder.weight.requires_grad = False",  # pretrained embeddings kept frozen, untied
])
def test_a_weight_tied_to_another_layer_counts_once(tie):
    """The language model's ``decoder.weight = encoder.weight``: PyTorch's ``parameters()`` yields the tied
    weight once, frozen with the layer that owns it."""
    source = tied_language_model(tie)
    namespace: dict = {}
    exec(compile(source, "model.py", "exec"), namespace)
    model = namespace["TiedLM"]()
    expected = (sum(p.numel() for p in model.parameters()),
                sum(p.numel() for p in model.parameters() if p.requires_grad),
                list(model(torch.zeros(1, 7, dtype=torch.long)).shape[1:]))
    report, notes = lint(source, "TiedLM", (7,))
    assert (report.total_params, report.trainable_params, report.output_shape) == expected, notes


@pytest.mark.parametrize("freeze", [
    "self.decoder.weight = self.encoder.weight\n        self.decoder.requires_grad_(False)",
    "self.decoder.bias.requires_grad = False",
])
def test_weights_frozen_in_ways_cnnlint_does_not_follow_are_unknown_and_said_so(freeze):
    """Frozen through the decoder, the tied weight is frozen or not as the code froze it before or after tying
    it; a layer frozen in part has no one trainable flag: unknown, and said so."""
    report, notes = lint(tied_language_model(freeze), "TiedLM", (7,))
    assert (report.total_params, report.trainable_params, report.output_shape) == (None, None, [7, 50])
    assert any("frozen is not known" in note for note in notes), notes


def tied_language_model(tie: str) -> str:
    return HEADER + textwrap.dedent("""
        class TiedLM(nn.Module):
            def __init__(self, ntoken=50, ninp=16):
                super().__init__()
                self.encoder = nn.Embedding(ntoken, ninp)
                self.rnn = nn.GRU(ninp, ninp, batch_first=True)
                self.decoder = nn.Linear(ninp, ntoken)
                TIE

            def tie_weights(self):
                self.decoder.weight = self.encoder.weight

            def forward(self, tokens):
                output, _ = self.rnn(self.encoder(tokens))
                return self.decoder(output)
    """).replace("TIE", tie)


@pytest.mark.parametrize("layers", ["nn.Linear(8, 8), nn.Linear(8, 8)",
                                    "nn.Conv2d(8, 8, 3, padding=1), nn.Conv2d(8, 8, 3, padding=1)"])
@pytest.mark.parametrize("tie", ["b.weight = a.weight", "b.weight = a.weight\nb.bias = a.bias"])
def test_layers_of_a_sequential_sharing_weight_and_bias(layers, tie):
    """A tied parameter counts once in the model holding both layers, and fully in a model holding one."""
    source = HEADER + f"a, b = {layers}\n{tie}\nboth = nn.Sequential(a, nn.ReLU(), b)\nalone = nn.Sequential(b)\n"
    namespace: dict = {}
    exec(compile(source, "model.py", "exec"), namespace)
    shape = (8, 4, 4) if "Conv" in layers else (8,)
    for name in ("both", "alone"):
        report, notes = lint(source, name, shape)
        assert (report.total_params, report.output_shape) == real(namespace[name], shape), notes


def test_parameter_lists_and_dicts_hold_their_parameters():
    """``nn.ParameterList``/``nn.ParameterDict``: modules holding parameters (plain tensors put there become
    parameters), indexed and iterated in forward."""
    source = HEADER + textwrap.dedent("""
        class Net(nn.Module):
            def __init__(self, tasks=3):
                super().__init__()
                self.scales = nn.ParameterList([nn.Parameter(torch.ones(8)) for _ in range(tasks)])
                self.offsets = nn.ParameterList(torch.zeros(8) for _ in range(2))
                self.extra = nn.ParameterDict({"gain": nn.Parameter(torch.ones(1)),
                                               "shift": nn.Parameter(torch.zeros(8), requires_grad=False)})
                self.fc = nn.Linear(8, 8)

            def forward(self, x):
                for scale in self.scales:
                    x = self.fc(x) * scale
                for name in self.extra:
                    x = x + self.extra[name]
                return x + self.offsets[1] + self.scales[-1]
    """)
    namespace: dict = {}
    exec(compile(source, "model.py", "exec"), namespace)
    model = namespace["Net"]()
    expected = (sum(p.numel() for p in model.parameters()),
                sum(p.numel() for p in model.parameters() if p.requires_grad), list(model(torch.zeros(1, 8)).shape[1:]))
    report, notes = lint(source, "Net", (8,))
    assert (report.total_params, report.trainable_params, report.output_shape) == expected, notes


@pytest.mark.parametrize("normalize", ["torch.nn.utils.spectral_norm({})",
                                       "nn.utils.parametrizations.spectral_norm({})", "nn.utils.weight_norm({})", "nn.utils.parametrizations.weight_norm({})",
                                       "nn.utils.weight_norm({}, dim=1)", "nn.utils.weight_norm({}, dim=None)",
                                       "nn.utils.parametrizations.weight_norm({}, dim=-1)",
                                       "nn.utils.weight_norm({}, name='bias')"])
@pytest.mark.parametrize("layer,shape", [("nn.Conv2d(3, 8, 3)", (3, 10, 10)), ("nn.Linear(6, 4)", (6,)),
                                         ("nn.ConvTranspose2d(3, 5, 3, bias=True)", (3, 6, 6))])
def test_weight_normalizations_keep_the_layer_and_count_the_magnitude(normalize, layer, shape):
    """GAN discriminators' spectral_norm keeps a layer's count (its vectors are buffers); a TCN's weight_norm adds
    the magnitude, one per slice along ``dim``."""
    source = HEADER + f"net = nn.Sequential({normalize.format(layer)}, nn.ReLU())\n"
    namespace: dict = {}
    exec(compile(source, "model.py", "exec"), namespace)
    report, notes = lint(source, "net", shape)
    assert (report.total_params, report.output_shape) == real(namespace["net"], shape), notes


def test_an_identity_made_in_numpy_and_added_to_a_predicted_transform():
    """PointNet's T-Net: ``torch.from_numpy(np.array([1, 0, 0, ...]).astype(np.float32))`` repeated over the
    batch and added to the predicted 3×3 transform."""
    agrees("""
        import numpy as np
        from torch.autograd import Variable

        class STN3d(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv1d(3, 64, 1)
                self.fc = nn.Linear(64, 9)

            def forward(self, x):
                batchsize = x.size()[0]
                x = torch.max(F.relu(self.conv(x)), 2, keepdim=True)[0].view(-1, 64)
                x = self.fc(x)
                iden = Variable(torch.from_numpy(np.array([1, 0, 0, 0, 1, 0, 0, 0, 1]).astype(np.float32))).view(
                    1, 9).repeat(batchsize, 1)
                if x.is_cuda:
                    iden = iden.cuda()
                return (x + iden).view(-1, 3, 3)
    """, "STN3d", input_shape=(3, 50))


@pytest.mark.parametrize("assign, exact", [
    ("self.emb.weight = nn.Parameter(torch.randn(100, 8), requires_grad=False)", True),  # pretrained, frozen
    ("self.emb.weight = nn.Parameter(torch.randn(100, 8))", True),
    ("self.fc.bias = None", True),
    ("self.fc.weight = nn.Parameter(torch.zeros(3, 8), requires_grad=False)", False),  # frozen in part
    ("self.emb.weight = nn.Parameter(torch.load('vectors.pt'), requires_grad=False)", False),  # size unknown
])
def test_a_parameter_replaced_on_a_layer(assign, exact):
    """Pretrained embeddings put in place: ``emb.weight = nn.Parameter(vectors, requires_grad=False)``."""
    source = HEADER + textwrap.dedent("""
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.emb = nn.Embedding(100, 8)
                self.fc = nn.Linear(8, 3)
                ASSIGN

            def forward(self, tokens):
                return self.fc(self.emb(tokens).mean(1))
    """).replace("ASSIGN", assign)
    report, notes = lint(source, "Net", (7,))
    if not exact:
        assert (report.total_params, report.trainable_params) == (None, None) and notes
        return
    namespace: dict = {}
    exec(compile(source, "model.py", "exec"), namespace)
    model = namespace["Net"]()
    assert (report.total_params, report.trainable_params) == (
        sum(p.numel() for p in model.parameters()), sum(p.numel() for p in model.parameters() if p.requires_grad))


@pytest.mark.parametrize("freeze", ["", ", freeze=False", ", freeze=True, padding_idx=0"])
def test_an_embedding_made_from_pretrained_vectors(freeze):
    """``nn.Embedding.from_pretrained(vectors)``: the matrix's shape, frozen unless ``freeze=False``."""
    source = HEADER + textwrap.dedent(f"""
        vectors = torch.randn(100, 8)

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.emb = nn.Embedding.from_pretrained(vectors{freeze})
                self.fc = nn.Linear(8, 3)

            def forward(self, tokens):
                return self.fc(self.emb(tokens).mean(1))
    """)
    report, notes = lint(source, "Net", (7,))
    namespace: dict = {}
    exec(compile(source, "model.py", "exec"), namespace)
    model = namespace["Net"]()
    assert (report.total_params, report.trainable_params, report.output_shape) == (
        sum(p.numel() for p in model.parameters()), sum(p.numel() for p in model.parameters() if p.requires_grad),
        list(model(torch.zeros(1, 7, dtype=torch.long)).shape[1:])), notes
