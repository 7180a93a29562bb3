"""What the rule tests share: linting a snippet, a rule document's examples, running an example for real."""

import re
import textwrap

from cnnlint.results import Options
from cnnlint.rules import ALL_RULES
from cnnlint.rules.docs import sections
from cnnlint.runner import lint_source

from ..conftest import ROOT

EVERY_RULE = frozenset(rule.code for rule in ALL_RULES)
_FENCE = re.compile(r"```python\n(.*?)```", re.DOTALL)


def lines(source: str, code: str) -> list:
    """Lines (1-based) where the snippet gets the rule, with every rule selected."""
    text = textwrap.dedent(source)
    result = lint_source("example.py", text.encode(), Options(enabled=EVERY_RULE, report_models=False))
    assert not [d for d in result.diagnostics if d.code == "CNN000"], result.diagnostics
    return sorted(d.line for d in result.diagnostics if d.code == code)


def marked(source: str, code: str) -> list:
    """Lines of the snippet marked ``# <- CODE``."""
    mark = f"# <- {code}"
    return [n for n, line in enumerate(textwrap.dedent(source).splitlines(), 1) if line.rstrip().endswith(mark)]


def examples(code: str) -> tuple:
    """The rule document's bad example and its fix."""
    parts = sections((ROOT / "rules" / f"{code}.md").read_text(encoding="utf-8"))
    (bad,) = _FENCE.findall(parts["Example"])
    (good,) = _FENCE.findall(parts["Use instead"])
    return bad, good


def check_examples(code: str) -> None:
    """The document's example gets the rule on its marked lines, and its fix gets nothing."""
    bad, good = examples(code)
    assert lines(bad, code) == marked(bad, code)
    assert lines(good, code) == []


def run(source: str) -> dict:
    """Run an example with the real framework; its module-level names."""
    namespace = {"__name__": "example"}
    exec(compile(textwrap.dedent(source), "example.py", "exec"), namespace)  # noqa: S102 - the test's own code
    return namespace


def only_class(namespace: dict, base):
    """The one model class an example defines."""
    (cls,) = [v for v in namespace.values()
              if isinstance(v, type) and issubclass(v, base) and v.__module__ == "example"]
    return cls
