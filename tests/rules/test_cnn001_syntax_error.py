"""CNN001 syntax-error: a file Python cannot parse or decode, at the line it fails."""

from ..conftest import KERAS_HEADER, codes, lint_file


def test_syntax_error_is_cnn001_at_its_line(tmp_path):
    doc, code = lint_file(tmp_path, "broken.py", KERAS_HEADER + "model = keras.Sequential([layers.Dense(3)])\n"
                     "y = = 2\nx = 1\n")
    assert code == 1
    assert codes(doc) == [("CNN001", 4)]
    assert "syntax error" in doc["diagnostics"][0]["message"]


def test_non_utf8_file(tmp_path):
    doc, code = lint_file(tmp_path, "latin.py", KERAS_HEADER.encode() + b"name = '\xe9t\xe9'\n"
                     b"m = keras.Sequential([keras.Input((4,)), layers.Dense(2)])\n")
    assert code == 1
    assert [d["code"] for d in doc["diagnostics"]] == ["CNN001"]
