"""``# noqa`` on the reported line, ``# cnnlint: disable=`` on a model's definition line."""

from cnnlint.runner import Options, lint_source
from cnnlint.suppressions import parse_codes, scan

#: two identical models with the same CNN302 bug (a forgotten Flatten); only the first is silenced
TWINS = """\
import keras

quiet = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    keras.layers.Conv2D(8, 3),
    keras.layers.Dense(10),  # noqa: CNN302
])
loud = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    keras.layers.Conv2D(8, 3),
    keras.layers.Dense(10),
])
"""


def diagnostics(source: str, **options) -> list:
    result = lint_source("m.py", source.encode(), Options(**options))
    return [(d.line, d.code, d.model) for d in result.diagnostics]


def test_a_noqa_line_is_silent_while_its_twin_reports():
    assert diagnostics(TWINS) == [(11, "CNN302", "loud")]
    assert diagnostics(TWINS.replace("  # noqa: CNN302", "")) == [(6, "CNN302", "quiet"), (11, "CNN302", "loud")]


def test_bare_noqa_and_rule_names():
    assert diagnostics(TWINS.replace("noqa: CNN302", "noqa")) == [(11, "CNN302", "loud")]
    assert diagnostics(TWINS.replace("noqa: CNN302", "noqa: dense-on-feature-map")) == [(11, "CNN302", "loud")]


def test_noqa_for_another_code_does_not_silence():
    assert len(diagnostics(TWINS.replace("noqa: CNN302", "noqa: CNN102"))) == 2


def test_noqa_inside_a_string_is_not_a_comment():
    source = TWINS.replace("  # noqa: CNN302", "") + 'NOTE = "# noqa"\n'
    assert len(diagnostics(source)) == 2


def test_disable_on_the_definition_line_covers_the_whole_model():
    source = TWINS.replace("  # noqa: CNN302", "").replace(
        "quiet = keras.Sequential([", "quiet = keras.Sequential([  # cnnlint: disable=CNN302,CNN102")
    assert diagnostics(source) == [(11, "CNN302", "loud")]
    everything = source.replace("disable=CNN302,CNN102", "disable")
    assert diagnostics(everything) == [(11, "CNN302", "loud")]


def test_disable_elsewhere_does_nothing():
    source = TWINS.replace("  # noqa: CNN302", "  # cnnlint: disable=CNN302")
    assert len(diagnostics(source)) == 2


def test_directives_share_a_comment_with_the_input_shape_pragma():
    directives = scan(b"import torch\nclass Net:  # cnnlint: input-shape=1,28,28  # noqa: CNN900 not resolvable\n")
    assert directives.input_shapes == {2: (1, 28, 28)}
    assert directives.noqa == {2: frozenset({"CNN900"})}


def test_codes_stop_at_the_explanation():
    assert parse_codes("CNN102, bias-before-normalization because of the stem") == {"CNN102", "CNN301"}
