"""Parameter counts of a model whose forward cnnlint cannot follow to the end, against PyTorch.

torchvision's detection models loop over the images of a list and over per-image boxes: cnnlint
cannot unroll those loops, so shapes and MACs after them are unknown (CNN900).  The parameters are
those the constructor registered, unless the code left unrun could register, remove or freeze one:
then the counts are unknown too, never a guess.  Each source is a minimal reproduction; PyTorch
builds it and counts its parameters (``model.parameters()``, as the benchmark's oracle does).
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from cnnlint.runner import Options, lint_source  # noqa: E402

HEADER = "import torch\nfrom torch import nn\n\n"

DETECTOR = '''
class Detector(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU())
        self.head = nn.Conv2d(8, 4, 1)
        self._has_warned = False
        for name, parameter in self.backbone.named_parameters():
            if not name.startswith("1."):
                parameter.requires_grad_(False)

    def forward(self, images):
        sizes = []
        for img in images:
            sizes.append(img.shape[-2:])
        features = self.head(self.backbone(images))
        detections = []
        for feature, size in zip(features, sizes):
            detections.append({"boxes": feature.flatten(1)[:, : size[0]]})
        self._has_warned = True
        return detections
'''

#: forward's unrolled loop goes on to change the registered parameters, each in its own way
CHANGING_LOOPS = {
    "add_module": "self.add_module('extra', nn.Linear(4, 4))",
    "setattr": "setattr(self, 'extra', nn.Linear(4, 4))",
    "lazy-helper": "self.build_extra()",
    "register_parameter": "self.register_parameter('scale', nn.Parameter(torch.ones(4)))",
    "freeze": "self.head.weight.requires_grad_(False)",
    "container-item": "self.blocks[0] = nn.Linear(4, 4)",
}
CHANGING = '''
class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.head = nn.Conv2d(3, 4, 1)
        self.blocks = nn.ModuleList([nn.Identity()])

    def build_extra(self):
        self.extra = nn.Linear(4, 4)

    def forward(self, images):
        for img in images:
            {change}
        return self.head(images)
'''

FROZEN_BY_PARAMETERS = '''
class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU(), nn.Conv2d(8, 8, 3))
        self.head = nn.Linear(8, 10)
        for block in self.features[:2]:
            for parameter in block.parameters():
                parameter.requires_grad_(False)

    def forward(self, x):
        return self.head(self.features(x).mean((2, 3)))
'''

FROZEN_IN_PART = '''
class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.head = nn.Linear(8, 10)
        for name, parameter in self.named_parameters():
            if name.endswith("weight"):
                parameter.requires_grad_(False)

    def forward(self, x):
        return self.head(self.conv(x).mean((2, 3)))
'''


def _lint(source: str, shape: tuple, name: str):
    result = lint_source("model.py", (HEADER + source).encode(), Options(input_shape=shape, report_models=True))
    (model,) = [m for m in result.models if m.name == name]
    return model, result.diagnostics


def _torch(source: str, name: str):
    namespace: dict = {}
    exec(HEADER + source, namespace)  # noqa: S102 - the test's own source
    model = namespace[name]().eval()
    return (sum(p.numel() for p in model.parameters()),
            sum(p.numel() for p in model.parameters() if p.requires_grad))


def test_a_detector_looping_over_its_images_has_exact_counts():
    """The per-image loops stop the trace (CNN900, output and MACs unknown); the counts are PyTorch's."""
    model, diagnostics = _lint(DETECTOR, (3, 16, 16), "Detector")
    assert (model.total_params, model.trainable_params) == _torch(DETECTOR, "Detector")
    assert model.output_shape is None and model.macs is None and not model.complete
    assert any(d.code == "CNN900" and "loop over images" in d.message for d in diagnostics)
    assert not any(d.severity == "error" for d in diagnostics)


@pytest.mark.parametrize("change", list(CHANGING_LOOPS.values()), ids=list(CHANGING_LOOPS))
def test_a_skipped_loop_that_changes_the_parameters_leaves_them_unknown(change):
    model, diagnostics = _lint(CHANGING.format(change=change), (3, 8, 8), "Model")
    assert (model.total_params, model.trainable_params) == (None, None)
    assert any(d.code == "CNN900" for d in diagnostics)


def test_freezing_through_parameters_is_pytorchs():
    """``for p in block.parameters(): p.requires_grad_(False)`` (torchvision's SSD backbones)."""
    model, _ = _lint(FROZEN_BY_PARAMETERS, (3, 16, 16), "Model")
    params, trainable = _torch(FROZEN_BY_PARAMETERS, "Model")
    assert (model.total_params, model.trainable_params) == (params, trainable)
    assert trainable < params


def test_a_layer_frozen_in_part_has_unknown_trainable_counts():
    """``named_parameters()`` names each weight and bias: freezing only the weights leaves a layer
    trainable in part, which cnnlint's per-layer counts cannot say: unknown, not the whole layer frozen
    or trainable."""
    model, _ = _lint(FROZEN_IN_PART, (3, 16, 16), "Model")
    params, trainable = _torch(FROZEN_IN_PART, "Model")
    assert 0 < trainable < params
    assert model.trainable_params is None and model.total_params in (None, params)
