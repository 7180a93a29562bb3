"""CNN101/CNN103 name the well-known slip behind them, and the fix they suggest builds in the framework."""

import textwrap

import pytest

from cnnlint.results import Options
from cnnlint.runner import lint_source

from .common import EVERY_RULE, run


def messages(source: str, code: str) -> list:
    result = lint_source("m.py", textwrap.dedent(source).encode(), Options(enabled=EVERY_RULE, report_models=False))
    return [d.message for d in result.diagnostics if d.code == code]


CHANNELS_FIRST = """
    import keras
    from keras import layers

    model = keras.Sequential()
    model.add(layers.Conv2D(32, (3, 3), activation="relu", input_shape={shape}))
    model.add(layers.MaxPooling2D((2, 2)))
    model.add(layers.Conv2D(64, (3, 3), activation="relu"))
    model.add(layers.Flatten())
    model.add(layers.Dense(10, activation="softmax"))
"""


def test_channels_first_input_shape():
    (message,) = messages(CHANNELS_FIRST.format(shape=(3, 32, 32)), "CNN103")
    assert "did you mean (32, 32, 3), or data_format='channels_first'" in message
    with pytest.raises(ValueError):
        run(CHANNELS_FIRST.format(shape=(3, 32, 32)))
    fixed = CHANNELS_FIRST.format(shape=(32, 32, 3))
    assert messages(fixed, "CNN103") == [] and run(fixed)["model"].output_shape == (None, 10)


def test_no_layout_hint_for_a_channels_last_shape():
    source = CHANNELS_FIRST.format(shape=(32, 3, 3))
    assert all("channels first" not in m for m in messages(source, "CNN103") + messages(source, "CNN101"))


STACKED = """
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(20, 8)),
        layers.LSTM(32{sequences}),
        layers.LSTM(16),
        layers.Dense(1),
    ])
"""


def test_stacked_recurrent_layers_suggest_return_sequences():
    (message,) = messages(STACKED.format(sequences=""), "CNN101")
    assert "pass return_sequences=True to it" in message
    with pytest.raises(ValueError):
        run(STACKED.format(sequences=""))
    fixed = STACKED.format(sequences=", return_sequences=True")
    assert messages(fixed, "CNN101") == [] and run(fixed)["model"].output_shape == (None, 1)


def test_layer_after_a_flatten_of_the_whole_batch():
    source = """
        from torch import nn


        class Net(nn.Module):  # cnnlint: input-shape=8,4,4
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv1d(8, 2, 1)

            def forward(self, x):
                return self.conv(x.view(-1))
    """
    (message,) = messages(source, "CNN101")
    assert "flattened the batch axis too" in message


def test_plain_mismatch_gets_no_hint():
    source = """
        from torch import nn

        model = nn.Sequential(nn.Flatten(), nn.Linear(100, 10))  # cnnlint: input-shape=1,8,8
    """
    (message,) = messages(source, "CNN101")
    assert not any(hint in message for hint in ("flattened the batch", "return_sequences", "channels first"))
