"""Widths model code computes with NumPy or PyTorch floats (RegNet's quantised stage widths), checked against
real NumPy and PyTorch running the same text: a value cnnlint gives is theirs to the bit, or it is unknown."""

from __future__ import annotations

import math
import textwrap

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cnnlint.evaluator.interpreter import Interpreter
from cnnlint.evaluator.values import Unknown
from cnnlint.frontends.torch import TorchFrontEnd
from cnnlint.parsing import parse

from .test_realworld_constructs import agrees

np = pytest.importorskip("numpy")

#: pytorchcv's RegNet widths (models/regnet.py), as its get_regnet computes them
REGNET_WIDTHS = """
import numpy as np

def regnet_widths(channels_init, channels_slope, channels_mult, depth, groups, divisor=8):
    channels_cont = np.arange(depth) * channels_slope + channels_init
    channels_exps = np.round(np.log(channels_cont / channels_init) / np.log(channels_mult))
    channels = channels_init * np.power(channels_mult, channels_exps)
    channels = (np.round(channels / divisor) * divisor).astype(int)
    channels_per_stage, layers = np.unique(channels, return_counts=True)
    groups_per_stage = [min(groups, c) for c in channels_per_stage]
    channels_per_stage = [int(round(c / g) * g) for c, g in zip(channels_per_stage, groups_per_stage)]
    return [[ci] * li for (ci, li) in zip(channels_per_stage, layers)]
"""


def evaluated(source: str, name: str = "result", frontends=()):
    """The value cnnlint's evaluator gives ``name`` after running ``source``."""
    interp = Interpreter(parse(source.encode()), list(frontends))
    interp.run_module()
    return interp.globals.vars.get(name)


def plain(value):
    """A value as Python sees it (NumPy's arrays and scalars as lists and numbers); None where any part of
    it is unknown to cnnlint."""
    if isinstance(value, Unknown):
        return None
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        items = [plain(v) for v in value]
        return None if any(i is None for i in items) else items
    return value if isinstance(value, (int, float, bool)) else None


def same(ours, numpy_value) -> bool:
    """Equal to the bit, with the same Python types (an int where NumPy gives an integer)."""
    if isinstance(ours, list):
        return (isinstance(numpy_value, list) and len(ours) == len(numpy_value)
                and all(same(a, b) for a, b in zip(ours, numpy_value)))
    if isinstance(ours, float):
        return type(numpy_value) is float and (math.copysign(1, ours), ours) == (math.copysign(1, numpy_value),
                                                                                 numpy_value)
    return type(ours) is type(numpy_value) and ours == numpy_value


def numpy_result(source: str, name: str = "result"):
    namespace: dict = {}
    with np.errstate(all="ignore"):
        exec(compile(source, "m.py", "exec"), namespace)
    return plain(namespace[name])


#: pytorchcv's RegNetX and RegNetY configurations, 200MF to 32GF: (init, slope, mult, depth, groups)
PYTORCHCV_REGNETS = [
    (24, 36.44, 2.49, 13, 8), (24, 24.48, 2.54, 22, 16), (48, 36.97, 2.24, 16, 24), (56, 35.73, 2.28, 16, 16),
    (80, 34.01, 2.25, 18, 24), (88, 26.31, 2.25, 25, 48), (96, 38.65, 2.43, 23, 40), (184, 60.83, 2.07, 17, 56),
    (80, 49.56, 2.88, 23, 120), (168, 73.36, 2.37, 19, 112), (216, 55.59, 2.1, 22, 128), (320, 69.86, 2.0, 23, 168),
    (48, 27.89, 2.09, 16, 8), (48, 32.54, 2.32, 15, 16), (56, 38.84, 2.4, 14, 16), (48, 20.71, 2.65, 27, 24),
    (80, 42.63, 2.66, 21, 24), (96, 31.41, 2.24, 22, 64), (112, 33.22, 2.27, 25, 72), (192, 76.82, 2.19, 17, 56),
    (200, 106.23, 2.48, 18, 112), (232, 115.89, 2.53, 20, 232)]


@pytest.mark.parametrize("config", PYTORCHCV_REGNETS)
def test_regnet_widths_are_numpys(config):
    """Exact where NumPy's last bits cannot change them: (80, 34.01, 2.25, ...) rounds 80 * 2.25 ** 1 / 8,
    a tie at 22.5 whose side only NumPy's own power decides, so it stays unknown."""
    source = REGNET_WIDTHS + f"result = regnet_widths{config}\n"
    ours = plain(evaluated(source))
    assert ours == numpy_result(source) or (ours is None and config == (80, 34.01, 2.25, 18, 24))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(init=st.sampled_from([8, 16, 24, 32, 48, 64, 80, 96]), slope=st.floats(0.5, 200, allow_nan=False),
       mult=st.floats(1.5, 3.0, allow_nan=False), depth=st.integers(1, 30), groups=st.integers(1, 64))
def test_regnet_widths_match_numpy_or_stay_unknown(init, slope, mult, depth, groups):
    source = REGNET_WIDTHS + f"result = regnet_widths({init}, {slope!r}, {mult!r}, {depth}, {groups})\n"
    ours = plain(evaluated(source))
    assert ours is None or ours == numpy_result(source)


# -- random expressions over the modelled subset ------------------------------------------------------------
_LEAVES = st.one_of(
    st.integers(-6, 6).map(str),
    st.sampled_from(["0.5", "2.5", "-1.25", "3.0", "0.1", "1e-3", "2.49", "36.44"]),
    st.integers(0, 9).map(lambda n: f"np.arange({n})"),
    st.tuples(st.integers(-3, 3), st.integers(0, 9), st.sampled_from(["0.5", "1.5", "-0.25", "2"])).map(
        lambda t: f"np.arange({t[0]}, {t[1]}, {t[2]})"),
    st.lists(st.integers(-5, 5), min_size=1, max_size=5).map(lambda xs: f"np.array({xs})"),
    st.lists(st.sampled_from([0.5, 1.5, -2.5, 3.25, 7.0]), min_size=1, max_size=5).map(lambda xs: f"np.array({xs})"),
)


def _combine(children):
    unary = st.sampled_from(["np.round({})", "np.floor({})", "np.ceil({})", "np.log({})", "np.exp({})",
                             "np.sqrt({})", "({}).astype(int)", "({}).astype(float)", "-({})",
                             "({}).astype(np.float32)"])
    binary = st.sampled_from(["({}) + ({})", "({}) - ({})", "({}) * ({})", "({}) / ({})", "({}) // ({})",
                              "({}) % ({})", "np.power({}, {})", "np.divide({}, {})", "({}) ** 2 + 0 * ({})"])
    return st.one_of(st.tuples(unary, children).map(lambda t: t[0].format(t[1])),
                     st.tuples(binary, children, children).map(lambda t: t[0].format(t[1], t[2])))


EXPRESSIONS = st.recursive(_LEAVES, _combine, max_leaves=6)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(expression="np.arange(2, 0, 1.5)", finish="{}")
@given(expression=EXPRESSIONS, finish=st.sampled_from(["{}", "np.round({})", "np.unique(np.round({}))",
                                                       "np.round({}).astype(int).tolist()",
                                                       "np.unique(({}).astype(int), return_counts=True)",
                                                       "(({}) > 1).tolist()"]))
def test_expressions_match_numpy_or_stay_unknown(expression, finish):
    source = f"import numpy as np\nresult = {finish.format(expression)}\n"
    try:
        want = numpy_result(source)
    except Exception:  # NumPy raises (a shape mismatch, a negative integer power): cnnlint must not answer
        want = Exception
    ours = plain(evaluated(source))
    if ours is not None:
        assert want is not Exception and same(ours, want), (source, ours, want)


def test_a_rounding_too_close_to_call_is_unknown():
    """log(8) / log(2) is 3 to within an ulp: NumPy's last bit decides np.floor, so cnnlint does not."""
    assert plain(evaluated("import numpy as np\nresult = np.floor(np.log(np.array([8.0])) / np.log(2.0))\n")) is None
    assert evaluated("import numpy as np\nresult = np.round(np.log(np.array([8.0])) / np.log(2.0)).tolist()\n") == [3.0]


@pytest.mark.parametrize("write", ["a[1] = 2.7", "a[-1] = 7", "a[1:] = 5", "a[[0, 1]] = 3", "del b"])
def test_writes_into_an_array_are_followed_or_forgotten(write):
    """``a[i] = v`` casts v to the array's dtype, as NumPy does; a write cnnlint does not follow leaves the
    array unknown, never as it was."""
    source = f"import numpy as np\na = np.arange(3)\nb = a\n{write}\nresult = (a * 2).tolist()\n"
    ours = plain(evaluated(source))
    assert ours == numpy_result(source) or (ours is None and write in ("a[1:] = 5", "a[[0, 1]] = 3"))
    assert write != "a[1] = 2.7" or ours == [0, 4, 4]


def test_pytorchcv_regnet_widths_build_the_model_torch_builds():
    agrees(REGNET_WIDTHS + textwrap.dedent("""
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            channels = regnet_widths(24, 36.44, 2.49, 13, 8)
            layers, in_channels = [], 3
            for stage in channels:
                for width in stage:
                    layers += [nn.Conv2d(in_channels, width, 3, padding=1, groups=1), nn.ReLU()]
                    in_channels = width
            self.features = nn.Sequential(*layers)
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(in_channels, 10)

        def forward(self, x):
            return self.fc(torch.flatten(self.pool(self.features(x)), 1))
    """), "Net", (3, 8, 8))


# -- the same widths computed with PyTorch, in float32 (timm's regnet.py) -------------------------------------
TIMM_REGNET = '''
import math
import torch
import torch.nn as nn


def generate_regnet(width_slope, width_initial, width_mult, depth, group_size, quant=8):
    widths_cont = torch.arange(depth, device='cpu', dtype=torch.float32) * width_slope + width_initial
    width_exps = torch.round(torch.log(widths_cont / width_initial) / math.log(width_mult))
    widths = torch.round((width_initial * torch.pow(width_mult, width_exps)) / quant) * quant
    num_stages, max_stage = len(torch.unique(widths)), int(width_exps.max().item()) + 1
    groups = torch.tensor([group_size for _ in range(num_stages)], device='cpu', dtype=torch.int32)
    return widths.int().tolist(), num_stages, groups.tolist()


def stages(wa, w0, wm, depth, group_size):
    widths, num_stages, stage_gs = generate_regnet(wa, w0, wm, depth, group_size)
    stage_widths, stage_depths = torch.unique(torch.tensor(widths, device='cpu'), return_counts=True)
    return list(zip(stage_widths.tolist(), stage_depths.tolist(), stage_gs))


class Net(nn.Module):
    def __init__(self, wa=36.44, w0=24, wm=2.49, depth=13, group_size=8):
        super().__init__()
        layers, in_chs = [], 3
        for width, depth, groups in stages(wa, w0, wm, depth, group_size):
            for _ in range(depth):
                groups = groups if in_chs % groups == 0 else 1
                layers += [nn.Conv2d(in_chs, width, 3, padding=1, groups=groups), nn.ReLU()]
                in_chs = width
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(in_chs, 10)

    def forward(self, x):
        return self.head(self.features(x).mean((2, 3)))
'''

#: timm's RegNetX/RegNetY configurations, 200MF to 1.6GF: (wa, w0, wm, depth, group_size)
TIMM_REGNETS = [(36.44, 24, 2.49, 13, 8), (24.48, 24, 2.54, 22, 16), (36.97, 48, 2.24, 16, 24),
                (35.73, 56, 2.28, 16, 16), (34.01, 80, 2.25, 18, 24), (26.31, 88, 2.25, 25, 48),
                (27.89, 48, 2.09, 16, 8), (32.54, 48, 2.32, 15, 16), (38.84, 56, 2.4, 14, 16),
                (20.71, 48, 2.65, 27, 24)]


@pytest.mark.parametrize("config", TIMM_REGNETS)
def test_timm_regnet_stages_are_pytorchs(config):
    """Exact, or unknown where only PyTorch's own last bits decide a rounding (80 * 2.25 / 8 is a tie)."""
    source = TIMM_REGNET + f"result = stages{config}\n"
    namespace: dict = {}
    exec(compile(source, "m.py", "exec"), namespace)
    ours = plain(evaluated(source, frontends=[TorchFrontEnd()]))
    assert ours == [list(stage) for stage in namespace["result"]] or (ours is None and config[1:3] == (80, 2.25))


def test_a_timm_regnet_builds_the_model_torch_builds():
    agrees(TIMM_REGNET.replace("import torch\nimport torch.nn as nn\n", ""), "Net", (3, 8, 8))


_TORCH_LEAVES = st.one_of(
    st.integers(1, 6).map(str),
    st.sampled_from(["0.5", "2.5", "1.25", "3.0", "2.49", "36.44"]),
    st.integers(1, 9).map(lambda n: f"torch.arange({n}, dtype=torch.float32)"),
    st.integers(1, 9).map(lambda n: f"torch.arange({n})"),
    st.lists(st.sampled_from([0.5, 1.5, 2.5, 3.25, 7.0, 24.0]), min_size=1, max_size=5).map(
        lambda xs: f"torch.tensor({xs})"),
)


def _torch_combine(children):
    unary = st.sampled_from(["torch.round({})", "torch.floor({})", "torch.ceil({})", "torch.log(({}) + 1)",
                             "torch.exp(({}) / 8)", "torch.sqrt({})", "({}).int()", "({}).float()", "-({})"])
    binary = st.sampled_from(["({}) + ({})", "({}) - ({})", "({}) * ({})", "({}) / ({})", "torch.pow({}, {})",
                              "torch.divide({}, {})"])
    return st.one_of(st.tuples(unary, children).map(lambda t: t[0].format(t[1])),
                     st.tuples(binary, children, children).map(lambda t: t[0].format(t[1], t[2])))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@example(expression="torch.pow((1) - (2), (1) + (torch.tensor([0.5])))", finish="torch.round({}).int().tolist()")
# 6 ** 12 does not fit in int32: .int() wraps it around (cnnlint said 2176782336 where PyTorch gives -2118184960)
@example(expression="torch.pow((1) + (5), (4) + (torch.arange(9)))", finish="torch.round({}).int().tolist()")
@example(expression="(torch.arange(3) / 3).half()", finish="({}).tolist()")
@example(expression="(torch.arange(3) / 3).double() * 3", finish="({}).tolist()")
@example(expression="torch.sqrt((torch.arange(2, dtype=torch.float32)) / (1.25))", finish="({}).max().item()")
@given(expression=st.recursive(_TORCH_LEAVES, _torch_combine, max_leaves=5),
       finish=st.sampled_from(["torch.round({}).int().tolist()", "torch.unique(torch.floor({})).tolist()",
                               "torch.unique(({}).int(), return_counts=True)[1].tolist()", "({}).max().item()",
                               "({}).tolist()"]))
def test_torch_float32_expressions_match_pytorch_or_stay_unknown(expression, finish):
    """PyTorch's float32 sqrt is not always correctly rounded (sqrt(0.8) is one ulp off): it is followed
    within a bound, as log, exp and pow are."""
    pytest.importorskip("torch")
    source = f"import torch\nresult = {finish.format(expression)}\n"
    try:
        namespace: dict = {}
        exec(compile(source, "m.py", "exec"), namespace)
        want = namespace["result"]
    except Exception:  # PyTorch raises (lengths that do not broadcast, int of inf): cnnlint must not answer
        want = Exception
    ours = plain(evaluated(source, frontends=[TorchFrontEnd()]))
    if ours is not None:
        assert want is not Exception and ours == want, (source, ours, want)


@pytest.mark.parametrize("made", ["torch.tensor(np.arange(3) / 3)", "torch.tensor(np.arange(4))",
                                  "torch.tensor(np.arange(3) / 3, dtype=torch.float32)",
                                  "torch.tensor(np.log(np.arange(1, 4)))"])
def test_tensors_made_of_numpy_arrays_keep_numpys_dtype(made):
    """A float64 array makes a float64 tensor: its values are PyTorch's in float64, not cnnlint's float32."""
    pytest.importorskip("torch")
    source = f"import numpy as np\nimport torch\nresult = {made}.tolist()\n"
    namespace: dict = {}
    exec(compile(source, "m.py", "exec"), namespace)
    ours = plain(evaluated(source, frontends=[TorchFrontEnd()]))
    assert ours is None or ours == namespace["result"]
    assert ours is not None or "float32" not in made and "arange(4)" not in made


@pytest.mark.parametrize("expression, known", [
    ("np.array([1, 0, 0, 0, 1, 0, 0, 0, 1]).astype(np.float32).tolist()", True),
    ("np.array([0.1, 1 / 3, 2.0 ** 30 + 1], dtype=np.float32).tolist()", True),
    ("(np.array([0.1]).astype(np.float32) * 3).tolist()", False),  # float32 arithmetic: not followed
    ("np.exp(np.array([0.3])).astype(np.float32).tolist()", False),  # from a value not known exactly
])
def test_values_cast_to_float32_are_numpys_and_arithmetic_on_them_is_unknown(expression, known):
    """PointNet's ``np.array([1, 0, 0, ...]).astype(np.float32)`` identity: the cast rounds as NumPy does."""
    source = f"import numpy as np\nresult = {expression}\n"
    ours = plain(evaluated(source))
    assert ours == (numpy_result(source) if known else None)
