"""LightningModules' hyperparameters (``self.save_hyperparameters()`` then ``self.hparams.hidden_dim``), against
real Lightning: the same source text is built by Lightning and read by cnnlint, and the two must agree on the
parameter count and output shape; where cnnlint cannot read what Lightning collects, the count is null."""

from __future__ import annotations

import sys
import textwrap
import types

import pytest

torch = pytest.importorskip("torch")
# torchmetrics imports torchvision, whose compiled ops are built for another torch; none of them is needed here
sys.modules.setdefault("torchvision._meta_registrations", types.ModuleType("torchvision._meta_registrations"))
pytest.importorskip("lightning")

from tests.test_realworld_constructs import lint, real  # noqa: E402

HEADER = "import argparse\nimport torch\nfrom torch import nn\nimport lightning as L\n"


def module(init: str, signature: str = "self, hidden_dim=64, num_classes=10") -> str:
    body = textwrap.indent(textwrap.dedent(init), " " * 8)
    return HEADER + f"""
class Lit(L.LightningModule):
    def __init__({signature}):
        super().__init__()
{body}
        self.body = nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, self.hparams.hidden_dim), nn.ReLU(),
                                  nn.Linear(self.hparams["hidden_dim"], self.hparams.num_classes))
        self.loss_fn = nn.CrossEntropyLoss()

    def forward(self, x):
        return self.body(x)
"""


def agrees(source: str, build: str = "Lit()"):
    source += f"\n\ndef build():\n    return {build}\n"
    namespace: dict = {}
    exec(compile(source, "model.py", "exec"), namespace)  # the oracle: real Lightning runs the snippet
    report, notes = lint(source, "build", (3, 8, 8))
    assert (report.total_params, report.output_shape) == real(namespace["build"](), (3, 8, 8)), notes


@pytest.mark.parametrize("init, signature, build", [
    ("self.save_hyperparameters()", None, "Lit()"),
    ("self.save_hyperparameters()", None, "Lit(32, num_classes=4)"),
    ("self.save_hyperparameters('hidden_dim', 'num_classes')", None, "Lit(hidden_dim=16)"),
    ("self.save_hyperparameters(ignore=['backbone'])", "self, backbone=None, hidden_dim=8, num_classes=3", "Lit()"),
    ("self.save_hyperparameters(ignore='backbone')", "self, backbone=None, hidden_dim=8, num_classes=3", "Lit()"),
    # the variables as they are at the call, as Lightning reads them from the frame
    ("hidden_dim = hidden_dim * 2\nself.save_hyperparameters()", None, "Lit()"),
    # **kwargs are merged in
    ("self.save_hyperparameters()", "self, hidden_dim=64, **kwargs", "Lit(num_classes=5)"),
    # a dict or an argparse Namespace given as the hyperparameters
    ("self.save_hyperparameters(config)", "self, config", "Lit(dict(hidden_dim=12, num_classes=2))"),
    ("self.save_hyperparameters(args)", "self, args",
     "Lit(argparse.Namespace(hidden_dim=12, num_classes=2))"),
])
def test_hyperparameters_are_read_as_lightning_collects_them(init, signature, build):
    agrees(module(init, signature or "self, hidden_dim=64, num_classes=10"), build)


def test_collected_from_a_base_class_init_the_count_is_unknown_not_guessed():
    """Lightning collects the subclass's ``__init__`` arguments too (``hidden_dim=7`` overrides the base's 64)."""
    source = module("self.save_hyperparameters()") + textwrap.dedent("""
        class Small(Lit):
            def __init__(self, hidden_dim=7):
                super().__init__(hidden_dim=32)

        def build():
            return Small()
        """)
    namespace: dict = {}
    exec(compile(source, "model.py", "exec"), namespace)
    assert namespace["build"]().hparams.hidden_dim == 7
    report, notes = lint(source, "build", (3, 8, 8))
    assert report.total_params is None and notes
