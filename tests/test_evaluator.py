"""The static evaluator as users meet it: what it resolves, and how it says what it cannot."""

import pytest

from cnnlint.runner import Options, lint_source

HEADER = "import keras\nfrom keras import layers\nimport random\n"


def lint(source: str):
    return lint_source("m.py", (HEADER + source).encode(), Options())


def test_a_stopping_construct_is_named_with_its_line():
    result = lint("model = keras.Sequential([keras.Input((4,))])\n"
                  "for width in random.choice([[8], [16]]):\n    model.add(layers.Dense(width))\n")
    (note,) = [d for d in result.diagnostics if d.code == "CNN900"]
    assert "(line 5)" in note.message and "random.choice" in note.message
    assert "\x00" not in note.message


def test_loops_comprehensions_and_helpers_are_followed():
    result = lint("def block(width, n=2):\n    return [layers.Dense(width) for _ in range(n)]\n"
                  "WIDTHS = [8, 4]\nstack = []\nfor w in WIDTHS:\n    stack.extend(block(w))\n"
                  "model = keras.Sequential([keras.Input((2,))] + stack)\n")
    (model,) = result.models
    assert model.total_params == (2 * 8 + 8) + (8 * 8 + 8) + (8 * 4 + 4) + (4 * 4 + 4)


def test_an_undecidable_branch_that_changes_the_model_is_not_guessed():
    result = lint("model = keras.Sequential([keras.Input((4,)), layers.Dense(8 if random.random() > 0.5 else 16)])\n")
    (model,) = result.models
    assert model.total_params is None
    assert any(d.code == "CNN900" for d in result.diagnostics)


# -- undecidable conditions and objects changed in place -------------------------------------
TORCH = "import random\nimport torch.nn as nn\nFLAG = random.random() > 0.5\n"


def torch_models(source: str, input_shape=(4,)):
    result = lint_source("m.py", (TORCH + source).encode(), Options(input_shape=input_shape))
    return {m.name: m.total_params for m in result.models}, result.diagnostics


@pytest.mark.parametrize("source,line", [
    # a list that existed before the condition
    ("layers = [nn.Linear(4, 8)]\nif FLAG:\n    layers.append(nn.Linear(8, 8))\nmodel = nn.Sequential(*layers)\n", 5),
    # a module's attributes and containers, inside __init__
    ("class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
     "        self.body = nn.ModuleList([nn.Linear(4, 4)])\n        if FLAG:\n"
     "            self.body.append(nn.Linear(4, 4))\n        self.head = nn.Linear(4, 2)\n\n"
     "    def forward(self, x):\n        for layer in self.body:\n            x = layer(x)\n        return self.head(x)\n", 8),
    ("class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n"
     "        if FLAG:\n            self.extra = nn.Linear(4, 4)\n\n    def forward(self, x):\n        return self.fc(x)\n",
     8),
])
def test_what_one_branch_adds_in_place_is_not_counted_as_certain(source, line):
    totals, diagnostics = torch_models(source)
    assert list(totals.values()) == [None]
    assert any(d.code == "CNN900" and f"condition cnnlint cannot decide (line {line})" in d.message
               for d in diagnostics), diagnostics


def test_each_branch_starts_from_the_state_before_the_condition():
    # were the else branch run on what the first one left, both would give width 8
    totals, _ = torch_models("sizes = [4]\nif FLAG:\n    sizes.append(4)\n    width = 8\nelse:\n"
                             "    width = 4 * len(sizes)\nmodel = nn.Sequential(nn.Linear(width, 2))\n")
    assert totals == {"model": None}


def test_branches_that_agree_or_change_only_their_own_objects_stay_exact():
    totals, diagnostics = torch_models(
        "shared = nn.Linear(8, 8)\nlayers = [nn.Linear(4, 8)]\nif FLAG:\n    layers.append(shared)\nelse:\n"
        "    layers.append(shared)\nif FLAG:\n    xs = [1]\n    xs.append(2)\n    width = len(xs)\nelse:\n"
        "    width = 2\nmodel = nn.Sequential(*layers, nn.Linear(8, width))\n")
    assert totals == {"model": 40 + 72 + 18} and not diagnostics


def test_a_keras_model_grown_under_an_undecidable_condition_is_not_guessed():
    result = lint("model = keras.Sequential([keras.Input((4,)), layers.Dense(8)])\n"
                  "if random.random() > 0.5:\n    model.add(layers.Dense(2))\n")
    (model,) = result.models
    assert model.total_params is None
    assert any(d.code == "CNN900" for d in result.diagnostics)


def test_unpacking_around_a_starred_value_of_unknown_length_keeps_only_the_places_it_cannot_shift():
    # `*_, height, width, heads, wsz = *x.shape, heads, wsz` of an x whose rank is not known (CrossFormer):
    # heads and wsz are the last two items whatever the rank; height and width are not known
    totals, diagnostics = torch_models(
        "import mystery\n*_, height, width, heads, wsz = *mystery.shape, 4, 2\n"
        "first, *rest = *mystery.dims, 3\n"
        "model = nn.Sequential(nn.Linear(heads, wsz))\nother = nn.Sequential(nn.Linear(width, 2))\n"
        "third = nn.Sequential(nn.Linear(len(rest), 2))\n")
    assert totals == {"model": 4 * 2 + 2, "other": None, "third": None}
