"""Keras fixtures, run for real in Keras, must give cnnlint's numbers exactly."""

import os

import pytest

from cnnlint.runner import Options, lint_path

from .conftest import FIXTURES, keras_as_tensorflow

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")


def run_fixture_in_keras(path):
    """Execute the fixture with Keras 3 standing in for tf.keras."""
    namespace = {"__name__": "fixture"}
    with keras_as_tensorflow():
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    return namespace


KERAS_FIXTURES = sorted(p for p in FIXTURES.glob("*keras*.py")
                        if not any(word in p.name for word in ("bad", "buggy", "side_effect")))


def keras_model_for(report, namespace):
    """The real model behind a report: a variable, a factory's result, or a built subclass instance."""
    value = namespace[report.name]
    if isinstance(value, type):
        model = value()
        model(keras.ops.zeros((1, *report.input_shape)))
        return model
    if not isinstance(value, keras.Model) and callable(value):
        return value()
    if not value.built:
        value.build((None, *report.input_shape))
    return value


@pytest.mark.parametrize("path", KERAS_FIXTURES, ids=lambda p: p.name)
def test_fixture_matches_real_keras(path):
    namespace = run_fixture_in_keras(path)
    result = lint_path(str(path), Options())
    assert result.models, "cnnlint found no model"
    for report in result.models:
        model = keras_model_for(report, namespace)
        assert report.total_params == model.count_params()
        trainable = sum(int(w.numpy().size) for w in model.trainable_weights)
        assert report.trainable_params == trainable
        if len(getattr(model, "inputs", None) or [None]) > 1:
            continue  # several inputs: the per-layer comparison below covers the outputs
        output = model(keras.ops.zeros((1, *report.input_shape)))
        assert report.output_shape == list(output.shape[1:])
        if type(model).__name__ not in ("Sequential", "Functional"):
            continue  # a subclassed model's layers have no symbolic outputs to compare
        rows = {}
        for row in report.layers:  # one row per layer object: the first application
            rows.setdefault(row.name, row)
        assert len(rows) == len(model.layers)
        for row, layer in zip(rows.values(), model.layers):  # Keras' names count across models: compare in order
            assert row.type == type(layer).__name__
            assert row.output_shape == list(layer.output.shape[1:])
            assert row.params == layer.count_params()
