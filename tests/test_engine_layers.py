"""Engine layers on their own: symbolic sizes, MACs and the findings they record."""

from __future__ import annotations

import pytest

from cnnlint import dims
from cnnlint.dims import Expr
from cnnlint.engine.base import Layer, apply
from cnnlint.engine.conv import Conv
from cnnlint.engine.core import Dense, Flatten
from cnnlint.engine.recurrent import Recurrent
from cnnlint.engine.reshaping import Pad, Reshape
from cnnlint.engine.windows import VALID
from cnnlint.frontends.keras.layers import KERAS
from cnnlint.graph import Problem, Tensor, Window, node_macs

BATCH = Expr.symbol("batch")
H = Expr.symbol("H")
W = Expr.symbol("W")


def run(type_name, *args, shape, **kwargs):
    return apply(KERAS.build(type_name, args, kwargs), [Tensor((BATCH,) + shape)])


def problems(node, kind):
    return [f for f in node.facts if isinstance(f, Problem) and f.kind == kind]


def test_conv_macs_and_weights():
    node = run("Conv2D", 8, 3, shape=(32, 32, 3))
    assert node.output.shape == (BATCH, 30, 30, 8)
    assert node.weights.trainable == 3 * 3 * 3 * 8 + 8
    assert node_macs(node) == 30 * 30 * 8 * 27


def test_grouped_conv_macs_count_only_the_group_inputs():
    node = run("Conv2D", 8, 3, groups=2, padding="same", shape=(10, 10, 4))
    assert node_macs(node) == 10 * 10 * 8 * 3 * 3 * 2


def test_symbolic_input_gives_symbolic_shapes_and_weights():
    conv = run("Conv2D", 4, 3, strides=2, shape=(H, W, 3))
    assert [dims.evaluate(d, {"H": 9, "W": 12}) for d in conv.output.shape[1:3]] == [4, 5]
    flat = apply(Flatten("keras"), [conv.output])
    dense = apply(Dense("keras", "Dense", units=10), [flat.output])
    fin = flat.output.shape[-1]
    assert dense.weights.trainable == dims.add(dims.mul(fin, 10), 10)
    assert dims.evaluate(dense.weights.trainable, {"H": 9, "W": 12}) == 4 * 5 * 4 * 10 + 10


def test_dense_on_a_sequence_counts_macs_per_position():
    node = run("Dense", 6, shape=(7, 5))
    assert node.output.shape == (BATCH, 7, 6)
    assert node_macs(node) == 7 * 5 * 6


def test_empty_window_records_the_fact_and_stops():
    node = run("MaxPooling2D", 3, shape=(2, 8, 1))
    assert node.output.shape is None
    (empty,) = [f for f in node.facts if isinstance(f, Window) and f.output <= 0]
    assert (empty.axis, empty.size, empty.kernel, empty.output) == ("row", 2, 3, 0)


def test_declared_features_mismatch_shows_the_flattened_arithmetic():
    conv = run("Conv2D", 16, 3, shape=(6, 6, 1))
    flat = apply(Flatten("torch"), [conv.output])
    linear = apply(Dense("torch", "Linear", units=10, in_features=250), [flat.output])
    (problem,) = problems(linear, "mismatch")
    assert "expects 250 features" in problem.message and "4·4·16 = 256" in problem.message
    assert linear.weights.trainable == 250 * 10 + 10  # declared weights still count


def test_reshape_mismatch_gives_both_element_counts():
    node = apply(Reshape("keras", "Reshape", target=(4, 4)), [Tensor((BATCH, 3, 5))])
    (problem,) = problems(node, "mismatch")
    assert "15" in problem.message and "16" in problem.message


def test_reshape_with_symbolic_batch_infers_minus_one():
    node = apply(Reshape("torch", "view", target=(-1, 80), includes_batch=True), [Tensor((BATCH, 5, 4, 4))])
    assert node.output.shape == (BATCH, 80)


def test_cropping_everything_is_a_non_positive_problem():
    node = apply(Pad("keras", "Cropping1D", amounts=((2, 3),), crop=True), [Tensor((BATCH, 5, 2))])
    assert problems(node, "non-positive")


def test_lstm_macs_are_per_time_step():
    node = run("LSTM", 4, return_sequences=True, shape=(10, 3))
    assert node.output.shape == (BATCH, 10, 4)
    assert node_macs(node) == 10 * 4 * 4 * (3 + 4)


def test_stacked_bidirectional_torch_lstm_feeds_both_directions_upwards():
    lstm = Recurrent("torch", "LSTM", cell="lstm", units=8, bias_vectors=2, directions=2, num_layers=2,
                     input_size=5, torch_outputs=True)
    first = 4 * 8 * (5 + 8) + 2 * 4 * 8
    second = 4 * 8 * (16 + 8) + 2 * 4 * 8
    assert lstm.declared.trainable == 2 * (first + second)


def test_multi_head_attention_macs():
    node = apply(KERAS.build("MultiHeadAttention", (2, 3), {}), [Tensor((BATCH, 5, 4)), Tensor((BATCH, 7, 6))])
    projections = 5 * 4 * 6 + 7 * 6 * 6 * 2
    attention = 5 * 7 * 6 * 2
    output = 5 * 6 * 4
    assert node_macs(node) == projections + attention + output


def test_merge_of_incompatible_shapes_names_the_axis():
    node = apply(KERAS.build("Add", (), {}), [Tensor((BATCH, 3, 4)), Tensor((BATCH, 3, 5))])
    (problem,) = problems(node, "mismatch")
    assert "4 vs 5" in problem.message


def _layer_classes() -> list:
    """Every engine layer class, wherever it is defined (engine and front ends)."""
    import importlib
    import pkgutil

    import cnnlint.engine
    import cnnlint.frontends

    for package in (cnnlint.engine, cnnlint.frontends):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    found, stack = [], [Layer]
    while stack:
        for sub in stack.pop().__subclasses__():
            found.append(sub)
            stack.append(sub)
    return found


@pytest.mark.parametrize("cls", _layer_classes(), ids=lambda cls: cls.__name__)
def test_every_layer_class_says_what_it_declares_and_what_input_it_implies(cls):
    """The implied-input solver reads these; a layer that forgot them would be skipped silently."""
    for method in ("declared_sizes", "implied_input"):
        assert getattr(cls, method) is not getattr(Layer, method), f"{cls.__name__} does not define {method}"


def test_a_conv_knows_its_channel_axis_batched_or_not():
    torch_conv = Conv("torch", "Conv2d", rank=2, filters=8, kernel=(3, 3), strides=(1, 1), padding=[VALID] * 2,
                      dilation=(1, 1), channels_last=False, in_channels=3)
    keras_conv = Conv("keras", "Conv2D", rank=2, filters=8, kernel=(3, 3), strides=(1, 1), padding=[VALID] * 2,
                      dilation=(1, 1), channels_last=True)
    assert [torch_conv.channel_axis(4), torch_conv.channel_axis(3)] == [1, 0]
    assert [keras_conv.channel_axis(4), keras_conv.channel_axis(3)] == [3, 2]
