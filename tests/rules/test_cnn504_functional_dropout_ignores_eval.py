"""CNN504: F.dropout without training= keeps dropping after model.eval()."""

import textwrap

import pytest
import torch
from torch import nn

from cnnlint.results import Options
from cnnlint.runner import lint_source

from ..test_fixes import fixed, unmarked
from .common import check_examples, examples, lines, only_class, run

CODE = "CNN504"
BAD, GOOD = examples(CODE)


def _eval_outputs(source: str):
    torch.manual_seed(0)
    model = only_class(run(source), nn.Module)().eval()
    x = torch.randn(8, 784)
    return model(x), model(x)


def test_dropout_stays_active_in_eval_at_run_time():
    first, second = _eval_outputs(BAD)
    assert not torch.equal(first, second)  # random at inference
    first, second = _eval_outputs(GOOD)
    assert torch.equal(first, second)


def test_document_examples():
    check_examples(CODE)


@pytest.mark.parametrize("call, fires", [
    ("F.dropout2d(x, 0.2)", True),
    ("torch.nn.functional.alpha_dropout(x, p=0.1)", True),
    ("F.dropout(x, 0.2, self.training)", False),
    ("F.dropout(x, p=0.2, training=True)", False),  # Monte Carlo dropout, on purpose
    ("F.dropout(x, p=0.0)", False),
])
def test_call_variants(call, fires):
    source = f"""
        import torch
        import torch.nn.functional as F
        from torch import nn


        class Net(nn.Module):  # cnnlint: input-shape=4,8,8
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(4, 4, 3)

            def forward(self, x):
                x = {call}
                return self.conv(x)
    """
    assert lines(source, CODE) == ([13] if fires else [])


def test_dropout_under_self_training_is_not_reported():
    source = """
        import torch.nn.functional as F
        from torch import nn


        class Net(nn.Module):  # cnnlint: input-shape=8
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(8, 8)

            def forward(self, x):
                if self.training:
                    x = F.dropout(x, 0.5)
                return self.fc(x)
    """
    assert lines(source, CODE) == []


def _fix(source: str):
    """The one CNN504 diagnostic of a snippet, with its fix."""
    result = lint_source("example.py", textwrap.dedent(source).encode(), Options(report_models=False))
    (diagnostic,) = [d for d in result.diagnostics if d.code == CODE]
    return diagnostic


def test_the_fixed_example_runs_deterministically_in_eval_mode():
    after = unmarked(fixed(BAD, unsafe=False), CODE)
    assert after == GOOD
    first, second = _eval_outputs(after)
    assert torch.equal(first, second)


def test_no_fix_outside_a_method_taking_self():
    diagnostic = _fix("""
        import torch.nn.functional as F
        from torch import nn


        def drop(x):
            return F.dropout(x, 0.5)


        class Net(nn.Module):  # cnnlint: input-shape=8
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(8, 8)

            def forward(self, x):
                return self.fc(drop(x))
    """)
    assert not diagnostic.fix.available
    assert "not in a method of Net that takes self" in diagnostic.message


def test_fix_in_a_helper_method_of_the_module():
    diagnostic = _fix("""
        import torch.nn.functional as F
        from torch import nn


        class Net(nn.Module):  # cnnlint: input-shape=8
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(8, 8)

            def drop(self, x):
                return F.dropout(x, 0.5)

            def forward(self, x):
                return self.fc(self.drop(x))
    """)
    (edit,) = diagnostic.fix.edits
    assert (edit.line, edit.content) == (12, ", training=self.training")
