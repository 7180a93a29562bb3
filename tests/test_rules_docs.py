"""Every rule has a document in ruff's shape, and its examples are run through cnnlint.

The "Example" block must raise exactly its rule at the line marked ``# <- CODE``
(line 1 for a file-level rule without a mark); the "Use instead" block must
be clean.  A ``toml`` block in "Options" is the configuration both run with.
"""

import json
import re

import pytest
from typer.testing import CliRunner

from cnnlint.cli import app
from cnnlint.rules import ALL_RULES, BY_CODE
from cnnlint.rules.docs import doc_path, sections

from .conftest import ROOT

DOCS = ROOT / "rules"
FENCE = re.compile(r"```(\w*)\n(.*?)```", re.DOTALL)
WITH_EXAMPLES = [rule for rule in ALL_RULES if rule.code != "CNN000"]


def blocks(text: str, language: str) -> list:
    return [body for lang, body in FENCE.findall(text) if lang == language]


def document(rule) -> dict:
    return sections((DOCS / f"{rule.code}.md").read_text(encoding="utf-8"))


def lint(tmp_path, source: str, config: str) -> list:
    target = tmp_path / "example.py"
    target.write_text(source, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    result = CliRunner().invoke(app, ["--format", "json", "--no-cache", str(target)])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["diagnostics"]


def test_one_document_per_rule():
    assert {path.stem for path in DOCS.glob("*.md")} == set(BY_CODE)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_document_shape(rule):
    text = (DOCS / f"{rule.code}.md").read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# {rule.name} ({rule.code})"
    assert re.search(rf"^Severity: {rule.severity} ·", text, re.MULTILINE)
    parts = document(rule)
    assert parts["What it does"] and parts["Why is this bad?"]
    for option in rule.options:
        assert f"`{option}`" in parts["Options"], option
    assert doc_path(rule.code) is not None  # what --explain and SARIF read


@pytest.mark.parametrize("rule", WITH_EXAMPLES, ids=lambda rule: rule.code)
def test_examples_run_through_cnnlint(rule, tmp_path):
    parts = document(rule)
    (bad,) = blocks(parts["Example"], "python")
    (good,) = blocks(parts["Use instead"], "python")
    config = "".join(blocks(parts.get("Options", ""), "toml"))
    marked = {n for n, line in enumerate(bad.splitlines(), 1) if line.rstrip().endswith(f"# <- {rule.code}")}
    expected = marked or ({1} if rule.file_level else set())
    assert expected, f"{rule.code}: the example marks no line"

    found = lint(tmp_path, bad, config)
    assert {d["code"] for d in found} == {rule.code}, found
    assert {d["line"] for d in found} == expected, found
    assert lint(tmp_path, good, config) == []
