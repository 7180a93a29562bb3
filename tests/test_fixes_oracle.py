"""Every fixed example builds and runs in the real framework, with the shapes and parameters cnnlint reports.

Also: what the buggy originals do there (PyTorch refuses them), and the CNN301
document's claim about when outputs stay equal without the bias.
"""

import os

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cnnlint.runner import Options, lint_source

from .test_fixes import LENET, TORCH_BN, document_block, fixed

os.environ.setdefault("KERAS_BACKEND", "torch")
torch = pytest.importorskip("torch")

LENET_VARIANTS = ["nn.Linear(16 * 5 * 5, 120)", "nn.Linear(400, 120)", "nn.Linear(in_features=400, out_features=120)",
                  "nn.Linear(  # the classifier\n            16 * 5 * 5,  # flattened\n            120,\n        )"]
TORCH_SOURCES = [document_block(code) for code in ("CNN101", "CNN501", "CNN504", "CNN603")] + [LENET.format(fc1=v) for v in LENET_VARIANTS] + [
    TORCH_BN.format(conv=c) for c in ("nn.Conv2d(3, 16, 3)", "nn.Conv2d(3, 16, 3, 1, 0, 1, 1, True)")] + [
    "import torch.nn as nn\n\nmodel = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.BatchNorm2d(32))  "
    "# cnnlint: input-shape=1,28,28\n"]


def run_source(source: str) -> dict:
    namespace = {"__name__": "example"}
    exec(compile(source, "example.py", "exec"), namespace)
    return namespace


def torch_model(report, namespace):
    value = namespace[report.name]
    return value() if isinstance(value, type) else value


@pytest.mark.parametrize("source", TORCH_SOURCES)
def test_fixed_pytorch_examples_run_with_cnnlints_shapes(source):
    before = lint_source("example.py", source.encode(), Options())
    (report,) = before.models
    if any(d.severity == "error" for d in before.diagnostics):
        with pytest.raises(RuntimeError):  # the original fails in PyTorch, as cnnlint said
            torch_model(report, run_source(source))(torch.zeros(2, *report.input_shape))
    after = fixed(source)
    result = lint_source("example.py", after.encode(), Options())
    assert not [d for d in result.diagnostics if d.severity == "error"]
    (report,) = result.models
    model = torch_model(report, run_source(after))
    output = model(torch.zeros(2, *report.input_shape))
    assert list(output.shape[1:]) == report.output_shape
    assert sum(p.numel() for p in model.parameters()) == report.total_params


def test_the_buggy_torch_bn_examples_really_run_before_the_bias_fix():
    """CNN301's originals run: the fix changes parameters, not whether the model works."""
    source = TORCH_BN.format(conv="nn.Conv2d(3, 16, 3)")
    model = run_source(source)["Net"]()
    after = run_source(fixed(source))["Net"]()
    params = sum(p.numel() for p in model.parameters()) - sum(p.numel() for p in after.parameters())
    assert params == 16
    (report,) = lint_source("example.py", fixed(source).encode(), Options()).models
    assert list(after(torch.zeros(2, 3, 32, 32)).shape[1:]) == report.output_shape


def test_fixed_keras_example_builds_with_cnnlints_numbers():
    keras = pytest.importorskip("keras")
    source = document_block("CNN301")
    after = fixed(source)
    (report,) = lint_source("example.py", after.encode(), Options()).models
    model = run_source(after)["model"]
    assert model.count_params() == report.total_params
    assert list(model(keras.ops.zeros((1, *report.input_shape))).shape[1:]) == report.output_shape
    assert run_source(source)["model"].count_params() - model.count_params() == 32


def test_cnn302_suggestion_builds_in_keras():
    keras = pytest.importorskip("keras")
    from cnnlint.fixes import apply

    source = document_block("CNN302")
    (d,) = lint_source("example.py", source.encode(), Options()).diagnostics
    after = apply(source, [d.fix])[0]
    (report,) = lint_source("example.py", after.encode(), Options()).models
    model = run_source(after)["model"]
    assert model.count_params() == report.total_params
    assert list(model(keras.ops.zeros((1, *report.input_shape))).shape[1:]) == report.output_shape == [10]


def test_bias_before_batch_norm_cancels_in_training_mode_only():
    """What rules/CNN301.md says: equal outputs in training mode; a trained model's bias is in the running mean."""
    torch.manual_seed(0)
    nn = torch.nn
    with_bias, without = nn.Conv2d(3, 8, 3), nn.Conv2d(3, 8, 3, bias=False)
    without.weight.data.copy_(with_bias.weight.data)
    with torch.no_grad():
        with_bias.bias.uniform_(-1, 1)
    a, b = nn.Sequential(with_bias, nn.BatchNorm2d(8)), nn.Sequential(without, nn.BatchNorm2d(8))
    for _ in range(5):
        x = torch.randn(16, 3, 10, 10)
        assert torch.allclose(a(x), b(x), atol=1e-5)  # training mode: the batch mean absorbs the bias
    b[1].load_state_dict(a[1].state_dict())  # the trained model, its bias dropped
    a.eval(), b.eval()
    x = torch.randn(4, 3, 10, 10)
    bn = a[1]
    shift = (bn.weight * with_bias.bias / torch.sqrt(bn.running_var + bn.eps)).detach()
    assert torch.allclose(a(x) - b(x), shift[None, :, None, None].expand(4, 8, 8, 8), atol=1e-5)
    assert shift.abs().max() > 0.1


GENERATED = """import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):  # cnnlint: input-shape={channels},{side},{side}
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d({declared_channels}, {c1}, {k1})
        self.conv2 = nn.Conv2d({c1}, {c2}, {k2})
        self.fc1 = nn.Linear({features}, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = {flatten}
        return self.fc2(F.relu(self.fc1(x)))
"""


@settings(max_examples=15, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(channels=st.sampled_from([1, 3]), declared_channels=st.sampled_from([1, 3]), side=st.integers(14, 40),
       c1=st.sampled_from([4, 6]), c2=st.sampled_from([8, 16]), k1=st.sampled_from([3, 5]), k2=st.sampled_from([3, 5]),
       wrong=st.integers(1, 7), product=st.booleans(),
       flatten=st.sampled_from(["x.view(x.size(0), -1)", "torch.flatten(x, 1)", "x.flatten(1)"]))
def test_generated_models_after_the_fix_run_in_pytorch_with_cnnlints_numbers(
        channels, declared_channels, side, c1, c2, k1, k2, wrong, product, flatten):
    final = ((side - k1 + 1) // 2 - k2 + 1) // 2
    assume(final >= 1)
    features = f"{c2} * {wrong} * {wrong}" if product else str(c2 * wrong * wrong)
    source = "import torch\n" + GENERATED.format(channels=channels, declared_channels=declared_channels, side=side,
                                                 c1=c1, c2=c2, k1=k1, k2=k2, features=features, flatten=flatten)
    after = fixed(source)
    result = lint_source("example.py", after.encode(), Options())
    assert not [d for d in result.diagnostics if d.code == "CNN101"], result.diagnostics
    (report,) = result.models
    model = run_source(after)["Net"]()
    output = model(torch.zeros(2, channels, side, side))
    assert list(output.shape[1:]) == report.output_shape == [10]
    assert sum(p.numel() for p in model.parameters()) == report.total_params
    if product and wrong != final:
        assert f"nn.Linear({c2} * {final} * {final}, 32)" in after  # the author's form is kept


@settings(max_examples=15, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(["conv", "linear"]), channels=st.integers(1, 8), out=st.integers(1, 12),
       written=st.sampled_from(["", ", bias=True", ", True"]))
def test_generated_bias_fixes_drop_exactly_the_bias_and_keep_training_outputs(kind, channels, out, written):
    if kind == "conv":
        layer = f"nn.Conv2d({channels}, {out}, 3{', 1, 0, 1, 1, True' if written == ', True' else written})"
        norm, shape = f"nn.BatchNorm2d({out})", (channels, 9, 9)
    else:
        layer, norm, shape = f"nn.Linear({channels}, {out}{written})", f"nn.BatchNorm1d({out})", (channels,)
    source = (f"import torch.nn as nn\n\nmodel = nn.Sequential({layer}, {norm})  "
              f"# cnnlint: input-shape={','.join(map(str, shape))}\n")
    (d,) = lint_source("example.py", source.encode(), Options()).diagnostics
    assert d.code == "CNN301" and f"a bias of {out} parameters" in d.message
    after = fixed(source)
    assert not lint_source("example.py", after.encode(), Options()).diagnostics
    torch.manual_seed(0)
    before_model, after_model = run_source(source)["model"], run_source(after)["model"]
    assert sum(p.numel() for p in before_model.parameters()) - sum(p.numel() for p in after_model.parameters()) == out
    after_model[0].weight.data.copy_(before_model[0].weight.data)
    x = torch.randn(4, *shape)
    assert torch.allclose(before_model(x), after_model(x), atol=1e-4)  # training mode: the bias cancels
