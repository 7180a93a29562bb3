"""Each kind of Problem names a rule that exists, as an error exactly when the framework would fail."""

import pytest

from cnnlint.graph import ProblemKind
from cnnlint.rules import BY_CODE
from cnnlint.rules.base import ProblemRule


@pytest.mark.parametrize("kind", list(ProblemKind), ids=lambda k: k.value)
def test_every_kind_names_a_rule_of_its_severity(kind):
    assert BY_CODE[kind.code].severity == ("error" if kind.is_error else "info")


def test_a_rule_reporting_another_rule_s_kind_is_refused_at_definition():
    with pytest.raises(TypeError, match="CNN101"):
        type("Wrong", (ProblemRule,), {"code": "CNN103", "problem_kind": ProblemKind.MISMATCH})
