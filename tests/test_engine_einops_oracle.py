"""Differential tests: einops' functions and torch layers as cnnlint reads them, against einops itself.

Each case is source text (``rearrange(x, 'b c (h p) w -> b (c p) h w', p=2)``, or the layer
``Rearrange(...)(x)``) read through the interpreter and the PyTorch front end's ``EINOPS`` table,
exactly as a model's ``forward`` is read; einops runs the same text on real tensors.  Output shapes
and whether the call fails must agree.  Hypothesis draws patterns of every shape the grammar allows:
groups, ``...`` (alone or inside a group on the right), ``1`` and ``()``, anonymous axes, sizes by
keyword (right or wrong), and malformed patterns.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

torch = pytest.importorskip("torch")
pytest.importorskip("einops")

from cnnlint import dims  # noqa: E402
from cnnlint.frontends.torch.einops_layers import EINOPS  # noqa: E402
from cnnlint.graph import Tensor  # noqa: E402
from tests.test_engine_torch_functional_oracle import Case, cnnlint_outcome, torch_outcome  # noqa: E402

HEADER = ("import torch\nfrom einops import pack, rearrange, reduce, repeat, unpack\n"
          "from einops.layers.torch import Rearrange, Reduce\n\n")
MAX_EXAMPLES = 2000 if os.environ.get("CNNLINT_HYPOTHESIS_PROFILE") == "soak" else 300


@dataclass(frozen=True)
class EinopsCase(Case):
    header = HEADER


def case(text, *shapes):
    return EinopsCase(text, shapes or ((2, 4, 6),))


IMAGE = (2, 3, 8, 8)
CASES = [
    case("rearrange(x, 'b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=4, p2=2)", IMAGE),
    case("rearrange(x, 'b c h w -> b h w c')", IMAGE),
    case("rearrange(x, 'b n (h d) -> b h n d', h=2)"), case("rearrange(x, 'b n (h d) -> b h n d', h=4)"),
    case("rearrange(x, 'b ... d -> b (...) d')", IMAGE), case("rearrange(x, '... -> 1 ...')"),
    case("rearrange(x, 'b () n d -> b n d')", (2, 1, 4, 6)), case("rearrange(x, 'b 1 n -> b n')", (2, 1, 6)),
    case("rearrange([x, y], 'l b n d -> b l n d')", (2, 4, 6), (2, 4, 6)),
    case("rearrange(x, 'b n d -> b n')"), case("rearrange(x, 'b (n n) d -> b n d')"),
    case("rearrange(x, 'b n d -> b d n 2')"), case("rearrange(x, 'b n d - b d n')"),
    case("repeat(x, 'b n d -> b n d r', r=3)"), case("repeat(x, 'n d -> b n d', b=5)", (4, 6)),
    case("repeat(x, 'b n d -> b (n 2) d')"), case("repeat(x, 'b n d -> b n d r')"),
    case("reduce(x, 'b c h w -> b c', 'mean')", IMAGE), case("reduce(x, 'b c (h 2) (w 2) -> b c h w', 'max')", IMAGE),
    case("reduce(x, 'b n d -> b 1 d', 'sum')"), case("reduce(x, 'b n d -> b d', reduction='min')"),
    case("reduce(x, 'b n d -> b n e', 'mean')"), case("reduce(x, 'b n d -> b d', 'median')"),
    case("Rearrange('b c h w -> b (c h w)')(x)", IMAGE), case("Rearrange('b n (h d) -> b h n d', h=3)(x)"),
    case("Rearrange('b n d -> b n d', q=2)(x)"),
    case("pack([x, y], 'b * d')[0]", (2, 4, 6), (2, 3, 5, 6)), case("pack([x, y], 'b * d')[0]", (2, 4, 6), (3, 4, 6)),
    case("pack([x], 'b n * d')[0]"), case("pack([x], 'b * * d')[0]"), case("pack([x, y], '* d')[0]", (2, 4, 6), (6,)),
    case("unpack(x, [(2,), (1, 2)], 'b * d')"), case("unpack(x, [(3,)], 'b * d')"), case("unpack(x, [(4,)], 'b *')"),
    case("unpack(*pack([x, y], 'b * d'), 'b * d')", (2, 4, 6), (2, 3, 5, 6)),
    case("Reduce('b c h w -> b c', 'mean')(x)", IMAGE), case("Reduce('b (n k) d -> b n d', 'max', k=2)(x)"),
]


def test_every_einops_name_in_the_table_has_a_case():
    used = {c.text.split("(", 1)[0] for c in CASES}
    assert sorted(set(EINOPS.builders) - used) == []


@pytest.mark.parametrize("c", CASES, ids=repr)
def test_cnnlint_reads_each_einops_call_as_einops_runs_it(c):
    assert cnnlint_outcome(c) == torch_outcome(c)


NAMES = "abcdhnwpq"


@st.composite
def patterns(draw) -> EinopsCase:
    """A call of one einops operation on a tensor, valid or not."""
    operation = draw(st.sampled_from(["rearrange", "repeat", "reduce", "Rearrange", "Reduce"]))
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5, unique=True))
    sizes = {n: draw(st.integers(1, 4)) for n in names}
    order = draw(st.permutations(names))
    left, shape, i = [], [], 0
    while i < len(order):  # consecutive axes, grouped by one to three
        n = draw(st.integers(1, 3))
        group = order[i:i + n]
        i += n
        left.append(group[0] if len(group) == 1 and draw(st.booleans()) else f"({' '.join(group)})")
        shape.append(dims.product(sizes[a] for a in group))
    if draw(st.booleans()):  # an axis of size 1, spelt both ways
        at = draw(st.integers(0, len(left)))
        left.insert(at, draw(st.sampled_from(["1", "()"])))
        shape.insert(at, 1)
    ellipsis = draw(st.booleans())
    if ellipsis:
        at = draw(st.integers(0, len(left)))
        extra = draw(st.lists(st.integers(1, 3), max_size=3))
        left.insert(at, "...")
        shape[at:at] = extra
    kept = list(names) if operation.lower() != "reduce" else draw(st.lists(st.sampled_from(names), unique=True))
    added = []
    if operation == "repeat":
        added = draw(st.lists(st.sampled_from([n for n in "rstuv"]), max_size=2, unique=True))
        kept += added + (["3"] if draw(st.booleans()) else [])
    right_axes = draw(st.permutations(kept + (["..."] if ellipsis and draw(st.booleans()) else [])))
    right, i = [], 0
    while i < len(right_axes):
        n = draw(st.integers(1, 3))
        group = right_axes[i:i + n]
        i += n
        right.append(group[0] if len(group) == 1 else f"({' '.join(group)})")
    if draw(st.booleans()):
        right.insert(draw(st.integers(0, len(right))), draw(st.sampled_from(["1", "()"])))
    if operation.lower() != "reduce" and ellipsis and "..." not in right_axes:
        right.append("...")  # rearrange and repeat keep the ellipsis's axes
    # sizes by keyword: what a group needs (all but one of its axes), sometimes more, sometimes wrong
    given = {a: sizes[a] for a in names if draw(st.integers(0, 2)) == 0}
    given.update({a: draw(st.integers(1, 3)) for a in added})
    if draw(st.integers(0, 9)) == 0 and given:
        wrong = draw(st.sampled_from(sorted(given)))
        given[wrong] += 1
    pattern = f"{' '.join(left)} -> {' '.join(right)}"
    if draw(st.integers(0, 9)) == 0:  # a malformed pattern
        pattern = draw(st.sampled_from([pattern.replace("->", "-"), pattern.replace(")", "", 1),
                                        pattern.replace("(", "((", 1), pattern + " _x", pattern + " ..",
                                        pattern.replace("...", "....")]))
    lengths = "".join(f", {k}={v}" for k, v in given.items())
    reduction = ", 'mean'" if operation.lower() == "reduce" else ""
    if operation[0].isupper():
        text = f"{operation}('{pattern}'{reduction}{lengths})(x)"
    else:
        text = f"{operation}(x, '{pattern}'{reduction}{lengths})"
    return EinopsCase(text, (tuple(shape),))


@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patterns())
def test_cnnlint_agrees_with_einops_on_drawn_patterns(c):
    if not c.shapes[0]:
        return  # a 0-dim tensor: not a model's
    assert cnnlint_outcome(c) == torch_outcome(c)


def test_symbolic_sizes_divide_back_to_the_batch():
    """'(b h) n d -> b n (h d)' after 'b n (h d) -> (b h) n d' gives the batch symbol back, not a guess."""
    from tests.test_engine_torch_functional_oracle import Interpreter, TorchFrontEnd, parse

    source = (f"{HEADER}def op(x):\n    y = rearrange(x, 'b n (h d) -> (b h) n d', h=4)\n"
              f"    return rearrange(y, '(b h) n d -> b n (h d)', h=4)\n")
    interp = Interpreter(parse(source.encode()), [TorchFrontEnd()])
    interp.run_module()
    batch = dims.Expr.symbol("batch")
    with interp.tracing():
        out = interp.call(interp.globals.vars["op"], [Tensor((batch, 5, 8))], {}, None)
    assert out.shape == (batch, 5, 8)


def test_einops_layers_of_another_framework_are_not_read_as_torch_layers():
    """``einops.layers.keras.Rearrange`` in a Keras model stays unknown (CNN900), never a PyTorch layer."""
    from cnnlint.runner import Options, lint_source

    source = ("import keras\nfrom einops.layers.keras import Rearrange\n\n"
              "model = keras.Sequential([keras.Input((8, 8, 3)), Rearrange('b h w c -> b (h w c)'), "
              "keras.layers.Dense(10)])\n")
    result = lint_source("model.py", source.encode(), Options())
    assert [d.code for d in result.diagnostics] == ["CNN900"]
    assert "einops.layers.keras.Rearrange" in result.diagnostics[0].message
