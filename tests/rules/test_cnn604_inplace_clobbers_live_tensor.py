"""CNN604: an in-place op on a tensor read again later changes what the later read sees."""

import pytest
import torch
from torch import nn

from .common import check_examples, examples, lines, only_class, run

CODE = "CNN604"
BAD, GOOD = examples(CODE)


def test_shortcut_is_rectified_at_run_time():
    x = torch.randn(2, 64, 8, 8)
    only_class(run(BAD), nn.Module)()(x)
    assert x.min() >= 0  # the caller's tensor, and the shortcut, lost every negative value
    x = torch.randn(2, 64, 8, 8)
    only_class(run(GOOD), nn.Module)()(x)
    assert x.min() < 0


#: pytorchcv's LFFD stage: its last residual unit's rectified output is kept for a detection head, then
#: rectified again in place by ``final_activ``
SAVED_THEN_RECTIFIED_AGAIN = """
import torch
from torch import nn


class Stage(nn.Module):  # cnnlint: input-shape=8,6,6
    def __init__(self, inplace=True):
        super().__init__()
        self.conv = nn.Conv2d(8, 8, 3, padding=1)
        self.activ = nn.ReLU(inplace=True)
        self.final_activ = nn.ReLU(inplace=inplace)
        self.heads = nn.ModuleList([nn.Conv2d(8, 2, 1), nn.Conv2d(8, 2, 1)])

    def forward(self, x):
        x = self.activ(self.conv(x) + x)
        outs = [x]
        x = self.final_activ(x)
        outs.append(x)
        return [head(out) for head, out in zip(self.heads, outs)]
"""


def test_relu_on_a_rectified_tensor_is_not_reported():
    assert lines(SAVED_THEN_RECTIFIED_AGAIN, CODE) == []


def test_relu_on_a_rectified_tensor_changes_nothing_at_run_time():
    stage = only_class(run(SAVED_THEN_RECTIFIED_AGAIN), nn.Module)
    torch.manual_seed(0)
    in_place = stage(inplace=True)
    out_of_place = stage(inplace=False)
    out_of_place.load_state_dict(in_place.state_dict())
    x = torch.randn(2, 8, 6, 6)
    for a, b in zip(in_place(x.clone()), out_of_place(x.clone())):
        assert torch.equal(a, b)  # bit-identical: the in-place write put back the values already there


def test_document_examples():
    check_examples(CODE)


@pytest.mark.parametrize("body, fires", [
    ("identity = x\n                x += self.conv(x)\n                return x * identity", True),
    ("out = x.relu_()\n                return out + x", True),
    ("out = F.relu(x, inplace=True)\n                return self.conv(out) + x", True),
    ("out = self.relu(x.clone())\n                return self.conv(out) + x", False),
    ("out = self.relu(self.conv(x))\n                return out + x", False),  # the conv's output, read once
    ("x.relu_()\n                return self.conv(x)", False),  # the change is wanted: the result is not used
    ("out = self.conv(x)\n                out += x\n                return self.relu(out)", False),
    # a ReLU rewrites what a ReLU, ReLU6, sigmoid or softmax produced with the same values: nothing changes
    ("y = F.relu(x)\n                out = self.relu(y)\n                return self.conv(out) + y", False),
    ("y = F.relu6(x)\n                out = y.relu_()\n                return self.conv(out) + y", False),
    ("y = torch.sigmoid(x)\n                out = self.relu(y)\n                return out * y", False),
    ("y = torch.tanh(x)\n                out = self.relu(y)\n                return self.conv(out) + y", True),
    ("y = F.leaky_relu(x)\n                out = self.relu(y)\n                return self.conv(out) + y", True),
])
def test_forward_variants(body, fires):
    assert bool(lines(block(body), CODE)) is fires


#: pix2pix's U-Net skip: an in-place LeakyReLU starts the inner block on the block's input x, which the block
#: also concatenates to its output; what reads x afterwards decides whether the overwrite shows
SKIP_READS = {
    "F.relu(torch.cat([x, self.conv(out)], 1))": False,  # the outer block rectifies first: relu(leaky(x)) = relu(x)
    "F.relu6(torch.cat([torch.cat([x, x], 1), self.conv(out)], 1))": False,
    "self.conv(out) + F.relu(x)": False,
    "torch.cat([x, self.conv(out)], 1)": True,  # returned as overwritten
    "torch.tanh(torch.cat([x, self.conv(out)], 1))": True,
    "F.relu(torch.cat([x, self.conv(out)], 1)) * torch.cat([x, x], 1)": True,  # one read not rectified
}


def skip_block(read: str, inplace: bool) -> str:
    return block(f"out = F.leaky_relu(x, 0.2, {inplace})\n                return {read}")


@pytest.mark.parametrize("read", sorted(SKIP_READS))
def test_an_overwrite_read_only_through_a_relu_is_not_reported(read):
    assert bool(lines(skip_block(read, True), CODE)) is SKIP_READS[read]


@pytest.mark.parametrize("read", sorted(SKIP_READS))
def test_an_overwrite_read_only_through_a_relu_changes_nothing_at_run_time(read):
    torch.manual_seed(0)
    in_place = only_class(run(skip_block(read, True)), nn.Module)()
    out_of_place = only_class(run(skip_block(read, False)), nn.Module)()
    out_of_place.load_state_dict(in_place.state_dict())
    x = torch.randn(2, 8, 4, 4)
    changed = not torch.equal(in_place(x.clone()), out_of_place(x.clone()))
    assert changed is SKIP_READS[read]


#: activations whose in-place flag comes after another argument, by position or by name
IN_PLACE_ACTIVATIONS = [
    "F.leaky_relu(x, 0.2, True)", "F.leaky_relu(x, inplace=True)", "F.elu(x, 1.0, True)", "F.celu(x, inplace=True)",
    "F.hardtanh(x, -1.0, 1.0, True)", "F.threshold(x, 0.1, 0.0, True)", "F.rrelu(x, inplace=True)",
    "nn.LeakyReLU(0.1, True)(x)", "nn.ELU(inplace=True)(x)", "nn.CELU(1.0, True)(x)",
    "nn.Hardtanh(inplace=True)(x)", "nn.Threshold(0.1, 0.0, True)(x)", "nn.RReLU(0.1, 0.3, True)(x)",
]


@pytest.mark.parametrize("call", IN_PLACE_ACTIVATIONS)
@pytest.mark.parametrize("inplace", [True, False])
def test_in_place_flag_after_another_argument_is_read_as_pytorch_reads_it(call, inplace):
    if not inplace:
        call = call.replace("True", "False")
    body = f"out = {call}\n                return self.conv(out) + x"
    x = torch.randn(2, 8, 4, 4) - 0.5
    before = x.clone()
    only_class(run(block(body)), nn.Module)().eval()(x)
    assert (not torch.equal(x, before)) is inplace  # PyTorch wrote into the input, or did not
    assert bool(lines(block(body), CODE)) is inplace


def block(body: str) -> str:
    return f"""
        import torch
        import torch.nn.functional as F
        from torch import nn


        class Block(nn.Module):  # cnnlint: input-shape=8,4,4
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(8, 8, 3, padding=1)
                self.relu = nn.ReLU(inplace=True)

            def forward(self, x):
                {body}
    """
