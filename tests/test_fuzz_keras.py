"""Differential fuzzing: random Keras Sequential models, rendered as source, linted and run for real.

Each example is a whole file, so the front end, the engine and the rules are
exercised together as a user meets them.  The rendered source is executed with
Keras 3 standing in for ``tensorflow.keras``; the two must agree on every
layer's output shape and parameter count, and on the diagnostics:

- Keras rejects the model  <->  an error (CNN101/CNN103/CNN104) on the layer Keras rejects;
- Keras floors an output size and never reads input rows  <->  CNN102 on that layer;
- otherwise none of these (nor CNN900: every generated layer is one cnnlint models).

Profiles: "ci" (default: bounded and derandomized, about a minute) and
"soak" (thousands of examples): ``CNNLINT_HYPOTHESIS_PROFILE=soak pytest tests/test_fuzz_keras.py``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")
from hypothesis import HealthCheck, event, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cnnlint.runner import Options, lint_source  # noqa: E402

from .conftest import keras_as_tensorflow  # noqa: E402

settings.register_profile("ci", max_examples=400, derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("soak", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PROFILE = os.environ.get("CNNLINT_HYPOTHESIS_PROFILE", "ci")

IMPORTS = "from tensorflow import keras\nfrom tensorflow.keras import layers\n\n"
#: both renderings put the input on line 5 and layer i on line 6 + i
FIRST_LAYER_LINE = 6
ERRORS = {"CNN101", "CNN103", "CNN104"}
#: what the framework can confirm or refute; style checks (CNN301 bias before normalization...) are not
COMPARED = ERRORS | {"CNN000", "CNN102", "CNN900"}


@dataclass
class Layer:
    kind: str
    kwargs: dict = field(default_factory=dict)
    #: (kernel, stride, dilation) per spatial axis when a valid-padded window may floor the output size
    window: tuple = None

    def source(self) -> str:
        return f"layers.{self.kind}({', '.join(f'{k}={v!r}' for k, v in self.kwargs.items())})"


sizes = st.integers(1, 5)
strides = st.sampled_from([1, 1, 2, 3])


@st.composite
def conv(draw, kind):
    padding = draw(st.sampled_from(["valid", "valid", "same"]))
    kernel, stride = draw(sizes), draw(strides)
    dilation = draw(st.sampled_from([1, 1, 1, 2]))
    kwargs = {} if kind == "DepthwiseConv2D" else {"filters": draw(st.integers(1, 8))}
    kwargs.update(kernel_size=kernel, strides=stride, padding=padding)
    if dilation != 1:
        kwargs["dilation_rate"] = dilation  # with strides > 1 Keras refuses it: an error case
    if draw(st.booleans()):
        kwargs["use_bias"] = False
    flooring = padding == "valid" and kind != "Conv2DTranspose"
    return Layer(kind, kwargs, ((kernel, stride, dilation),) * 2 if flooring else None)


@st.composite
def pooling(draw, kind):
    pool, padding = draw(sizes), draw(st.sampled_from(["valid", "valid", "same"]))
    stride = draw(st.one_of(st.none(), strides))
    kwargs = {"pool_size": pool, "padding": padding}
    if stride is not None:
        kwargs["strides"] = stride
    window = ((pool, stride or pool, 1),) * 2 if padding == "valid" else None
    return Layer(kind, kwargs, window)


def simple(kind, **kwargs):
    return st.just(Layer(kind, kwargs))


layer = st.one_of(
    conv("Conv2D"), conv("DepthwiseConv2D"), conv("SeparableConv2D"), conv("Conv2DTranspose"),
    pooling("MaxPooling2D"), pooling("AveragePooling2D"),
    st.builds(lambda units, bias: Layer("Dense", {"units": units, "use_bias": bias}), st.integers(1, 16), st.booleans()),
    st.builds(lambda p: Layer("ZeroPadding2D", {"padding": p}), st.integers(0, 2)),
    st.builds(lambda c: Layer("Cropping2D", {"cropping": c}), st.integers(0, 3)),
    st.builds(lambda s: Layer("UpSampling2D", {"size": s}), st.integers(1, 3)),
    simple("Flatten"), simple("GlobalAveragePooling2D"), simple("BatchNormalization"), simple("ReLU"),
    simple("Dropout", rate=0.5),
    # arguments Keras rejects when the layer is built
    st.builds(lambda k: Layer("Conv2D", {"filters": 4, "kernel_size": k}), st.sampled_from([0, -1])),
    simple("Conv2D", filters=0, kernel_size=3), simple("MaxPooling2D", pool_size=2, strides=0),
)


@st.composite
def models(draw):
    shape = (draw(st.integers(1, 24)), draw(st.integers(1, 24)), draw(st.integers(1, 3)))
    return shape, draw(st.lists(layer, min_size=1, max_size=6)), draw(st.sampled_from(["sequential", "functional"]))


def render(shape, stack, style) -> str:
    """The stack as a Keras Sequential, or as a functional model (keras.Input, layers called on x, keras.Model)."""
    if style == "functional":
        lines = ["model_input = keras.Input(shape=%r)" % (shape,), "x = model_input"]
        lines += [f"x = {layer.source()}(x)" for layer in stack] + ["model = keras.Model(model_input, x)"]
        return IMPORTS + "\n".join(lines) + "\n"
    lines = ["model = keras.Sequential([", f"    keras.Input(shape={shape!r}),"]
    lines += [f"    {layer.source()}," for layer in stack]
    return IMPORTS + "\n".join(lines) + "\n])\n"


def keras_truth(source: str, shape, stack):
    """Run the rendered file; on failure, apply the layers one by one to find the one Keras rejects.

    Returns (rows, failing index or None, input shape of each layer); rows are
    (output shape, params) of the layers Keras accepted.
    """
    def build():
        namespace = {}
        exec(compile(source, "model.py", "exec"), namespace)
        return namespace["model"]

    try:
        with keras_as_tensorflow():
            model = build()
    except Exception:
        model = None
    rows, inputs = [], []
    x = keras.Input(shape=shape)
    for i, spec in enumerate(stack):
        inputs.append(tuple(x.shape[1:]))
        try:
            built = getattr(keras.layers, spec.kind)(**spec.kwargs)
            x = built(x)
        except Exception:
            assert model is None, f"layer {i} fails alone but the model builds"
            return rows, i, inputs
        rows.append((list(x.shape[1:]), built.count_params()))
    assert model is not None, "every layer builds alone but the model does not"
    assert rows == [(list(lay.output.shape[1:]), lay.count_params()) for lay in model.layers
                    if type(lay).__name__ != "InputLayer"]
    return rows, None, inputs


def trailing_zeros(stack, i) -> tuple:
    """Rows and columns of zeros the ZeroPadding2D layers right before layer i added after the real input."""
    rows = columns = 0
    for spec in reversed(stack[:i]):
        if spec.kind != "ZeroPadding2D":
            break
        padding = spec.kwargs.get("padding", 1)
        pairs = (padding, padding) if isinstance(padding, int) else padding
        rows, columns = rows + pairs[0], columns + pairs[1]
    return rows, columns


def floors(spec: Layer, before, after, zeros=(0, 0)) -> bool:
    """Keras' own sizes show real input rows that no window reads: not gaps a narrow kernel skips by
    design, nor zero padding added by the layer before."""
    if spec.window is None:
        return False
    for (kernel, stride, dilation), size, out, padding in zip(spec.window, before, after, zeros):
        span = dilation * (kernel - 1) + 1
        if span >= stride and out > 0 and size - ((out - 1) * stride + span) - padding > 0:
            return True
    return False


def compare(shape, stack, style="sequential") -> list:
    """Disagreements between cnnlint and Keras, as readable strings (empty when they agree)."""
    source = render(shape, stack, style)
    rows, failing, inputs = keras_truth(source, shape, stack)
    result = lint_source("model.py", source.encode(), Options())
    problems = []
    by_line = {}
    for d in (d for d in result.diagnostics if d.code in COMPARED):
        by_line.setdefault(d.line, set()).add(d.code)
    if len(result.models) != 1:
        return [f"cnnlint found {len(result.models)} models: {result.diagnostics}"]
    reported = [row for row in result.models[0].layers if row.type != "InputLayer"]
    for i, (out, params) in enumerate(rows):
        mine = reported[i]
        if (mine.output_shape, mine.params) != (out, params):
            problems.append(f"layer {i} {stack[i].source()}: keras {out} {params}, cnnlint {mine.output_shape} "
                            f"{mine.params}")
        expected = {"CNN102"} if floors(stack[i], inputs[i], out, trailing_zeros(stack, i)) else set()
        if expected:
            event("Keras floors an output size")
        got = by_line.pop(FIRST_LAYER_LINE + i, set())
        if got != expected:
            problems.append(f"layer {i} {stack[i].source()}: expected {sorted(expected)}, cnnlint {sorted(got)}")
    event("Keras rejects the model" if failing is not None else "Keras builds the model")
    if failing is not None:
        got = by_line.pop(FIRST_LAYER_LINE + failing, set())
        if not got & ERRORS:
            problems.append(f"layer {failing} {stack[failing].source()}: Keras rejects it, cnnlint {sorted(got)}")
        # after the layer Keras rejects nothing is known: whatever cnnlint says there is beside the point
        by_line = {line: codes for line, codes in by_line.items() if line < FIRST_LAYER_LINE + failing}
    elif result.models[0].total_params != sum(p for _, p in rows):
        problems.append(f"total params: keras {sum(p for _, p in rows)}, cnnlint {result.models[0].total_params}")
    if by_line:
        problems.append(f"unexpected diagnostics {by_line}")
    return problems


@settings(settings.get_profile(PROFILE))
@given(models())
@example(((1, 1, 1), [Layer("ZeroPadding2D", {"padding": 1}),
                      Layer("MaxPooling2D", {"pool_size": 2, "padding": "valid"}, ((2, 2, 1), (2, 2, 1)))],
          "sequential")).via("the pool skips only the zero padding: no CNN102")
@example(((1, 1, 1), [Layer("ZeroPadding2D", {"padding": 1}), Layer("ZeroPadding2D", {"padding": 0}),
                      Layer("MaxPooling2D", {"pool_size": 2, "padding": "valid"}, ((2, 2, 1), (2, 2, 1)))],
          "sequential")).via("zero padding of consecutive padding layers adds up")
def test_cnnlint_agrees_with_keras(model):
    shape, stack, style = model
    event(f"rendered as a {style} model")
    problems = compare(shape, stack, style)
    assert not problems, render(shape, stack, style) + "\n".join(problems)
