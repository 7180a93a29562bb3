"""CNN403: softmax over one unit is always 1.0; over the batch axis it mixes samples."""

import importlib.util
import textwrap

import numpy as np
import pytest
import torch
from torch import nn

from cnnlint.results import Options
from cnnlint.runner import lint_source

from ..test_fixes import fixed
from .common import check_examples, examples, lines, only_class, run

CODE = "CNN403"
BAD, GOOD = examples(CODE)


def test_single_unit_softmax_always_predicts_one():
    model = run(BAD)["model"]
    predictions = np.asarray(model.predict(np.random.randn(32, 20).astype("float32"), verbose=0))
    assert np.all(predictions == 1.0)
    fixed = np.asarray(run(GOOD)["model"].predict(np.random.randn(32, 20).astype("float32"), verbose=0))
    assert not np.all(fixed == 1.0)


def test_document_examples():
    check_examples(CODE)


_NET = """
    import torch
    import torch.nn.functional as F
    from torch import nn


    class Net(nn.Module):  # cnnlint: input-shape={shape}
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(8, {units})

        def forward(self, x):
            return {softmax}
"""


@pytest.mark.parametrize("shape, units, softmax, fires", [
    ("8", 4, "F.softmax(self.fc(x), dim=0)", True),  # batch axis
    ("5,8", 4, "F.softmax(self.fc(x))", True),  # rank 3, no dim: PyTorch picks the batch axis
    ("8", 1, "torch.softmax(self.fc(x), dim=1)", True),  # one unit
    ("8", 4, "F.softmax(self.fc(x), dim=1)", False),
    ("8", 4, "F.softmax(self.fc(x))", False),  # rank 2: the implicit dim is 1
    ("5,8", 4, "F.log_softmax(self.fc(x), dim=-1)", False),
])
def test_module_variants(shape, units, softmax, fires):
    assert lines(_NET.format(shape=shape, units=units, softmax=softmax), CODE) == ([13] if fires else [])


def test_implicit_dim_is_the_batch_for_rank_three_at_run_time():
    x = torch.randn(4, 5, 3)
    with pytest.warns(UserWarning, match="Implicit dimension"):
        implicit = torch.nn.functional.softmax(x)
    assert torch.allclose(implicit.sum(dim=0), torch.ones(5, 3))


def test_sequential_softmax_layer_on_one_unit():
    source = """
        from torch import nn

        model = nn.Sequential(nn.Linear(8, 1), nn.Softmax(dim=1))  # cnnlint: input-shape=8
    """
    assert lines(source, CODE) == [4]


def test_parameters_softmaxed_over_axis_zero_are_not_the_batch():
    source = """
        import torch
        import torch.nn.functional as F
        from torch import nn


        class Mix(nn.Module):  # cnnlint: input-shape=8
            def __init__(self):
                super().__init__()
                self.alpha = nn.Parameter(torch.zeros(3))
                self.fc = nn.Linear(8, 8)

            def forward(self, x):
                weights = F.softmax(self.alpha, dim=0)
                return self.fc(x)
    """
    assert lines(source, CODE) == []


_IMPLICIT = """
    import torch.nn.functional as F
    from torch import nn


    class Tagger(nn.Module):  # cnnlint: input-shape=12,16
        def __init__(self):
            super().__init__()
            self.proj = nn.Linear(16, 5)
            self.norm = nn.Softmax()

        def forward(self, x):
            return F.softmax(self.proj(x)), self.norm(self.proj(x))
"""


def test_the_implicit_batch_axis_gets_dim_minus_one_and_each_sample_sums_to_one():
    source = textwrap.dedent(_IMPLICIT)
    assert lines(source, CODE) == [13, 13]
    after = fixed(source)
    assert "F.softmax(self.proj(x), dim=-1)" in after and "self.norm = nn.Softmax(dim=-1)" in after
    assert fixed(source, unsafe=False) == source
    assert lines(after, CODE) == []
    model = only_class(run(after), nn.Module)()
    x = torch.randn(3, 12, 16)
    for whole, alone in zip(model(x), model(x[:1])):
        assert whole.shape == (3, 12, 5)  # the shape cnnlint reports, (batch, 12, 5)
        assert torch.allclose(whole.sum(-1), torch.ones(3, 12))
        assert torch.allclose(whole[:1], alone)  # a sample's scores no longer depend on the batch


def test_no_fix_when_the_same_softmax_also_reads_channels():
    source = textwrap.dedent("""
        from torch import nn


        class Net(nn.Module):  # cnnlint: input-shape=4,6,6
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(4, 4, 3)
                self.norm = nn.Softmax()

            def forward(self, x):
                y = self.norm(self.conv(x))
                return self.norm(y.flatten(2))
    """)
    (diagnostic,) = [d for d in lint_source("example.py", source.encode(), Options()).diagnostics if d.code == CODE]
    assert not diagnostic.fix.available
    assert "rank 4 or more" in diagnostic.message


def test_no_report_on_an_axis_sized_by_an_input_cnnlint_guessed():
    """timm's SAM ViT, linted without an input size: cnnlint once solved for the smallest image its numbers
    seemed to allow (16×16, one token), where the attention softmax has one column; at the real size it has
    thousands.  Its window partition, ``view(-1, window, window, C)``, folds the windows into the batch and
    asks for no input size: the input stays symbolic, and still no report."""
    spec = importlib.util.find_spec("timm")  # its source is read, never imported
    if spec is None:
        pytest.skip("timm is not installed")
    path = f"{spec.submodule_search_locations[0]}/models/vision_transformer_sam.py"
    with open(path, "rb") as file:
        result = lint_source(path, file.read(), Options(model="samvit_base_patch16_224"))
    (model,) = result.models
    assert model.input_source == "symbolic"
    assert [d.message for d in result.diagnostics if d.code == "CNN403"] == []
