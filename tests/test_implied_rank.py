"""Models linted without an input size, as a user runs cnnlint on timm's classifiers: the input is the
one the first declared layer implies, with symbolic sizes, and the sizes the code reads back from it
(``N, C, H, W = x.size()``, ``B, N, C = x.shape``) flow on as symbols.  Each snippet restates a timm
idiom; real PyTorch builds it and runs it at a concrete size as the oracle (these classifiers' outputs
and parameters do not depend on the input size)."""

from __future__ import annotations

import pytest

pytest.importorskip("torch")

from tests.test_realworld_constructs import agrees  # noqa: E402


def agrees_without_input(body: str, name: str):
    agrees(body, name, None, run_at=(3, 64, 64))


def test_a_space_to_depth_stem_before_the_first_declared_layer():
    """timm's TResNet: the first convolution takes 48 channels, the space-to-depth stem before it makes
    them from 3.  The guess of 48 input channels contradicts itself; traced with the channels symbolic,
    the convolution's C·16 = 48 says them."""
    agrees_without_input("""
        class SpaceToDepth(nn.Module):
            def __init__(self, block_size=4):
                super().__init__()
                self.bs = block_size

            def forward(self, x):
                N, C, H, W = x.size()
                x = x.view(N, C, H // self.bs, self.bs, W // self.bs, self.bs)
                x = x.permute(0, 3, 5, 1, 2, 4).contiguous()
                return x.view(N, C * self.bs * self.bs, H // self.bs, W // self.bs)

        class Net(nn.Module):
            def __init__(self, num_classes=10):
                super().__init__()
                self.body = nn.Sequential(SpaceToDepth(), nn.Conv2d(48, 16, 3, padding=1), nn.ReLU())
                self.head = nn.Linear(16, num_classes)

            def forward(self, x):
                return self.head(self.body(x).mean((2, 3)))
    """, "Net")


def test_a_class_token_joined_on_and_sliced_back_off():
    """timm's PiT: a class token is joined on to the patch tokens, the blocks read ``B, N, C = x.shape``,
    and ``x[:, :1]``/``x[:, 1:]`` cut the token back off.  The sliced axis is 1 + a size, so both slices
    are known for every input size (1, and the patch count)."""
    agrees_without_input("""
        class Attention(nn.Module):
            def __init__(self, dim, heads=2):
                super().__init__()
                self.heads = heads
                self.qkv = nn.Linear(dim, dim * 3)
                self.proj = nn.Linear(dim, dim)

            def forward(self, x):
                B, N, C = x.shape
                qkv = self.qkv(x).reshape(B, N, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
                q, k, v = qkv.unbind(0)
                x = (q @ k.transpose(-2, -1)).softmax(-1) @ v
                return self.proj(x.transpose(1, 2).reshape(B, N, C))

        class Net(nn.Module):
            def __init__(self, dim=16, num_classes=10):
                super().__init__()
                self.embed = nn.Conv2d(3, dim, 8, 8)
                self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
                self.attn = Attention(dim)
                self.pool = nn.Conv2d(dim, dim * 2, 3, 2, 1, groups=dim)
                self.fc = nn.Linear(dim, dim * 2)
                self.attn2 = Attention(dim * 2)
                self.head = nn.Linear(dim * 2, num_classes)

            def forward(self, x):
                x = self.embed(x)
                B, C, H, W = x.shape
                x = torch.cat((self.cls_token.expand(B, -1, -1), x.flatten(2).transpose(1, 2)), dim=1)
                x = self.attn(x)
                cls_token, x = x[:, :1], x[:, 1:]
                x = self.pool(x.transpose(1, 2).reshape(B, C, H, W))
                x = self.attn2(torch.cat((self.fc(cls_token), x.flatten(2).transpose(1, 2)), dim=1))
                return self.head(x[:, -1:].mean(1) + x[:, :-1].mean(1))
    """, "Net")


@pytest.mark.parametrize("name", ["LinearThenConv", "SeqFirst"])
def test_a_linear_layer_first_leaves_the_rank_to_what_forward_reads(name):
    """A linear layer's features say nothing of the input's other axes: a sequence model's forward reads
    the guess of features alone as another rank (``transpose(1, 2)`` out of range, the batch taken as a
    transformer's features).  The guess gives way to a sequence of features, and no error is reported."""
    agrees("""
        class LinearThenConv(nn.Module):
            def __init__(self):
                super().__init__()
                self.proj = nn.Linear(12, 32)
                self.conv = nn.Conv1d(32, 16, 3)
                self.head = nn.Linear(16, 2)

            def forward(self, x):
                return self.head(self.conv(self.proj(x).transpose(1, 2)).mean(-1))

        class SeqFirst(nn.Module):
            def __init__(self):
                super().__init__()
                self.inp = nn.Linear(10, 32)
                self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(32, 4, 64), 2)
                self.out = nn.Linear(32, 3)

            def forward(self, x):
                return self.out(self.enc(self.inp(x).transpose(0, 1))[-1])
    """, name, None, run_at=(7, 12 if name == "LinearThenConv" else 10))


def test_a_linear_layer_first_whose_error_does_not_depend_on_the_rank_keeps_it():
    """Declared sizes that disagree whatever the input's rank are still an error."""
    from cnnlint.runner import Options, lint_source
    from tests.test_realworld_constructs import HEADER

    source = HEADER + "net = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(30, 2))\n"
    result = lint_source("model.py", source.encode(), Options())
    assert [d.code for d in result.diagnostics if d.severity == "error"] == ["CNN101"]
