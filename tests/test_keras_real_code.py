"""Keras code as people write it (tutorials, transfer learning, GANs, tf.keras scripts), run for real.

Each case is one source text: cnnlint lints it, and the same text runs in Keras 3 (standing in for
``tf.keras``); the parameter counts (total and trainable) and output shapes must agree exactly, and no
error-level diagnostic may be reported on code that runs.
"""

from __future__ import annotations

import os
import textwrap

import pytest

from .conftest import keras_as_tensorflow, lint

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")


def run_in_keras(source: str) -> dict:
    namespace = {"__name__": "model"}
    with keras_as_tensorflow():
        exec(compile(textwrap.dedent(source), "model.py", "exec"), namespace)
    return namespace


def _trainable(model) -> int:
    return sum(int(w.numpy().size) for w in model.trainable_weights)


def _output_shape(model):
    shape = model.output_shape
    if isinstance(shape, list):
        return [list(s[1:]) for s in shape]
    return list(shape[1:])


def agrees(source: str, name: str = "model") -> object:
    """Lint ``source`` and run it in Keras: the report of model ``name`` must be Keras' numbers."""
    result = lint(source)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert not errors, errors
    report = next(r for r in result.models if r.name == name)
    model = run_in_keras(source)[name]
    assert (report.total_params, report.trainable_params) == (model.count_params(), _trainable(model)), \
        [d.message for d in result.diagnostics]
    if getattr(model, "outputs", None):
        assert report.output_shape == _output_shape(model)
    return report


# -- false errors --------------------------------------------------------------------------


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave"])
@pytest.mark.parametrize("return_sequences", [True, False])
def test_bidirectional_wraps_the_recurrent_layer_written_inside_it(merge_mode, return_sequences):
    agrees(f"""
        from tensorflow import keras
        from tensorflow.keras import layers
        model = keras.Sequential([
            keras.Input(shape=(20, 8)),
            layers.Bidirectional(layers.LSTM(16, return_sequences=True)),
            layers.Bidirectional(layers.GRU(6, return_sequences={return_sequences}), merge_mode={merge_mode!r}),
            layers.Dense(1),
        ])
    """)


def test_bidirectional_without_merging_and_with_a_backward_layer():
    agrees("""
        from tensorflow import keras
        from tensorflow.keras import layers
        inputs = keras.Input(shape=(12, 5))
        forward, backward = layers.Bidirectional(layers.SimpleRNN(7), merge_mode=None)(inputs)
        both = layers.Bidirectional(layers.LSTM(4), backward_layer=layers.LSTM(4, go_backwards=True))(inputs)
        model = keras.Model(inputs, layers.Concatenate()([forward, backward, both]))
    """)


def test_bidirectional_of_a_layer_cnnlint_cannot_size_is_unknown_not_an_error():
    result = lint("""
        from tensorflow import keras
        from tensorflow.keras import layers
        units = int(open("units.txt").read())
        model = keras.Sequential([keras.Input(shape=(20, 8)), layers.Bidirectional(layers.LSTM(units))])
    """)
    assert [d.code for d in result.diagnostics] == ["CNN900"]
    assert result.models[0].total_params is None


def test_bidirectional_of_a_refused_layer_is_the_framework_error():
    result = lint("""
        from tensorflow import keras
        from tensorflow.keras import layers
        model = keras.Sequential([keras.Input(shape=(20, 8)), layers.Bidirectional(layers.LSTM(0))])
    """)
    assert [d.code for d in result.diagnostics] == ["CNN104"]


def test_a_size_from_a_configuration_module_beside_the_script(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text("NUM_CLASSES = 10\nHIDDEN = (32, 16)\n")
    source = textwrap.dedent("""
        import config
        from tensorflow import keras
        model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(config.HIDDEN[0]),
                                  keras.layers.Dense(units=config.NUM_CLASSES)])
    """)
    from cnnlint.runner import Options, lint_path
    path = tmp_path / "train.py"
    path.write_text(source)
    report = lint_path(str(path), Options()).models[0]
    monkeypatch.syspath_prepend(str(tmp_path))
    model = run_in_keras(source)["model"]
    assert (report.total_params, report.output_shape) == (model.count_params(), [10])


def test_a_size_from_a_module_cnnlint_cannot_read_is_unknown_not_an_error():
    result = lint("""
        import settings
        from tensorflow import keras
        model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(units=settings.NUM_CLASSES)])
    """)
    assert [(d.code, "settings.NUM_CLASSES" in d.message) for d in result.diagnostics] == [("CNN900", True)]
    assert result.models[0].total_params is None
