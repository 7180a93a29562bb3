"""CNN002 empty-file."""

from ..conftest import lint_file


def test_empty_file(tmp_path):
    doc, code = lint_file(tmp_path, "empty.py", "")
    assert code == 0
    assert [d["code"] for d in doc["diagnostics"]] == ["CNN002"]
    assert doc["diagnostics"][0]["severity"] == "info"
