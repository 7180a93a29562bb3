"""CNN301 bias-before-normalization: a per-channel bias that the batch normalisation right after it subtracts."""

import pytest

from ..conftest import lint

TORCH = "import torch.nn as nn\n"
KERAS = "import keras\nfrom keras import layers\n"


@pytest.mark.parametrize("source, input_shape", [
    (TORCH + "model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8))\n", (3, 16, 16)),
    (TORCH + "model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8))\n", (4,)),
    (KERAS + "model = keras.Sequential([keras.Input((16, 16, 3)), layers.Conv2D(8, 3), layers.BatchNormalization()])\n",
     None),
    (KERAS + "model = keras.Sequential([keras.Input((16, 16, 3)), layers.Conv2D(8, 3, data_format='channels_first'),"
             " layers.BatchNormalization(axis=1)])\n", None),
])
def test_a_bias_normalised_away_along_its_channel_axis(source, input_shape):
    result = lint(source, input_shape)
    (diagnostic,) = [d for d in result.diagnostics if d.code == "CNN301"]
    assert "has a bias of 8 parameters" in diagnostic.message


@pytest.mark.parametrize("source, input_shape", [
    (TORCH + "model = nn.Sequential(nn.Conv2d(3, 8, 3, bias=False), nn.BatchNorm2d(8))\n", (3, 16, 16)),
    (TORCH + "model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.BatchNorm2d(8))\n", (3, 16, 16)),
    # normalised over another axis than the channels: the bias is no per-channel constant there
    (KERAS + "model = keras.Sequential([keras.Input((16, 16, 3)), layers.Conv2D(8, 3), "
             "layers.BatchNormalization(axis=1)])\n", None),
    (KERAS + "model = keras.Sequential([keras.Input((16, 16, 3)), layers.Conv2D(8, 3, activation='relu'), "
             "layers.BatchNormalization()])\n", None),
])
def test_no_finding_when_the_bias_survives(source, input_shape):
    assert [d.code for d in lint(source, input_shape).diagnostics if d.code == "CNN301"] == []
