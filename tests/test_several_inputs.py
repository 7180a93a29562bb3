"""Models whose forward takes several tensors (RAFT's two images), given one shape per input, against PyTorch.

``--input-shape "(3,224,224),(3,224,224)"`` (or ``3,224,224; 3,224,224``), the input-shape pragma and the
configuration's ``input-shapes`` give each input its shape, as torchinfo's ``input_size`` takes a list of
sizes.  One shape given to a forward that needs two leaves it unknown (CNN900), never the shape guessed for
the other input.
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from cnnlint.config import shape as config_shape  # noqa: E402
from cnnlint.runner import Options, lint_source  # noqa: E402
from cnnlint.suppressions import parse_shape  # noqa: E402

HEADER = "import torch\nfrom torch import nn\nimport torch.nn.functional as F\n\n"

#: RAFT in small: both images through one encoder stacked on the batch axis, split back with chunk, the
#: feature maps compared before use, a correlation sampled with grid_sample
FLOW = '''
class Flow(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.head = nn.Conv2d(8, 2, 3, padding=1)
        self.pyramid = [torch.tensor(0)]

    def build(self, fmap1, fmap2):
        if fmap1.shape != fmap2.shape:
            raise ValueError("the feature maps differ")
        self.pyramid = [fmap1 * fmap2]

    def forward(self, image1, image2):
        fmaps = self.encoder(torch.cat([image1, image2], dim=0))
        fmap1, fmap2 = torch.chunk(fmaps, chunks=2, dim=0)
        self.build(fmap1, fmap2)
        n, _, h, w = fmap1.shape
        grid = torch.zeros(n, h, w, 2)
        sampled = F.grid_sample(self.pyramid[0], grid, align_corners=True)
        flow = self.head(sampled)
        return [flow, F.interpolate(flow, scale_factor=2)]
'''

#: a shape comparison whose sizes cnnlint does not know (how many rows a mask keeps)
COMPARED = '''
class Masked(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)

    def forward(self, x):
        features = self.conv(x)
        kept = features[:, :, torch.ones(6).bool()]
        if kept.shape != kept.shape:
            return kept[0, 0]
        return features
'''


def _lint(source: str, shape, name: str):
    result = lint_source("model.py", (HEADER + source).encode(), Options(input_shape=shape))
    (model,) = [m for m in result.models if m.name == name]
    return model, result.diagnostics


def _torch(source: str, name: str, *shapes):
    namespace: dict = {}
    exec(HEADER + source, namespace)  # noqa: S102 - the test's own source
    model = namespace[name]().eval()
    with torch.no_grad():
        out = model(*(torch.rand(1, *shape) for shape in shapes))
    outputs = [list(o.shape[1:]) for o in out] if isinstance(out, list) else list(out.shape[1:])
    return sum(p.numel() for p in model.parameters()), outputs


@pytest.mark.parametrize("text, expected", [
    ("3,224,224", (3, 224, 224)), ("(1, 28, 28)", (1, 28, 28)),
    ("(3,224,224),(3,224,224)", ((3, 224, 224), (3, 224, 224))), ("(3, 8, 8), (8,)", ((3, 8, 8), (8,))),
    ("3,224,224; 3,224,224", ((3, 224, 224), (3, 224, 224))), ("[3,4],[5]", ((3, 4), (5,))),
    ("(3,4),(0,2)", None), ("(3,4),x", None), ("3,4;", (3, 4)), (";", None)])
def test_shapes_of_several_inputs_are_read(text, expected):
    assert parse_shape(text) == expected


def test_the_configuration_takes_a_shape_per_input():
    assert config_shape([[3, 16, 16], [3, 16, 16]], "input-shapes", "") == ((3, 16, 16), (3, 16, 16))


def test_a_model_of_two_images_is_pytorchs():
    model, diagnostics = _lint(FLOW, ((3, 16, 16), (3, 16, 16)), "Flow")
    params, outputs = _torch(FLOW, "Flow", (3, 16, 16), (3, 16, 16))
    assert [d.message for d in diagnostics if d.code in ("CNN900", "CNN101", "CNN104")] == []
    assert (model.total_params, model.output_shape, model.input_shape) == (params, outputs,
                                                                           [[3, 16, 16], [3, 16, 16]])


def test_one_shape_for_two_images_is_not_a_guess():
    model, diagnostics = _lint(FLOW, (3, 16, 16), "Flow")
    assert model.output_shape is None
    assert any(d.code == "CNN900" and "image2" in d.message for d in diagnostics)


def test_the_pragma_gives_each_input_its_shape():
    source = FLOW.replace("class Flow(nn.Module):", "class Flow(nn.Module):  # cnnlint: input-shape=(3,16,16),(3,16,16)")
    model, _ = _lint(source, None, "Flow")
    assert model.output_shape == _torch(FLOW, "Flow", (3, 16, 16), (3, 16, 16))[1]


def test_comparing_shapes_with_unknown_sizes_is_undecided():
    """``x.shape != y.shape`` was decided True when a size was unknown (Python compared the unknowns as
    objects): the branch PyTorch never takes gave an exact, wrong output shape."""
    model, _ = _lint(COMPARED, (3, 8, 8), "Masked")
    _, output = _torch(COMPARED, "Masked", (3, 8, 8))
    assert model.output_shape in (None, output)


def test_the_command_line_takes_a_shape_per_input(cnnlint_json, tmp_path):
    path = tmp_path / "flow.py"
    path.write_text(HEADER + FLOW)
    report, _ = cnnlint_json(str(path), "--input-shape", "(3,16,16),(3,16,16)")
    (model,) = report["models"]
    assert model["input_shape"] == [[3, 16, 16], [3, 16, 16]]
    assert model["output_shape"] == _torch(FLOW, "Flow", (3, 16, 16), (3, 16, 16))[1]
