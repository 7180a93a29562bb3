"""CNN900 analysis-incomplete: where cnnlint stops, it says why, and counts stay unknown rather than smaller."""

import textwrap

import pytest

from ..conftest import KERAS_HEADER, lint, lint_file


def test_unknown_layer_type_makes_what_follows_unknown(tmp_path):
    doc, code = lint_file(tmp_path, "m.py", KERAS_HEADER + "m = keras.Sequential([keras.Input((8, 8, 1)),\n"
                     "    layers.Conv2D(4, 3),\n    layers.FancyNewLayer(7),\n    layers.Flatten(),\n    layers.Dense(2)])\n")
    assert code == 0
    info = [d for d in doc["diagnostics"] if d["code"] == "CNN900"]
    assert info and info[0]["severity"] == "info" and info[0]["line"] == 5
    assert "FancyNewLayer" in info[0]["message"]
    (model,) = doc["models"]
    assert model["layers"][0]["output_shape"] == [6, 6, 4] and model["layers"][0]["params"] == 40
    assert [layer["output_shape"] for layer in model["layers"][1:]] == [None, None, None]
    assert model["total_params"] is None


def test_an_unknown_layer_stops_the_analysis_with_a_reason():
    result = lint("""
        import torch.nn as nn
        from torchvision.ops import StochasticDepth
        model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.Fold(4, 2), nn.Flatten())
        """, (3, 8, 8))
    assert [d.code for d in result.diagnostics] == ["CNN900"]
    assert "torch.nn.Fold" in result.diagnostics[0].message


@pytest.mark.parametrize("source", [
    # a member of a container cnnlint cannot compute is a module it cannot see
    "model = nn.Sequential(nn.Linear(4, 8), head())",
    "model = nn.Sequential(nn.Linear(4, 8), nn.ModuleList([head()])[0])",
    # an attribute it cannot compute may hold a module: model.parameters() would count it
    """
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 8)
            self.extra = head()

        def forward(self, x):
            return self.fc(x)

    model = Net()
    """,
])
def test_what_cnnlint_cannot_compute_leaves_the_count_unknown_not_smaller(source):
    result = lint("import torch.nn as nn\nfrom elsewhere import head\n" + textwrap.dedent(source), (4,))
    (model,) = result.models
    assert model.total_params is None
    assert [d.code for d in result.diagnostics] == ["CNN900"]
    assert "elsewhere.head()" in result.diagnostics[0].message


def test_slice_of_a_sequential_with_bounds_it_cannot_compute():
    """Regression (torchvision detection models): an unknown slice bound is CNN900, not a crash."""
    from cnnlint.runner import Options, lint_source

    source = ("import torch.nn as nn\nfrom somewhere import depth\n"
              "class Net(nn.Module):  # cnnlint: input-shape=4\n    def __init__(self):\n        super().__init__()\n"
              "        self.body = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 2))[:depth]\n"
              "    def forward(self, x):\n        return self.body(x)\n")
    result = lint_source("net.py", source.encode(), Options())
    assert not result.internal_error
    (model,) = result.models
    assert model.total_params is None
    assert any(d.code == "CNN900" for d in result.diagnostics)


def test_a_functional_model_through_a_layer_cnnlint_cannot_see_is_reported_not_dropped():
    result = lint("import keras\nfrom keras import layers\nfrom elsewhere import block\n"
                  "inputs = keras.Input((4,))\nx = block()(layers.Dense(8)(inputs))\n"
                  "model = keras.Model(inputs, x)\n")
    (model,) = result.models
    assert model.name == "model" and model.total_params is None
    (info,) = result.diagnostics
    assert info.code == "CNN900" and info.line == 6 and "elsewhere.block()" in info.message


def test_a_module_cnnlint_does_not_model_and_forward_does_not_use_is_named_as_why_the_count_is_unknown():
    result = lint("""
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(4, 8)
                self.extra = nn.FancyNew(4)

            def forward(self, x):
                return self.fc(x)

        model = Net()
        """, (4,))
    (model,) = result.models
    assert model.total_params is None and model.output_shape == [8]
    (note,) = [d.message for d in result.diagnostics]
    assert "parameter count of model is not known" in note and "torch.nn.FancyNew" in note
