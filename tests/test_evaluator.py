"""The static evaluator as users meet it: what it resolves, and how it says what it cannot."""

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
