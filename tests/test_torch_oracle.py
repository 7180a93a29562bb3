"""Differential tests: cnnlint's reading of random PyTorch models against real PyTorch.

Hypothesis draws stacks of layers — valid and invalid — while running them
in real PyTorch to learn the sizes a careful author would write (and to stop
a stack at its first failure).  Each stack is rendered as an ``nn.Module``
source with a ``forward``; cnnlint reads the text, real PyTorch builds and
runs it, and the two must agree on output shape, parameter count, whether
it fails (CNN101/CNN103/CNN104) and whether windows silently floor (CNN102).
"""

from __future__ import annotations

import os

import textwrap
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Optional

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

torch = pytest.importorskip("torch")
nn = torch.nn
F = torch.nn.functional

from cnnlint.runner import Options, lint_source  # noqa: E402

ERRORS = {"CNN101", "CNN103", "CNN104"}
#: CI runs a bounded, seeded profile; CNNLINT_HYPOTHESIS_PROFILE=soak runs a long random one
SOAK = os.environ.get("CNNLINT_HYPOTHESIS_PROFILE") == "soak"
MAX_EXAMPLES = 2000 if SOAK else 300


@dataclass
class Step:
    """One line of ``forward``, and the module it calls (registered as ``self.l<i>``)."""

    call: str  # e.g. "self.l0(x)", "F.relu(x)", "x.view(x.size(0), -1)"
    module: Optional[str] = None  # constructor source, e.g. "nn.Conv2d(3, 8, 3)"
    window: Optional[dict] = None  # kernel/stride/padding/dilation/ceil_mode of a sliding window


HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n\n"


@dataclass
class Example:
    """A stack of steps on an input (batch excluded), rendered in one of three styles.

    "forward": an nn.Module whose forward runs the steps; when every step
    just calls its module, also "subclass" (an nn.Sequential subclass) and
    "factory" (a function returning an nn.Sequential).
    """

    input_shape: tuple
    steps: list = field(default_factory=list)
    style: str = "forward"

    def source(self) -> str:
        modules = [s.module for s in self.steps]
        if self.style == "subclass":
            items = "".join(f"            {m},\n" for m in modules)
            return HEADER + ("class Model(nn.Sequential):\n    def __init__(self):\n"
                             f"        super().__init__(\n{items}        )\n")
        if self.style == "factory":
            items = "".join(f"        {m},\n" for m in modules)
            return HEADER + f"def Model():\n    return nn.Sequential(\n{items}    )\n"
        init = [f"self.l{i} = {s.module}" for i, s in enumerate(self.steps) if s.module]
        body = [f"x = {s.call.format(i=i)}" for i, s in enumerate(self.steps)]
        return HEADER + textwrap.dedent("""\
            class Model(nn.Module):
                def __init__(self):
                    super().__init__()
            {init}

                def forward(self, x):
            {body}
                    return x
            """).format(init="\n".join(" " * 8 + line for line in init) or " " * 8 + "pass",
                        body="\n".join(" " * 8 + line for line in body))


NAMESPACE = {"torch": torch, "nn": nn, "F": F}


def run_step(step: Step, index: int, x):
    """Apply one step in real PyTorch (building its module)."""
    holder = SimpleNamespace()
    if step.module:
        setattr(holder, f"l{index}", eval(step.module, NAMESPACE).eval())
    return eval(step.call.format(i=index), {**NAMESPACE, "self": holder, "x": x})


def _sometimes_wrong(draw, right: int) -> int:
    """The right size most of the time, else a plausible wrong one."""
    if draw(st.integers(0, 9)) < 8:
        return right
    return draw(st.integers(1, max(2 * right, 4)).filter(lambda v: v != right))


def _window(draw, pool: bool) -> dict:
    kernel = draw(st.integers(1, 5))
    window = {"kernel": kernel, "stride": draw(st.integers(1, 3)), "dilation": draw(st.integers(1, 2)),
              "padding": draw(st.integers(0, max(kernel // 2, 1) if pool else 2)), "ceil_mode": False}
    if pool:
        window["ceil_mode"] = draw(st.booleans())
    return window


def conv_step(draw, channels: int, rank: int) -> Step:
    w = _window(draw, pool=False)
    if draw(st.integers(0, 19)) == 0:
        w["stride"] = 0  # PyTorch refuses
    cin = _sometimes_wrong(draw, channels)
    cout = draw(st.integers(1, 8))
    groups = draw(st.sampled_from([1, 1, 1, 2]))
    mode = draw(st.sampled_from(["zeros"] * 6 + ["replicate", "circular"]))
    padding = draw(st.sampled_from(["int", "int", "int", "same", "valid"]))
    if padding == "same":
        w["stride"] = draw(st.sampled_from([1, 1, 1, 2]))
    pad_text = repr(w["padding"]) if padding == "int" else repr(padding)
    w["padding"] = {"int": w["padding"], "valid": 0}.get(padding, "same")
    bias = draw(st.booleans())
    return Step("self.l{i}(x)", f"nn.Conv{rank}d({cin}, {cout}, {w['kernel']}, stride={w['stride']}, "
                                f"padding={pad_text}, dilation={w['dilation']}, groups={groups}, bias={bias}, "
                                f"padding_mode={mode!r})", w)


def pool_step(draw, rank: int) -> Step:
    kind = draw(st.sampled_from(["MaxPool", "AvgPool", "max_pool", "avg_pool"])) + f"{rank}d"
    w = _window(draw, pool=True)
    if draw(st.integers(0, 9)) == 0:
        w["padding"] = w["kernel"]  # more than half the window: PyTorch refuses
    if kind.startswith("avg") or kind.startswith("Avg"):
        w["dilation"] = 1
    stride = draw(st.sampled_from([None, w["stride"]]))
    if stride is None:
        w["stride"] = w["kernel"]
    args = f"{w['kernel']}, stride={stride}, padding={w['padding']}, ceil_mode={w['ceil_mode']}"
    if "ax" in kind:
        args += f", dilation={w['dilation']}"
    if kind[0].isupper():
        return Step("self.l{i}(x)", f"nn.{kind}({args})", w)
    return Step(f"F.{kind}(x, {args})", None, w)


def transpose_step(draw, channels: int, rank: int) -> Step:
    stride = draw(st.integers(1, 3))
    return Step("self.l{i}(x)", f"nn.ConvTranspose{rank}d({_sometimes_wrong(draw, channels)}, "
                                f"{draw(st.integers(1, 6))}, {draw(st.integers(1, 4))}, stride={stride}, padding={draw(st.integers(0, 2))}, "
                                f"output_padding={draw(st.integers(0, stride))})")


def flatten_step(draw, per_sample: int) -> Step:
    form = draw(st.sampled_from(["module", "torch", "view_batch", "view_minus_one", "reshape"]))
    if form == "module":
        return Step("self.l{i}(x)", "nn.Flatten()")
    if form == "torch":
        return Step("torch.flatten(x, 1)")
    if form == "view_batch":
        return Step("x.view(x.size(0), -1)")
    return Step(f"x.{'view' if form == 'view_minus_one' else 'reshape'}(-1, {_sometimes_wrong(draw, per_sample)})")


def block_step(draw, channels: int, rank: int) -> Step:
    """A residual add or a concatenation around a shape-keeping (or not) convolution."""
    cout = draw(st.sampled_from([channels, channels, channels + 1]))
    pad = draw(st.sampled_from([1, 1, 0]))
    conv = f"nn.Conv{rank}d({channels}, {cout}, 3, padding={pad})"
    if draw(st.booleans()):
        return Step("x + self.l{i}(x)", conv)
    return Step("torch.cat([x, self.l{i}(x)], 1)", conv)


def spatial_step(draw, x) -> Step:
    """A step on a (batch, channels, *spatial) tensor."""
    c, rank = x.shape[1], x.dim() - 2
    kind = draw(st.sampled_from(["conv", "conv", "pool", "pool", "bn", "act", "adaptive", "transpose", "block",
                                 "upsample", "groupnorm", "flatten", "flatten"]))
    if kind == "conv":
        return conv_step(draw, c, rank)
    if kind == "pool":
        return pool_step(draw, rank)
    if kind == "bn":
        return Step("self.l{i}(x)", f"nn.BatchNorm{rank}d({_sometimes_wrong(draw, c)})")
    if kind == "act":
        return Step(draw(st.sampled_from(["F.relu(x)", "torch.sigmoid(x)", "x * 2", "F.dropout(x, 0.1)"])))
    if kind == "adaptive":
        return Step("self.l{i}(x)", f"nn.Adaptive{draw(st.sampled_from(['Avg', 'Max']))}Pool{rank}d("
                                    f"{draw(st.integers(1, 4))})")
    if kind == "transpose":
        return transpose_step(draw, c, rank)
    if kind == "block":
        return block_step(draw, c, rank)
    if kind == "upsample":
        factor = draw(st.sampled_from([2, 2.0, 3]))
        return draw(st.sampled_from([Step("self.l{i}(x)", f"nn.Upsample(scale_factor={factor})"),
                                     Step(f"F.interpolate(x, scale_factor={factor})")]))
    if kind == "groupnorm":
        return Step("self.l{i}(x)", f"nn.GroupNorm({draw(st.sampled_from([1, 2, 3]))}, {_sometimes_wrong(draw, c)})")
    return flatten_step(draw, int(x[0].numel()))


@st.composite
def examples(draw) -> Example:
    channels = draw(st.integers(1, 3))
    spatial = draw(st.sampled_from([1, 2, 2, 2]))
    example = Example((channels,) + tuple(draw(st.integers(1, 24)) for _ in range(spatial)))
    x = torch.zeros(1, *example.input_shape)
    for index in range(draw(st.integers(1, 7))):
        if x.dim() > 2:
            step = spatial_step(draw, x)
        else:
            f = x.shape[-1]
            kind = draw(st.sampled_from(["linear", "linear", "bn1d", "layernorm", "act"]))
            step = {"linear": lambda: Step("self.l{i}(x)", f"nn.Linear({_sometimes_wrong(draw, f)}, "
                                                           f"{draw(st.integers(1, 20))}, bias={draw(st.booleans())})"),
                    "bn1d": lambda: Step("self.l{i}(x)", f"nn.BatchNorm1d({_sometimes_wrong(draw, f)})"),
                    "layernorm": lambda: Step("self.l{i}(x)", f"nn.LayerNorm({_sometimes_wrong(draw, f)})"),
                    "act": lambda: Step(draw(st.sampled_from(["F.relu(x)", "nn.functional.dropout(x)",
                                                              "torch.tanh(x)"])))}[kind]()
        example.steps.append(step)
        try:
            x = run_step(step, index, x)
        except Exception:  # noqa: BLE001 - PyTorch's own verdict: the stack ends at its first failure
            break
        if x.numel() == 0:
            break
    if all(s.call == "self.l{i}(x)" for s in example.steps):
        example.style = draw(st.sampled_from(["forward", "forward", "subclass", "factory"]))
    return example


# -- the oracle ----------------------------------------------------------------------------

def last_covered(size: int, window: dict) -> int:
    """The last input row inside any window's extent, found by max-pooling an increasing ramp.

    The extent (dilation holes included) is what flooring cuts short; a
    dilated kernel's holes are gaps by design, like a stride above the kernel.
    """
    ramp = torch.arange(size, dtype=torch.float32).view(1, 1, size)
    span = window["dilation"] * (window["kernel"] - 1) + 1
    padding, stride = window["padding"], window["stride"]
    if window["ceil_mode"]:
        _, indices = F.max_pool1d(ramp, span, stride, padding, ceil_mode=True, return_indices=True)
        return int(indices.max())
    padded = F.pad(ramp, (padding, padding), value=-1.0)  # convolutions may pad beyond half the kernel
    return int(F.max_pool1d(padded, span, stride).max())


def floors(window: dict, x) -> bool:
    """True when the windows never read the last rows/columns of the real input."""
    if window["padding"] == "same":
        return False
    span = window["dilation"] * (window["kernel"] - 1) + 1
    if span < window["stride"]:
        return False  # a kernel narrower than its stride skips rows by design (as CNN102 counts)
    return any(last_covered(size, window) < size - 1 for size in x.shape[2:])


@dataclass
class Verdict:
    built: bool
    error: bool
    output: Optional[tuple] = None
    params: Optional[int] = None
    floors: int = 0


def run_in_torch(example: Example) -> Verdict:
    namespace: dict = {}
    exec(example.source(), namespace)  # noqa: S102 - the test's own rendered model
    try:
        model = namespace["Model"]().eval()  # batch statistics of a single sample are not a shape error
    except Exception:  # noqa: BLE001
        return Verdict(built=False, error=True)
    params = sum(p.numel() for p in model.parameters())
    x, floored = torch.zeros(1, *example.input_shape), 0
    children = model.named_children() if example.style == "forward" else (
        (f"l{i}", module) for i, module in enumerate(model.children()))
    holder = SimpleNamespace(**dict(children))
    try:
        for index, step in enumerate(example.steps):
            if step.window and x.dim() > 2:
                floored += floors(step.window, x)
            x = eval(step.call.format(i=index), {**NAMESPACE, "self": holder, "x": x})
            if x.numel() == 0:
                raise ValueError("an empty tensor: some output size is 0")  # PyTorch carries on; it is CNN103
        reference = model(torch.zeros(1, *example.input_shape))
    except Exception:  # noqa: BLE001
        return Verdict(built=True, error=True, params=params)
    assert reference.shape == x.shape
    return Verdict(built=True, error=False, output=tuple(x.shape[1:]), params=params, floors=floored)


def disagreements(example: Example) -> list:
    """What cnnlint says differently from PyTorch (empty when they agree)."""
    source = example.source()
    result = lint_source("model.py", source.encode(), Options(input_shape=example.input_shape))
    truth = run_in_torch(example)
    codes = [d.code for d in result.diagnostics]
    found = []
    if "CNN000" in codes or not result.models:
        return [f"cnnlint failed: {[d.message for d in result.diagnostics]}"]
    (model,) = result.models
    errors = [d for d in result.diagnostics if d.code in ERRORS]
    if truth.error != bool(errors):
        found.append(f"PyTorch {'fails' if truth.error else 'runs'} but cnnlint reports "
                     f"{[(d.code, d.message) for d in errors] or 'no error'}")
    if truth.built and model.total_params is not None and model.total_params != truth.params:
        found.append(f"parameters: PyTorch {truth.params}, cnnlint {model.total_params}")
    if not truth.error:
        if model.output_shape != list(truth.output):
            found.append(f"output: PyTorch {truth.output}, cnnlint {model.output_shape}")
        if model.total_params is None:
            found.append("cnnlint gives no parameter count")
        if codes.count("CNN102") != truth.floors:
            found.append(f"flooring: PyTorch floors in {truth.floors} layers, cnnlint reports "
                         f"{[d.message for d in result.diagnostics if d.code == 'CNN102']}")
        if "CNN900" in codes:
            found.append(f"incomplete: {[d.message for d in result.diagnostics if d.code == 'CNN900']}")
    return found


@settings(derandomize=not SOAK, max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(examples())
def test_cnnlint_agrees_with_pytorch(example):
    problems = disagreements(example)
    assert not problems, example.source() + f"\ninput {example.input_shape}\n" + "\n".join(problems)


# -- regressions found by the differential test -----------------------------------------------

REGRESSIONS = {
    # a transposed convolution whose output size is 0 or negative was silently unknown (now CNN103)
    "transpose-empty-output": Example((2, 1, 1), [Step("self.l{i}(x)", "nn.ConvTranspose2d(2, 2, 4, padding=2)")]),
    "transpose-negative-output": Example((2, 8, 1), [Step("self.l{i}(x)", "nn.ConvTranspose2d(2, 1, 1, stride=3, "
                                                                          "padding=2)")]),
    # an nn.Sequential subclass without forward() was not found as a model
    "sequential-subclass": Example((3, 8, 8), [Step("self.l{i}(x)", "nn.Conv2d(3, 8, 3, stride=2)", {
        "kernel": 3, "stride": 2, "padding": 0, "dilation": 1, "ceil_mode": False})], "subclass"),
    "sequential-factory": Example((3, 8, 8), [Step("self.l{i}(x)", "nn.Conv2d(3, 8, 3)")], "factory"),
    # PyTorch's GroupNorm refuses groups holding a single value per sample (now CNN101)
    "group-norm-single-value": Example((1, 1, 1), [Step("self.l{i}(x)", "nn.GroupNorm(1, 1)")]),
    "group-norm-single-value-2d": Example((2, 1, 1), [Step("self.l{i}(x)", "nn.GroupNorm(2, 2)")]),
    # dilation holes in a ceil-mode pool are gaps by design, not flooring (the oracle once counted them)
    "dilated-ceil-pool": Example((2, 20, 10), [Step("F.max_pool2d(x, 5, stride=2, padding=2, ceil_mode=True, "
                                                    "dilation=2)", None, {"kernel": 5, "stride": 2, "padding": 2,
                                                                          "dilation": 2, "ceil_mode": True})]),
    # batch statistics of one sample fail in training mode only: not a shape error
    "batch-norm-one-sample": Example((3, 4, 4), [Step("x.view(-1, 48)"), Step("self.l{i}(x)", "nn.BatchNorm1d(48)")]),
    # circular padding wraps around at most once, reflect padding repeats no edge row (now CNN101)
    "circular-padding-wider-than-input": Example((1, 1), [Step("self.l{i}(x)", "nn.Conv1d(1, 1, 1, padding=2, "
                                                                               "padding_mode='circular')")]),
    "reflect-padding-as-wide-as-input": Example((1, 2, 5), [Step("self.l{i}(x)", "nn.Conv2d(1, 1, 3, padding=2, "
                                                                                 "padding_mode='reflect')")]),
    "reflection-pad-layer": Example((1, 3, 3), [Step("self.l{i}(x)", "nn.ReflectionPad2d((0, 3, 1, 1))")]),
    "functional-circular-pad": Example((2, 4), [Step("F.pad(x, (5, 0), mode='circular')")]),
}


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_regression(name):
    assert not disagreements(REGRESSIONS[name])


def test_regressions_that_must_fail_are_reported():
    for name in ("transpose-empty-output", "group-norm-single-value", "circular-padding-wider-than-input",
                 "reflect-padding-as-wide-as-input", "reflection-pad-layer", "functional-circular-pad"):
        result = lint_source("model.py", REGRESSIONS[name].source().encode(),
                             Options(input_shape=REGRESSIONS[name].input_shape))
        assert {d.code for d in result.diagnostics} & ERRORS, name
