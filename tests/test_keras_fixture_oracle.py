"""Keras fixtures, run for real in Keras, must give cnnlint's numbers exactly."""

import os
import sys
import types

import pytest

from cnnlint.runner import Options, lint_path

from .conftest import FIXTURES

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")


def run_fixture_in_keras(path):
    """Execute the fixture with Keras 3 standing in for tf.keras."""
    tf = types.ModuleType("tensorflow")
    tf.keras = keras
    saved = {name: sys.modules.get(name) for name in ("tensorflow", "tensorflow.keras")}
    sys.modules["tensorflow"], sys.modules["tensorflow.keras"] = tf, keras
    try:
        namespace = {"__name__": "fixture"}
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    return namespace


KERAS_FIXTURES = sorted(p for p in FIXTURES.glob("*keras*.py") if not any(word in p.name for word in ("bad", "buggy", "side_effect")))


@pytest.mark.parametrize("path", KERAS_FIXTURES, ids=lambda p: p.name)
def test_fixture_matches_real_keras(path):
    namespace = run_fixture_in_keras(path)
    result = lint_path(str(path), Options())
    assert result.models, "cnnlint found no model"
    for report in result.models:
        model = namespace[report.name]
        assert report.total_params == model.count_params()
        trainable = sum(int(w.numpy().size) for w in model.trainable_weights)
        assert report.trainable_params == trainable
        assert report.output_shape == list(model.output_shape[1:])
        assert len(report.layers) == len(model.layers)
        for row, layer in zip(report.layers, model.layers):
            assert row.type == type(layer).__name__
            assert row.output_shape == list(layer.output.shape[1:])
            assert row.params == layer.count_params()
