"""Loss modules kept on a model (``self.criterion = nn.CrossEntropyLoss()``), against real PyTorch: they hold
no parameters, and applied with reduction 'mean' or 'sum' they give a scalar."""

import inspect

import pytest

torch = pytest.importorskip("torch")

from cnnlint.frontends.torch.layers import LOSSES  # noqa: E402
from tests.test_realworld_constructs import HEADER, agrees, lint  # noqa: E402


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_every_loss_cnnlint_counts_as_weightless_is_weightless_and_binds_its_arguments_as_pytorch(name):
    cls = getattr(torch.nn, name)
    assert sum(p.numel() for p in cls().parameters()) == 0
    positional = [p.name for p in list(inspect.signature(cls.__init__).parameters.values())[1:]
                  if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert LOSSES[name].split() == positional[:positional.index("reduction") + 1 if positional else 0]


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_a_loss_on_the_model_does_not_hide_the_parameter_count(loss):
    agrees(f"""
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(3, 8, 3)
                self.criterion = nn.{loss}()

            def forward(self, x):
                return self.conv(x)
    """, "Net")


@pytest.mark.parametrize("construction", [
    "nn.MSELoss()", "nn.MSELoss(reduction='sum')", "nn.L1Loss(None, None, 'sum')", "nn.SmoothL1Loss(False)",
    "nn.HuberLoss('sum')", "nn.MSELoss(size_average=False)", "nn.L1Loss(reduce=True)",
])
def test_a_loss_applied_in_forward_gives_the_scalar_pytorch_gives(construction):
    agrees(applying(construction), "Net", input_shape=(3, 2, 2))


def applying(construction: str) -> str:
    """A model whose forward returns its loss module applied to its output."""
    return f"""
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(12, 4)
        self.criterion = {construction}

    def forward(self, x):
        out = self.fc(x.flatten(1))
        return self.criterion(out, torch.zeros_like(out))
"""


@pytest.mark.parametrize("construction", ["nn.MSELoss(reduction='none')", "nn.MSELoss(reduce=False)",
                                          "nn.MSELoss(reduction=MODE)"])
def test_a_loss_whose_output_shape_cnnlint_does_not_model_is_unknown_not_guessed(construction):
    report, notes = lint(HEADER + 'import os\nMODE = os.environ["MODE"]\n' + applying(construction), "Net", (3, 2, 2))
    assert report.output_shape is None
    assert [n for n in notes if "output shape of a loss" in n], notes
