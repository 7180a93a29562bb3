"""JSON and SARIF stay valid, and positions stay inside the file, whatever the names and strings in the code.

Paths and messages can hold quotes, newlines, any unicode, and lone surrogates
(an undecodable file name on Linux arrives as one, through os.fsdecode).
"""

import json
import keyword
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnnlint.diagnostics import Diagnostic
from cnnlint.reporters import json as json_reporter
from cnnlint.runner import FileResult, Options, lint_source

try:
    from cnnlint.reporters import sarif
except ImportError:  # the SARIF reporter is optional
    sarif = None

settings.register_profile("output-ci", max_examples=200, derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])

identifiers = st.text(st.characters(categories=("Lu", "Ll", "Lo", "Nl", "Mn", "Nd", "Pc")), min_size=1,
                      max_size=12).filter(lambda s: s.isidentifier() and not keyword.iskeyword(s))
#: anything a path or a message may carry, lone surrogates included
wild_text = st.text(st.characters(blacklist_categories=()), max_size=40)


def model_source(variable: str, layer_name: str, units: int) -> str:
    return (f"from tensorflow import keras\nfrom tensorflow.keras import layers\n\n"
            f"{variable} = keras.Sequential([keras.Input((8, 8, 1)),\n"
            f"    layers.Conv2D({units}, 3, strides=2, name={layer_name!r}),\n"
            f"    layers.Conv2D(4, 9), layers.Dense(0)])\n")


def renderings(results):
    yield json_reporter.render(results)
    if sarif is not None:
        yield sarif.render(results)


def assert_valid(results, source: bytes):
    lines = source.splitlines() or [b""]
    for d in (d for r in results for d in r.diagnostics):
        assert 1 <= d.line <= d.end_line <= len(lines), d
        assert d.column >= 1 and d.end_column >= 1, d
        assert d.end_column <= len(lines[d.end_line - 1].decode("utf-8", "replace")) + 1, d
    for text in renderings(results):
        text.encode("utf-8")  # writable to stdout, no lone surrogate left
        json.loads(text)


@settings(settings.get_profile("output-ci"))
@given(identifiers, wild_text, st.integers(-2, 70_000))
def test_weird_names_and_strings_give_valid_output(variable, layer_name, units):
    source = model_source(variable, layer_name, units).encode("utf-8", "surrogatepass")
    result = lint_source("models/m.py", source, Options())
    assert not any(d.code == "CNN000" for d in result.diagnostics), result.diagnostics
    assert_valid([result], source)


@settings(settings.get_profile("output-ci"))
@given(wild_text, wild_text)
def test_wild_paths_and_messages_give_valid_output(path, message):
    result = FileResult(path or "x.py")
    result.diagnostics.append(Diagnostic(result.path, 1, 1, 1, 1, "CNN101", "error", message, model=message))
    assert_valid([result], b"x = 1\n")


def test_undecodable_file_name(tmp_path):
    name = os.fsdecode(b"caf\xe9 \"model\"\n.py")  # a lone surrogate in the name
    data = model_source("model", "conv", 4).encode()
    result = lint_source(str(tmp_path / name), data, Options())
    assert result.diagnostics
    assert_valid([result], data)


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_positions_inside_the_file_for_every_line_ending(ending):
    source = model_source("model", "conv", 4).replace("\n", ending).encode()
    result = lint_source("m.py", source, Options())
    assert {d.code for d in result.diagnostics} >= {"CNN102", "CNN103"}
    assert_valid([result], source)
