"""Exact or honest on code in the styles people write: each failure class of real code, in small.

Every case is a little project written to a temporary folder.  cnnlint reads
its text; the framework runs the same text (its script with the folder first
on ``sys.path``, as ``python script.py`` would) and the two must agree on the
total and trainable parameters and every output shape.  Where cnnlint cannot
follow the code, the model is still reported, null, with a CNN900 naming
why, and no error-level diagnostic.
"""

from __future__ import annotations

import os
import re
import runpy
import sys
import textwrap
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
os.environ.setdefault("KERAS_BACKEND", "torch")

from cnnlint.runner import Options, lint_path  # noqa: E402

TORCH_HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"


def write(root: Path, files: dict) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if text.startswith(TORCH_HEADER):  # the header, then an indented body
            text = TORCH_HEADER + textwrap.dedent(text[len(TORCH_HEADER):])
        path.write_text(textwrap.dedent(text))


def lint(path: Path, name: str, input_shape=None):
    """(the model's report or None, its CNN900 notes, the error-level diagnostics)."""
    result = lint_path(str(path), Options(model=name, input_shape=input_shape))
    report = next((m for m in result.models if m.name == name), None)
    notes = [d.message for d in result.diagnostics if d.code == "CNN900"]
    errors = [f"{d.code} {d.message}" for d in result.diagnostics if d.severity == "error"]
    return report, notes, errors


def run(path: Path, variable: str):
    """The framework runs the script as ``python script.py`` would (its folder first on sys.path)."""
    folder = str(path.parent)
    before = set(sys.modules)
    sys.path.insert(0, folder)
    argv, sys.argv = sys.argv, [str(path)]
    try:
        return runpy.run_path(str(path), run_name="__fidelity__")[variable]
    finally:
        sys.argv = argv
        sys.path.remove(folder)
        for name in set(sys.modules) - before:  # the project's own modules: each test has its own
            if folder in str(getattr(sys.modules[name], "__file__", "") or ""):
                del sys.modules[name]


def _shapes(y) -> list:
    if hasattr(y, "shape"):
        return [list(y.shape[1:])]
    if isinstance(y, dict):
        y = list(y.values())
    return [s for item in y for s in _shapes(item)]


def torch_truth(path: Path, variable: str, input_shape) -> tuple:
    model = run(path, variable).eval()
    with torch.no_grad():
        outputs = _shapes(model(torch.zeros(1, *input_shape)))
    return (sum(p.numel() for p in model.parameters()),
            sum(p.numel() for p in model.parameters() if p.requires_grad),
            outputs[0] if len(outputs) == 1 else outputs)


def keras_truth(path: Path, variable: str) -> tuple:
    import numpy

    model = run(path, variable)
    out = model.output_shape
    outputs = [list(o[1:]) for o in out] if isinstance(out, list) else list(out[1:])
    trainable = sum(int(numpy.prod(w.shape)) for w in model.trainable_weights)
    return model.count_params(), trainable, outputs


def agrees(tmp_path: Path, files: dict, script: str, variable: str, input_shape=None, keras=False):
    """cnnlint's numbers for the script's model equal the framework's; no error, no CNN900."""
    write(tmp_path, files)
    path = tmp_path / script
    report, notes, errors = lint(path, variable, input_shape if not keras else None)
    assert report is not None, notes
    truth = keras_truth(path, variable) if keras else torch_truth(path, variable, input_shape)
    assert (report.total_params, report.trainable_params, report.output_shape) == truth, (notes, errors)
    assert not errors


def honest(tmp_path: Path, files: dict, script: str, variable: str, input_shape=None, cause: str = ""):
    """The model is reported, and whatever cnnlint cannot know is null with a CNN900 (never a guess)."""
    write(tmp_path, files)
    report, notes, errors = lint(tmp_path / script, variable, input_shape)
    assert report is not None, notes
    assert not errors, errors
    assert notes and not report.complete, (report, notes)
    assert any(cause in note for note in notes), notes
    if report.total_params is not None:  # counts that cannot depend on what is unknown: the framework's own
        model = run(tmp_path / script, variable)
        params = model.count_params() if hasattr(model, "count_params") else sum(
            p.numel() for p in model.parameters())
        assert report.total_params == params, (report, notes)
    return report, notes


RESNET = TORCH_HEADER + """
class Block(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)) + self.shortcut(x))


class ResNet(nn.Module):
    def __init__(self, widths, num_classes=10):
        super().__init__()
        self.stem = nn.Conv2d(3, widths[0], 3, padding=1)
        self.blocks = nn.Sequential(*[Block(a, b, 2) for a, b in zip(widths, widths[1:])])
        self.linear = nn.Linear(widths[-1], num_classes)

    def forward(self, x):
        out = F.adaptive_avg_pool2d(self.blocks(self.stem(x)), 1)
        return self.linear(out.view(out.size(0), -1))


def ResNet18():
    return ResNet([16, 32, 64])
"""


# -- silent passes ---------------------------------------------------------------------------------------


def test_a_script_that_only_imports_its_model_reports_it(tmp_path):
    """``from models.resnet import ResNet18; net = ResNet18()`` names no model construct."""
    agrees(tmp_path, {"models/__init__.py": "", "models/resnet.py": RESNET,
                      "train.py": """
                          import torch
                          from models.resnet import ResNet18

                          net = ResNet18()
                          optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
                      """}, "train.py", "net", (3, 32, 32))


@pytest.mark.parametrize("build, variable", [
    ("from torchvision import models\nnet = models.resnet18(pretrained=True)\nnet.fc = nn.Linear(512, 2)", "net"),
    ("import torchvision\nnet = torchvision.models.detection.fasterrcnn_resnet50_fpn(weights='DEFAULT')", "net"),
    ("import timm\nnet = timm.create_model('resnet50', pretrained=True, num_classes=10)", "net"),
    ("net = torch.hub.load('pytorch/vision', 'resnet50', weights='IMAGENET1K_V2')", "net"),
    ("import segmentation_models_pytorch as smp\nnet = smp.Unet('resnet34', classes=3)", "net"),
    ("from transformers import AutoModelForSequenceClassification as Auto\nnet = Auto.from_pretrained('bert')",
     "net"),
    ("from efficientnet_pytorch import EfficientNet\nnet = EfficientNet.from_pretrained('efficientnet-b0')", "net"),
    ("from tensorflow import keras\nbase = keras.applications.MobileNetV2(include_top=False)", "base"),
    ("from keras.applications.resnet50 import ResNet50\nbase = ResNet50(weights=None)", "base"),
])
def test_a_model_built_by_a_model_zoo_is_reported_never_passed_silently(tmp_path, build, variable):
    """Transfer learning's first line: the model comes from a library cnnlint does not read."""
    write(tmp_path, {"finetune.py": "import torch\nimport torch.nn as nn\n" + build + "\n"})
    report, notes, errors = lint(tmp_path / "finetune.py", variable)
    assert report is not None and report.total_params is None and not errors
    assert any("builds a model in" in note for note in notes), notes


@pytest.mark.parametrize("call", ["models.ResNet18_Weights.DEFAULT.transforms()", "models.list_models()",
                                  "models.get_model_weights('resnet18')"])
def test_what_a_model_zoo_holds_besides_models_is_no_model(tmp_path, call):
    write(tmp_path, {"zoo.py": f"import torch.nn as nn\nfrom torchvision import models\nvalue = {call}\n"})
    report, notes, errors = lint(tmp_path / "zoo.py", "value")
    assert report is None and not notes and not errors


def test_a_model_moved_to_a_device_that_cnnlint_cannot_know(tmp_path):
    """``net.to(device)`` and ``DataParallel(net)`` under ``if device == 'cuda'`` keep the model."""
    agrees(tmp_path, {"models/__init__.py": "", "models/resnet.py": RESNET,
                      "train.py": """
                          import torch
                          from models.resnet import ResNet18

                          device = "cuda" if torch.cuda.is_available() else "cpu"
                          net = ResNet18()
                          net = net.to(device)
                          if device == "cuda":
                              net = torch.nn.DataParallel(net)
                      """}, "train.py", "net", (3, 32, 32))


def test_a_model_chosen_by_a_condition_cnnlint_cannot_decide_is_reported_null(tmp_path):
    report, notes = honest(tmp_path, {"models/__init__.py": "", "models/resnet.py": RESNET, "train.py": """
        import sys
        import torch.nn as nn
        from models.resnet import ResNet

        if len(sys.argv) > 1:
            net = ResNet([16, 32])
        else:
            net = ResNet([16, 32, 64])
    """}, "train.py", "net", (3, 32, 32), cause="condition")
    assert report.output_shape is None


@pytest.mark.parametrize("star", ["from nets.common import *", "from nets import *"])
def test_names_from_a_star_import_are_followed(tmp_path, star):
    """Both the model classes and ``nn`` itself arrive through the star."""
    agrees(tmp_path, {"nets/__init__.py": "from .common import *\n", "nets/common.py": TORCH_HEADER + """
        __all__ = ["nn", "Features"]


        class Features(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(1, 6, 5)

            def forward(self, x):
                return F.max_pool2d(F.relu(self.conv(x)), 2)
    """, "main.py": f"""
        {star}

        model = nn.Sequential(Features(), nn.Flatten(), nn.Linear(6 * 12 * 12, 10))
    """}, "main.py", "model", (1, 28, 28))


# -- wrong numbers presented as exact ------------------------------------------------------------------


def test_several_outputs_are_all_reported(tmp_path):
    agrees(tmp_path, {"vae.py": TORCH_HEADER + """
        class VAE(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1 = nn.Linear(784, 400)
                self.fc21 = nn.Linear(400, 20)
                self.fc22 = nn.Linear(400, 20)
                self.fc3 = nn.Linear(20, 400)
                self.fc4 = nn.Linear(400, 784)

            def forward(self, x):
                h = F.relu(self.fc1(x.view(-1, 784)))
                mu, logvar = self.fc21(h), self.fc22(h)
                z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
                return torch.sigmoid(self.fc4(F.relu(self.fc3(z)))), mu, logvar


        model = VAE()
    """}, "vae.py", "model", (1, 28, 28))


def test_a_keras_model_with_several_outputs(tmp_path):
    agrees(tmp_path, {"heads.py": """
        import keras
        from keras import layers

        inputs = keras.Input(shape=(32,))
        x = layers.Dense(64, activation="relu")(inputs)
        label = layers.Dense(10, name="label")(x)
        box = layers.Dense(4, name="box")(x)
        model = keras.Model(inputs, [label, box])
    """}, "heads.py", "model", keras=True)


def test_add_module_names_cnnlint_cannot_compute_never_merge_blocks(tmp_path):
    write(tmp_path, {"stage.py": TORCH_HEADER + """
        class Residual(nn.Module):
            def __init__(self, channels):
                super().__init__()
                self.conv = nn.Conv2d(channels, channels, 3, padding=1)

            def forward(self, x):
                return x + self.conv(x)


        class Stage(nn.Module):
            def __init__(self, block, n, channels):
                super().__init__()
                for i in range(n):
                    self.add_module("{}_{}".format(block.__name__, i), block(channels))

            def forward(self, x):
                for module in self.children():
                    x = module(x)
                return x


        model = nn.Sequential(Stage(Residual, 3, 8), nn.Flatten())
    """})
    report, notes, errors = lint(tmp_path / "stage.py", "model", (8, 4, 4))
    truth = torch_truth(tmp_path / "stage.py", "model", (8, 4, 4))
    assert not errors
    assert report.total_params in (None, truth[0]), notes  # never the count of one block for three
    assert report.total_params is not None or notes



def test_a_name_cnnlint_cannot_compute_does_not_depend_on_the_files_analysed_before(tmp_path):
    source = TORCH_HEADER + """
        import os


        class Stage(nn.Module):
            def __init__(self, n):
                super().__init__()
                for i in range(n):
                    self.add_module(os.environ["PREFIX"] + str(i), nn.BatchNorm2d(4))

            def forward(self, x):
                for module in self.children():
                    x = module(x)
                return x


        model = Stage(2)
    """
    write(tmp_path, {"first.py": source, "second.py": source})

    def rows(name):
        result = lint_path(str(tmp_path / name), Options(model="model"))
        return [row.name for row in result.models[0].layers]

    alone = rows("second.py")
    rows("first.py")  # the same process, as a worker answers several files
    assert rows("second.py") == alone
    assert len(set(alone)) == 2 and all("cannot compute" in name for name in alone)


@pytest.mark.parametrize("flagged", [True, False])
def test_an_attribute_the_code_sets_on_a_torch_layer_is_read_back(tmp_path, flagged):
    """pytorchcv's LFFD marks the activations whose output the model returns (``act.do_output = True``) and
    its forward asks ``hasattr``: dropping the attribute gave one output of several, presented as exact.
    Unset, it is no attribute any torch layer has: ``hasattr`` is False."""
    files = {"flagged.py": TORCH_HEADER + f"""
        import os


        class Unit(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(4, 6)
                self.act = nn.ReLU()
                if {flagged}:
                    self.act.do_output = True
                self.kept = int(os.environ.get("KEPT", "1"))  # a number cnnlint cannot know: the attribute is there

            def forward(self, x):
                x = self.fc(x)
                if hasattr(self.act, "do_output"):
                    return self.act(x), x[:, :2]
                if hasattr(self, "kept"):
                    return x[:, :3]
                return x


        model = Unit()
    """}
    agrees(tmp_path, files, "flagged.py", "model", (4,))


def test_script_module_blocks_in_sequential_are_counted_or_unknown(tmp_path):
    write(tmp_path, {"scripted.py": TORCH_HEADER + """
        class Block(torch.jit.ScriptModule):
            def __init__(self, cin, cout):
                super().__init__()
                self.conv = nn.Conv2d(cin, cout, 3, padding=1)

            @torch.jit.script_method
            def forward(self, x):
                return torch.relu(self.conv(x))


        model = nn.Sequential(Block(3, 16), nn.MaxPool2d(2), Block(16, 32), nn.AdaptiveAvgPool2d(1),
                              nn.Flatten(), nn.Linear(32, 10))
    """})
    report, notes, errors = lint(tmp_path / "scripted.py", "model", (3, 32, 32))
    truth = torch_truth(tmp_path / "scripted.py", "model", (3, 32, 32))
    assert not errors
    assert (report.total_params, report.output_shape) in ((None, None), (truth[0], truth[2])), notes


def test_frozen_torch_parameters_are_not_trainable(tmp_path):
    agrees(tmp_path, {"transfer.py": TORCH_HEADER + """
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.features = nn.Sequential(nn.Conv2d(3, 16, 3), nn.BatchNorm2d(16), nn.ReLU(),
                                              nn.AdaptiveAvgPool2d(1), nn.Flatten())
                self.classifier = nn.Linear(16, 10)

            def forward(self, x):
                return self.classifier(self.features(x))


        model = Net()
        for param in model.features.parameters():
            param.requires_grad = False
        model.features[1].requires_grad_(True)
        model.classifier = nn.Linear(16, 4)
    """}, "transfer.py", "model", (3, 16, 16))


def test_requires_grad_false_on_a_whole_model(tmp_path):
    agrees(tmp_path, {"frozen.py": TORCH_HEADER + """
        backbone = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())
        backbone.requires_grad_(False)
        model = nn.Sequential(backbone, nn.Flatten(), nn.Linear(8 * 6 * 6, 2))
    """}, "frozen.py", "model", (3, 8, 8))


def test_a_gan_discriminator_frozen_before_the_combined_model(tmp_path):
    agrees(tmp_path, {"gan.py": """
        import keras
        from keras import layers

        def build_discriminator():
            img = keras.Input(shape=(28, 28, 1))
            x = layers.Flatten()(img)
            x = layers.Dense(64)(x)
            x = layers.BatchNormalization()(x)
            return keras.Model(img, layers.Dense(1, activation="sigmoid")(x))

        def build_generator():
            z = keras.Input(shape=(16,))
            x = layers.Dense(784, activation="tanh")(z)
            return keras.Model(z, layers.Reshape((28, 28, 1))(x))

        discriminator = build_discriminator()
        generator = build_generator()
        z = keras.Input(shape=(16,))
        discriminator.trainable = False
        combined = keras.Model(z, discriminator(generator(z)))
    """}, "gan.py", "combined", keras=True)


def test_a_frozen_keras_base_model_in_transfer_learning(tmp_path):
    agrees(tmp_path, {"transfer.py": """
        import keras
        from keras import layers

        base_model = keras.Sequential([keras.Input(shape=(32, 32, 3)), layers.Conv2D(8, 3),
                                       layers.BatchNormalization(), layers.GlobalAveragePooling2D()])
        base_model.trainable = False
        inputs = keras.Input(shape=(32, 32, 3))
        x = base_model(inputs, training=False)
        outputs = layers.Dense(5)(x)
        model = keras.Model(inputs, outputs)
    """}, "transfer.py", "model", keras=True)


# -- false errors --------------------------------------------------------------------------------------


def test_bidirectional_lstm(tmp_path):
    agrees(tmp_path, {"text.py": """
        import keras
        from keras import layers

        inputs = keras.Input(shape=(40,), dtype="int32")
        x = layers.Embedding(1000, 16)(inputs)
        x = layers.Bidirectional(layers.LSTM(8, return_sequences=True))(x)
        x = layers.Bidirectional(layers.GRU(4))(x)
        model = keras.Model(inputs, layers.Dense(1)(x))
    """}, "text.py", "model", keras=True)


def test_a_size_from_a_configuration_module_cnnlint_cannot_read_is_never_an_error(tmp_path):
    """``units=config.NUM_CLASSES`` from a module cnnlint does not find: unknown, not invalid."""
    write(tmp_path, {"app/__init__.py": "", "app/model.py": """
        import keras
        from keras import layers
        from settings import config

        model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(config.NUM_CLASSES)])
    """})
    report, notes, errors = lint(tmp_path / "app" / "model.py", "model")
    assert not errors
    assert report is not None and report.total_params is None and notes


def test_a_symbolic_kernel_size_is_valid(tmp_path):
    write(tmp_path, {"pool.py": TORCH_HEADER + """
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(3, 8, 3, padding=1)
                self.fc = nn.Linear(8, 10)

            def forward(self, x):
                out = self.conv(x)
                out = F.avg_pool2d(out, out.size()[3])
                return self.fc(out.view(out.size(0), -1))


        model = Net()
    """})
    report, notes, errors = lint(tmp_path / "pool.py", "model")
    assert not errors, errors


def test_a_loop_over_self_modules_values_runs_every_module(tmp_path):
    agrees(tmp_path, {"chain.py": TORCH_HEADER + """
        class Chain(nn.Module):
            def __init__(self, *layers):
                super().__init__()
                for i, layer in enumerate(layers):
                    self.add_module(str(i), layer)

            def forward(self, x):
                for module in self._modules.values():
                    x = module(x)
                return x


        model = nn.Sequential(Chain(nn.Conv2d(3, 8, 3), nn.ReLU()), nn.Flatten(), nn.Linear(8 * 6 * 6, 10))
    """}, "chain.py", "model", (3, 8, 8))


def test_padding_to_a_skip_connection_with_symbolic_sizes(tmp_path):
    write(tmp_path, {"up.py": TORCH_HEADER + """
        class Up(nn.Module):
            def __init__(self):
                super().__init__()
                self.down = nn.MaxPool2d(2)
                self.up = nn.ConvTranspose2d(4, 4, 2, stride=2)
                self.conv = nn.Conv2d(8, 2, 1)

            def forward(self, x):
                x2 = x
                x1 = self.up(self.down(x))
                diffY = x2.size()[2] - x1.size()[2]
                diffX = x2.size()[3] - x1.size()[3]
                x1 = F.pad(x1, [diffX // 2, diffX - diffX // 2, diffY // 2, diffY - diffY // 2])
                return self.conv(torch.cat([x2, x1], dim=1))


        model = Up()
    """})
    report, notes, errors = lint(tmp_path / "up.py", "model")
    assert not errors, errors
    assert report.total_params == 4 * 4 * 4 + 4 + 8 * 2 + 2


def test_a_model_a_skipped_loop_goes_on_building_is_reported_null(tmp_path):
    """Never the model as it was before the loop cnnlint could not run (0 parameters)."""
    honest(tmp_path, {"grow.py": """
        import json
        import sys

        import keras
        from keras import layers

        model = keras.Sequential([keras.Input(shape=(8,))])
        for units in json.load(open(sys.argv[1])):
            model.add(layers.Dense(units))
    """}, "grow.py", "model", cause="loop")


ESCAPED = TORCH_HEADER + """
    from somelib import tweak


    class Net(nn.Module):
        def __init__(self, width=8):
            super().__init__()
            self.fc = nn.Linear(4, width)

        def forward(self, x):
            return self.fc(x)


    def build(**kwargs):
        {call}
        return Net(**kwargs)


    model = build()
"""


def test_a_dict_given_to_a_function_cnnlint_cannot_read_may_have_changed(tmp_path):
    """torchvision's ``_ovewrite_named_param(kwargs, "groups", 32)``: read from a library cnnlint does not
    follow, the kwargs it changed in place built ResNet-50 where ResNeXt was asked for, presented as exact."""
    honest(tmp_path, {"escaped.py": ESCAPED.replace("{call}", "tweak(kwargs)")}, "escaped.py", "model",
           (4,), cause="a dict given to somelib.tweak()")


@pytest.mark.parametrize("call", ["print(kwargs)", "kwargs.setdefault('width', 8)", "len(kwargs)"])
def test_a_dict_given_only_to_what_cnnlint_reads_stays_known(tmp_path, call):
    source = ESCAPED.replace("{call}", call).replace("from somelib import tweak", "")
    agrees(tmp_path, {"kept.py": source}, "kept.py", "model", (4,))


def test_keyword_arguments_cnnlint_cannot_read_may_set_any_parameter(tmp_path):
    """``Net(**options)`` with options unknown: the default of ``width`` is no fact."""
    honest(tmp_path, {"unread.py": ESCAPED.replace("{call}", "kwargs = tweak()")}, "unread.py", "model", (4,))


def test_a_size_from_a_configuration_module_beside_the_script(tmp_path):
    agrees(tmp_path, {"config.py": "FILTERS = [8, 16]\nNUM_CLASSES = 10\n", "model.py": """
        import keras
        from keras import layers

        import config

        model = keras.Sequential([keras.Input(shape=(16, 16, 3))])
        for filters in config.FILTERS:
            model.add(layers.Conv2D(filters, 3, padding="same"))
            model.add(layers.MaxPooling2D())
        model.add(layers.Flatten())
        model.add(layers.Dense(config.NUM_CLASSES))
    """}, "model.py", "model", keras=True)


def test_an_attribute_a_container_subclass_never_set_is_not_a_method(tmp_path):
    """``getattr(block, "_is_cn", False)`` on an nn.Sequential subclass is False, as in PyTorch (torchvision's
    segmentation heads pick their backbone's stages so)."""
    agrees(tmp_path, {"stages.py": TORCH_HEADER + """
        class Block(nn.Module):
            def __init__(self, cin, cout, stride):
                super().__init__()
                self.conv = nn.Conv2d(cin, cout, 3, stride, 1)
                self.out_channels = cout
                self._is_cn = stride > 1

            def forward(self, x):
                return self.conv(x)


        class ConvNorm(nn.Sequential):
            def __init__(self, cin, cout):
                super().__init__(nn.Conv2d(cin, cout, 1), nn.BatchNorm2d(cout))
                self.out_channels = cout


        features = nn.Sequential(ConvNorm(3, 16), Block(16, 24, 2), Block(24, 40, 2), Block(40, 80, 1),
                                 ConvNorm(80, 96))
        stages = [0] + [i for i, b in enumerate(features) if getattr(b, "_is_cn", False)] + [len(features) - 1]
        model = nn.Conv2d(features[stages[-3]].out_channels, 5, 1)
        head = nn.Sequential(model)
    """}, "stages.py", "head", (24, 8, 8))


def test_a_module_dict_built_from_named_children(tmp_path):
    """torchvision's IntermediateLayerGetter: an nn.ModuleDict of the backbone's first children."""
    agrees(tmp_path, {"getter.py": TORCH_HEADER + """
        from collections import OrderedDict


        class Getter(nn.ModuleDict):
            def __init__(self, model, last):
                layers = OrderedDict()
                for name, module in model.named_children():
                    layers[name] = module
                    if name == last:
                        break
                super().__init__(layers)

            def forward(self, x):
                for module in self.values():
                    x = module(x)
                return x


        backbone = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Conv2d(8, 16, 3), nn.Conv2d(16, 32, 3))
        model = nn.Sequential(Getter(backbone, "2"), nn.Conv2d(16, 4, 1))
    """}, "getter.py", "model", (3, 12, 12))


def test_padding_four_trailing_axes_of_a_video_tensor(tmp_path):
    """torchvision's swin3d pads (C, W, H, T) of a (B, T, H, W, C) tensor: it was an internal error."""
    agrees(tmp_path, {"pad.py": TORCH_HEADER + """
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.proj = nn.Linear(4, 8)

            def forward(self, x):
                x = F.pad(x, (0, 0, 0, 1, 0, 2, 0, 1))
                return self.proj(x)


        model = Net()
    """}, "pad.py", "model", (3, 5, 6, 4))


def test_a_sibling_module_of_a_script_inside_a_package_is_followed(tmp_path):
    """``python pkg/net.py`` puts pkg/ first on sys.path: ``from blocks import head`` is pkg/blocks.py."""
    agrees(tmp_path, {"pkg/__init__.py": "", "pkg/blocks.py": """
        import torch.nn as nn


        def head(cin, classes):
            return nn.Sequential(nn.Flatten(), nn.Linear(cin, classes))
    """, "pkg/net.py": """
        import torch.nn as nn

        from blocks import head

        model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.AdaptiveAvgPool2d(1), head(8, 10))
    """}, "pkg/net.py", "model", (3, 16, 16))


def test_a_diagnostic_about_an_imported_layer_is_placed_in_its_own_file(tmp_path):
    write(tmp_path, {"blocks.py": """
        import torch.nn as nn


        def head(cin, classes):
            return nn.Sequential(nn.Flatten(), nn.Linear(cin * 5, classes))
    """, "net.py": """
        import torch.nn as nn

        from blocks import head

        model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.AdaptiveAvgPool2d(1), head(8, 10))
    """})
    result = lint_path(str(tmp_path / "net.py"), Options(model="model", input_shape=(3, 16, 16)))
    (found,) = [d for d in result.diagnostics if d.code == "CNN101"]
    assert (Path(found.path).resolve(), found.line, found.column) == ((tmp_path / "blocks.py").resolve(), 6, 40)


def test_a_file_over_its_time_bound_is_a_bound_not_an_internal_error(tmp_path, monkeypatch):
    """The README promises CNN900 for a file over its time bound, never CNN000 (exit code 2)."""
    from cnnlint.evaluator import interpreter

    monkeypatch.setattr(interpreter, "FILE_STEPS", 1000)
    write(tmp_path, {"slow.py": TORCH_HEADER + """
        layers = []
        for i in range(5000):
            layers.append(nn.Linear(4, 4))
        model = nn.Sequential(*layers)
    """})
    result = lint_path(str(tmp_path / "slow.py"), Options())
    codes = [d.code for d in result.diagnostics]
    assert "CNN000" not in codes and "CNN900" in codes and not result.internal_error, result.diagnostics


def test_factories_the_file_bound_leaves_unrun_are_named_not_dropped(tmp_path, monkeypatch):
    """timm's vision_transformer.py defines 163 factories; the file's step bound is spent after 19 of them.
    Each one after it is reported or named in one note: a model the file builds is never passed over."""
    from cnnlint.evaluator import interpreter

    monkeypatch.setattr(interpreter, "FILE_STEPS", 600)
    factories = "".join(f"""

        def mlp_{i}(width={8 + i}):
            return nn.Sequential(nn.Linear(4, width), nn.ReLU(), nn.Linear(width, 2))
    """ for i in range(40))
    write(tmp_path, {"zoo.py": TORCH_HEADER + factories})
    result = lint_path(str(tmp_path / "zoo.py"), Options())
    reported = {m.name for m in result.models}
    (note,) = [d for d in result.diagnostics if "step bound before running" in d.message]
    named = re.findall(r"(mlp_\d+)\(\)", note.message)
    unrun = int(re.search(r"before running (\d+) functions", note.message)[1])
    assert 0 < len(reported) < 40 and len(reported) + unrun == 40, (reported, note.message)
    assert named == [f"mlp_{i}" for i in range(len(reported), len(reported) + min(unrun, 10))]
    assert note.line == (tmp_path / "zoo.py").read_text().splitlines().index(f"def {named[0]}(width={8 + len(reported)}):") + 1
    assert all(m.total_params == 4 * (8 + i) + (8 + i) + (8 + i) * 2 + 2
               for m in result.models for i in [int(m.name.split("_")[1])])


def test_an_implied_input_that_contradicts_itself_is_no_guess(tmp_path):
    """A space-to-depth stem (timm's TResNet) gives conv1 16 times the input's channels: guessing the
    input from conv1 would make conv1 itself fail, and a guess is never a reason for an error."""
    write(tmp_path, {"s2d.py": TORCH_HEADER + """
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv1 = nn.Conv2d(48, 16, 3, padding=1)
                self.fc = nn.Linear(16, 10)

            def forward(self, x):
                n, c, h, w = x.size()
                x = x.view(n, c, h // 4, 4, w // 4, 4).permute(0, 3, 5, 1, 2, 4).reshape(n, c * 16, h // 4, w // 4)
                x = F.adaptive_avg_pool2d(self.conv1(x), 1).flatten(1)
                return self.fc(x)


        model = Net()
    """})
    report, notes, errors = lint(tmp_path / "s2d.py", "model")
    assert report is not None and not errors, errors
    truth = torch_truth(tmp_path / "s2d.py", "model", (3, 32, 32))
    given, _, given_errors = lint(tmp_path / "s2d.py", "model", (3, 32, 32))
    assert (given.total_params, given.output_shape) == (truth[0], truth[2]) and not given_errors


def test_a_module_that_names_the_analysed_file_gets_that_same_module(tmp_path, monkeypatch):
    """``from pkg.a import WIDTH, Block`` in a module pkg/a.py's factory calls is pkg/a.py itself, as in Python: the
    list the factory changed, the class it defines; never a second copy read through ``pkg/__init__.py``
    (which imports every sibling: timm's vision_transformer.py spent its step budget there)."""
    write(tmp_path, {"pkg/__init__.py": """
        from .a import *
        from .b import *
    """, "pkg/a.py": """
        import torch.nn as nn

        WIDTH = [8]


        class Block(nn.Module):
            def __init__(self, channels):
                super().__init__()
                self.conv = nn.Conv2d(channels, channels, 3, padding=1)

            def forward(self, x):
                return self.conv(x)


        def net():
            from pkg.b import make

            WIDTH[0] = 16
            return make()
    """, "pkg/b.py": """
        import torch.nn as nn

        from pkg.a import WIDTH, Block


        def make():
            return nn.Sequential(nn.Conv2d(3, WIDTH[0], 3), Block(WIDTH[0]))
    """})
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m == "pkg" or m.startswith("pkg.")]:
        monkeypatch.delitem(sys.modules, name)
    import pkg.a

    model = pkg.a.net()
    result = lint_path(str(tmp_path / "pkg" / "a.py"), Options(model="net", input_shape=(3, 16, 16)))
    (report,) = result.models
    assert report.total_params == sum(p.numel() for p in model.parameters())
    assert report.output_shape == list(model(torch.zeros(1, 3, 16, 16)).shape[1:])
    read = {Path(path).name for path, digest in result.reads.items() if digest is not None}
    assert read == {"b.py"}


def test_a_model_is_reported_with_the_file_that_defines_it(tmp_path):
    """A package ``__init__`` that star-imports its model modules builds none of their classes or factories
    again (timm's ran a hundred); a file that builds an imported class still reports that model."""
    write(tmp_path, {"pkg/__init__.py": """
        from .nets import *
    """, "pkg/nets.py": """
        import torch.nn as nn


        class Net(nn.Module):
            def __init__(self, width=8):
                super().__init__()
                self.conv = nn.Conv2d(3, width, 3)

            def forward(self, x):
                return self.conv(x)


        def small_net(pretrained=False):
            return Net(4)
    """, "pkg/train.py": """
        from pkg.nets import Net, small_net

        model = Net(16)
    """})
    assert lint_path(str(tmp_path / "pkg" / "__init__.py"), Options()).models == []
    defined = lint_path(str(tmp_path / "pkg" / "nets.py"), Options())
    assert [(m.name, m.total_params) for m in defined.models] == [("small_net", 112)]  # Net: the class it builds
    built = lint_path(str(tmp_path / "pkg" / "train.py"), Options())
    assert [(m.name, m.total_params) for m in built.models] == [("model", 448)]


def test_an_imported_module_is_not_run_as_a_script(tmp_path):
    """``if __name__ == "__main__":`` in a module the file imports is False, as Python decides it (pytorchcv's
    modules build every model they define there, which spent the importing file's step budget)."""
    agrees(tmp_path, {"blocks.py": """
        import torch.nn as nn

        WIDTH = 8


        def head(cin, classes):
            return nn.Sequential(nn.Flatten(), nn.Linear(cin, classes))


        if __name__ == "__main__":
            WIDTH = 99
    """, "net.py": """
        import torch.nn as nn

        from blocks import WIDTH, head

        model = nn.Sequential(nn.Conv2d(3, WIDTH, 3), nn.AdaptiveAvgPool2d(1), head(WIDTH, 10))
    """}, "net.py", "model", (3, 16, 16))
