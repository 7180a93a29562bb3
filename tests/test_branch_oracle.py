"""Differential test: models grown under a condition cnnlint cannot decide.

Hypothesis writes model code in which layers are appended to a list, a
ModuleList or set as attributes, some of it under ``if FLAG:`` where FLAG is
random.  Real PyTorch builds the model twice, with FLAG true and false.  A
count cnnlint gives as exact must be the count of both; when the two differ,
cnnlint must say it does not know.  Code whose branches agree must stay exact.
"""

from __future__ import annotations

import os
import textwrap

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

torch = pytest.importorskip("torch")

from cnnlint.runner import Options, lint_source  # noqa: E402

SOAK = os.environ.get("CNNLINT_HYPOTHESIS_PROFILE") == "soak"
INPUT = 3
#: statements whose branches leave the same model either way: cnnlint must stay exact
AGREEING = {"plain", "both_shared", "unrelated", "setting"}
KINDS = sorted(AGREEING | {"then", "else", "both_new", "extra"})


def statement(kind: str, width: int, container: str, attribute: str) -> str:
    """One step, appending to ``container``; ``width`` is the new layer's output size."""
    grow = f"{container}.append(nn.Linear(width, {width}))\n    width = {width}"
    return {
        "plain": f"{container}.append(nn.Linear(width, {width}))\nwidth = {width}",
        "then": f"if FLAG:\n    {grow}",
        "else": f"if FLAG:\n    pass\nelse:\n    {grow}",
        "both_shared": f"shared = nn.Linear(width, width)\nif FLAG:\n    {container}.append(shared)\n"
                       f"else:\n    {container}.append(shared)",
        "both_new": f"if not FLAG:\n    {container}.append(nn.Linear(width, width))\n"
                    f"else:\n    {container}.append(nn.Linear(width, width))",
        "unrelated": f"if FLAG:\n    note = {width}",
        # a setting (a number, a string, a bool or a tuple of them) set differently or only on one side
        "setting": f"if FLAG:\n    {attribute}_setting = ({width}, 'a')\nelif {width} > 3:\n"
                   f"    {attribute}_setting = not FLAG",
        "extra": f"if FLAG:\n    {attribute} = nn.Linear({width}, 2)",
    }[kind]


def render(steps: list, first: int, style: str) -> str:
    header = "import random\nimport torch.nn as nn\n\nFLAG = random.random() > 0.5\n\n"
    if style == "list":
        lines = [f"layers = [nn.Linear({INPUT}, {first})]", f"width = {first}", "extra = None"]
        lines += [statement(kind, width, "layers", "extra") for kind, width in steps]
        return header + "\n".join(lines) + "\nmodel = nn.Sequential(*layers)\n"
    lines = [f"self.body = nn.ModuleList([nn.Linear({INPUT}, {first})])", f"width = {first}"]
    lines += [statement(kind, width, "self.body", "self.extra") for kind, width in steps]
    body = textwrap.indent("\n".join(lines), " " * 8)
    return header + ("class Model(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                     f"{body}\n\n    def forward(self, x):\n        for layer in self.body:\n"
                     "            x = layer(x)\n        return x\n")


def torch_count(source: str, flag: bool) -> int:
    namespace: dict = {}
    exec(source.replace("FLAG = random.random() > 0.5", f"FLAG = {flag}"), namespace)  # noqa: S102 - the test's own code
    model = namespace["model"] if "model" in namespace else namespace["Model"]()
    model(torch.zeros(2, INPUT))  # the code is valid either way
    return sum(p.numel() for p in model.parameters())


@settings(derandomize=not SOAK, max_examples=1000 if SOAK else 100, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.sampled_from(KINDS), st.integers(1, 6)), max_size=5),
       first=st.integers(1, 6), style=st.sampled_from(["list", "module"]))
@example(steps=[("setting", 5), ("plain", 2), ("setting", 2)], first=2, style="module")
def test_exact_counts_hold_whichever_way_the_condition_goes(steps, first, style):
    source = render(steps, first, style)
    counts = {torch_count(source, flag) for flag in (True, False)}
    (model,) = lint_source("m.py", source.encode(), Options(input_shape=(INPUT,))).models
    if model.total_params is not None:
        assert counts == {model.total_params}, source
    if all(kind in AGREEING for kind, _ in steps):
        assert model.total_params in counts, source
