"""The PyTorch front end: the article's LeNet-5, the 16·5·5 bug, and the ways models are written.

Figures are checked against real PyTorch where it is installed (built in the
test process from the same source); cnnlint itself never imports it.
"""

import re
import textwrap

import pytest

from .conftest import lint

WEIGHTED_PARAMS = [156, 2416, 30840, 10164, 850]


def model_named(result, name):
    return next(m for m in result.models if m.name == name)


def torch_params(source: str, class_name: str) -> int:
    """Parameters of the same model built by real PyTorch."""
    pytest.importorskip("torch")
    namespace: dict = {}
    exec(textwrap.dedent(source), namespace)  # noqa: S102 - the test's own model source
    return sum(p.numel() for p in namespace[class_name]().parameters())


# -- the fixtures, through the command line ----------------------------------------------

@pytest.mark.parametrize("fixture", ["fixtures/lenet5_torch.py", "fixtures/lenet5_torch_sequential.py"])
def test_lenet_fixtures_match_the_article(cnnlint_json, fixture):
    doc, code = cnnlint_json(fixture)
    assert code == 0 and doc["diagnostics"] == []
    (model,) = doc["models"]
    assert model["framework"] == "torch" and model["input_source"] == "pragma"
    assert model["input_shape"] == [1, 28, 28]
    assert model["output_shape"] == [10]
    assert [layer["params"] for layer in model["layers"] if layer["params"]] == WEIGHTED_PARAMS
    assert model["total_params"] == model["trainable_params"] == 44426


def test_buggy_lenet_without_a_declared_input_shows_the_implied_one(cnnlint, tmp_path):
    text = open("fixtures/lenet5_torch_buggy.py", encoding="utf-8").read()
    undeclared = tmp_path / "lenet_undeclared.py"
    undeclared.write_text(re.sub(r"\s*# cnnlint: input-shape=\S+", "", text), encoding="utf-8")
    proc = cnnlint("--summary", "--no-cache", undeclared)
    assert proc.returncode == 0, proc.stdout
    assert "Input: (None, 1, 32, 32) implied by the code" in proc.stdout
    assert re.search(r"fc1 \(Linear\)\s+\(None, 120\)", proc.stdout)
    assert "Total params: 61,706" in proc.stdout


# -- how models are written ---------------------------------------------------------------

LAYERS = "nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(6 * 12 * 12, 10)"


@pytest.mark.parametrize("header, nn", [
    ("import torch.nn as nn", "nn"),
    ("from torch import nn", "nn"),
    ("import torch", "torch.nn"),
    ("import torch.nn", "torch.nn"),
    ("from torch.nn.modules.conv import Conv2d\nfrom torch.nn import ReLU, MaxPool2d, Flatten, Linear, Sequential", ""),
])
def test_import_styles(header, nn):
    layers = LAYERS.replace("nn.", f"{nn}." if nn else "")
    sequential = f"{nn}.Sequential" if nn else "Sequential"
    result = lint(f"{header}\nmodel = {sequential}({layers})\n", (1, 28, 28))
    (model,) = result.models
    assert model.total_params == 156 + 8650 and model.output_shape == [10]


@pytest.mark.parametrize("source", [
    f"""
    import torch.nn as nn
    model = nn.Sequential({LAYERS})
    """,
    """
    from collections import OrderedDict
    import torch.nn as nn
    model = nn.Sequential(OrderedDict([("conv", nn.Conv2d(1, 6, 5)), ("relu", nn.ReLU()), ("pool", nn.MaxPool2d(2)),
                                       ("flat", nn.Flatten()), ("fc", nn.Linear(6 * 12 * 12, 10))]))
    """,
    f"""
    import torch.nn as nn
    layers = [{LAYERS}]
    model = nn.Sequential(*layers)
    """,
    f"""
    import torch.nn as nn
    def build():
        layers = []
        for layer in [{LAYERS}]:
            layers.append(layer)
        return nn.Sequential(*layers)
    """,
    f"""
    import torch.nn as nn
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential({LAYERS})
        def forward(self, x):
            return self.body(x)
    """,
])
def test_sequential_forms(source):
    (model,) = lint(source, (1, 28, 28)).models
    assert model.total_params == 8806 and model.output_shape == [10]


RESNETISH = """
    from collections import OrderedDict
    import torch
    from torch import nn
    import torch.nn.functional as F

    class Block(nn.Module):
        def __init__(self, c):
            super().__init__()
            self.conv1 = nn.Conv2d(c, c, 3, padding=1, bias=False)
            self.bn1 = nn.BatchNorm2d(c)
            self.conv2 = nn.Conv2d(c, c, 3, padding=1, bias=False)
            self.bn2 = nn.BatchNorm2d(c)

        def forward(self, x):
            identity = x
            out = F.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            out += identity
            return F.relu(out)

    class ResNetish(nn.Module):
        def __init__(self, num_classes=10):
            super().__init__()
            self.stem = nn.Sequential(OrderedDict([("conv", nn.Conv2d(3, 16, 3, padding=1)), ("relu", nn.ReLU())]))
            self.blocks = nn.ModuleList([Block(16) for _ in range(2)])
            self.shared = nn.Linear(16, 16)
            self.heads = nn.ModuleDict({"cls": nn.Linear(16, num_classes), "aux": nn.Linear(16, 2)})
            self.unused = nn.Linear(5, 5)
            self.scale = nn.Parameter(torch.ones(1, 16, 1, 1))
            self.not_registered = [nn.Linear(16, 16)]

        def forward(self, x):
            x = self.stem(x) * self.scale
            for block in self.blocks:
                x = block(x)
            x = F.adaptive_avg_pool2d(x, 1).view(x.size(0), -1)
            x = self.shared(self.shared(x))
            x = self.not_registered[0](x)
            return self.heads["cls"](x), self.heads["aux"](x)
    """


def test_containers_residuals_shared_and_unused_modules_count_like_parameters():
    result = lint(RESNETISH, (3, 32, 32))
    assert [m.name for m in result.models] == ["ResNetish"]  # Block is a submodule, not a model of its own
    (model,) = result.models
    assert not [d for d in result.diagnostics if d.severity == "error"]
    assert model.output_shape == [[10], [2]]  # forward returns both heads
    assert model.total_params == torch_params(RESNETISH, "ResNetish") == 10042 + 272
    rows = [(row.depth, row.name, row.type) for row in model.layers]
    assert rows[:3] == [(0, "stem", "Sequential"), (1, "stem.conv", "Conv2d"), (1, "stem.relu", "ReLU")]
    assert (0, "blocks.1", "Block") in rows and (1, "blocks.1.bn2", "BatchNorm2d") in rows


RECURRENT = """
    import torch.nn as nn

    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(100, 32)
            self.lstm = nn.LSTM(32, 64, num_layers=2, batch_first=True, bidirectional=True)
            self.attn = nn.MultiheadAttention(128, 4, batch_first=True)
            self.norm = nn.LayerNorm(128)
            self.fc = nn.Linear(128, 5)

        def forward(self, tokens):
            x = self.embed(tokens)
            out, (h, c) = self.lstm(x)
            out, _ = self.attn(out, out, out)
            return self.fc(self.norm(out)[:, -1, :])
    """


def test_recurrent_tuple_outputs_and_attention():
    (model,) = lint(RECURRENT, (7,)).models
    assert model.output_shape == [5]
    assert model.total_params == torch_params(RECURRENT, "Tagger")


def test_lazy_modules_are_counted_once_their_input_is_known():
    (model,) = lint("""
        import torch.nn as nn
        model = nn.Sequential(nn.LazyConv2d(8, 3), nn.LazyBatchNorm2d(), nn.Flatten(), nn.LazyLinear(10))
        """, (3, 10, 10)).models
    assert model.total_params == (3 * 9 * 8 + 8) + 16 + (8 * 8 * 8 * 10 + 10)


def test_a_model_called_on_an_example_tensor_declares_its_input():
    result = lint("""
        import torch
        import torch.nn as nn
        model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.Flatten(), nn.Linear(4 * 30 * 30, 2))
        print(model(torch.randn(1, 3, 32, 32)).shape)
        """)
    (model,) = result.models
    assert model.input_source == "declared" and model.input_shape == [3, 32, 32] and model.output_shape == [2]


def test_without_an_input_channels_come_from_the_first_layer_and_sizes_stay_symbolic():
    (model,) = lint("""
        import torch.nn as nn
        model = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        """).models
    assert model.input_source == "symbolic" and model.input_shape == [3, "H", "W"]
    assert model.output_shape == [4, 1, 1] and model.total_params == 112


def test_summary_nests_containers_like_torchinfo(tmp_path):
    from .conftest import run_cnnlint

    path = tmp_path / "net.py"
    path.write_text("import torch.nn as nn\n\nclass Net(nn.Module):  # cnnlint: input-shape=8\n"
                    "    def __init__(self):\n        super().__init__()\n"
                    "        self.body = nn.Sequential(nn.Linear(8, 4), nn.ReLU())\n        self.head = nn.Linear(4, 2)\n"
                    "    def forward(self, x):\n        return self.head(self.body(x))\n")
    out = run_cnnlint("--summary", path).stdout
    rows = [line for line in out.splitlines() if "(" in line and line.split()[0] in ("body", "body.0", "head")]
    assert rows[0].split()[-2:] == ["--", "--"]  # a container's counts are its children's
    assert rows[1].startswith("  body.0 (Linear)") and rows[1].split()[-1] == "36"
    assert "Total params: 46" in out


ACTIVATION_FACTORY = """
    from inspect import isfunction
    from torch import nn


    def make(activation):
        if isfunction(activation):
            return activation()
        return activation


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 2)
            self.act = make({activation})

        def forward(self, x):
            return self.act(self.fc(x))
"""


@pytest.mark.parametrize("activation", ["nn.Sigmoid()", "lambda: nn.PReLU()", "nn.PReLU(2)"])
def test_isfunction_tells_a_layer_factory_from_a_layer(activation):
    """pytorchcv's create_activation_layer: a module given where a factory may be was once called with no
    input (an internal error)."""
    source = ACTIVATION_FACTORY.format(activation=activation)
    (model,) = lint(source, input_shape=(4,)).models
    assert model.total_params == torch_params(source, "Net") and model.output_shape == [2]


def test_a_module_called_without_inputs_is_unknown_not_an_error():
    result = lint("""
        from torch import nn


        class Net(nn.Module):
            def __init__(self, act):
                super().__init__()
                self.fc = nn.Linear(4, 2)
                self.act = act() if act.__doc__ else act

            def forward(self, x):
                return self.act(self.fc(x))


        model = Net(nn.Sigmoid())
    """, input_shape=(4,))
    assert [m.name for m in result.models] == ["model"]
