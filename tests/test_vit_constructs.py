"""Constructs of vision-transformer code in vit-pytorch's style, each in a small project.

Each model is a file that imports a helper from a sibling module, as a
package's own files do, so that cnnlint reads it with both front ends loaded.
Real PyTorch builds and runs the same files; cnnlint, given no input size
unless said, must agree on the parameter count and output shape exactly,
or say why not (null with a CNN900), never a different number.
"""

from __future__ import annotations

import runpy
import sys
import textwrap

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("einops")

from cnnlint.runner import Options, lint_path  # noqa: E402

HEADER = """\
from math import sqrt
import torch
from torch import nn
from einops import rearrange, repeat
from einops.layers.torch import Rearrange
from helpers import exists
"""
HELPERS = """\
def exists(val):
    return val is not None
"""


def project(tmp_path, body: str):
    (tmp_path / "helpers.py").write_text(HELPERS)
    path = tmp_path / "model.py"
    path.write_text(HEADER + textwrap.dedent(body))
    return path


def real(path, name: str, input_shape) -> tuple:
    sys.path.insert(0, str(path.parent))
    try:
        model = runpy.run_path(str(path))[name]
    finally:
        sys.path.remove(str(path.parent))
        sys.modules.pop("helpers", None)
    model.eval()
    with torch.no_grad():
        y = model(torch.zeros(1, *input_shape))
    return sum(p.numel() for p in model.parameters()), list(y.shape[1:])


def linted(path, name: str, given=None):
    result = lint_path(str(path), Options(model=name, input_shape=given))
    assert not [d for d in result.diagnostics if d.severity == "error"], result.diagnostics
    (report,) = [m for m in result.models if m.name == name]
    return (report.total_params, report.output_shape), [d.message for d in result.diagnostics if d.code == "CNN900"]


def agrees(tmp_path, body: str, name: str = "model", input_shape=(3, 32, 32), given: bool = False):
    path = project(tmp_path, body)
    found, notes = linted(path, name, input_shape if given else None)
    assert found == real(path, name, input_shape), notes


def test_a_token_count_whose_square_root_is_an_axis_length_without_an_input_size(tmp_path):
    """PiT's pooling: ``int(sqrt(tokens.shape[1]))`` of a size cnnlint does not know is an unknown axis length,
    and the axes it makes are unknown; the classifier's output is known whatever they are."""
    agrees(tmp_path, """
        class Pool(nn.Module):
            def __init__(self, dim):
                super().__init__()
                self.down = nn.Conv2d(dim, dim * 2, 3, stride=2, padding=1, groups=dim)
                self.cls_ff = nn.Linear(dim, dim * 2)

            def forward(self, x):
                cls_token, tokens = x[:, :1], x[:, 1:]
                tokens = rearrange(tokens, 'b (h w) c -> b c h w', h=int(sqrt(tokens.shape[1])))
                tokens = rearrange(self.down(tokens), 'b c h w -> b (h w) c')
                return torch.cat((self.cls_ff(cls_token), tokens), dim=1)

        class Net(nn.Module):
            def __init__(self, dim=16):
                super().__init__()
                self.embed = nn.Sequential(nn.Unfold(kernel_size=4, stride=2), Rearrange('b c n -> b n c'),
                                           nn.Linear(48, dim))
                self.cls_token = nn.Parameter(torch.randn(1, 1, dim))
                self.pool = Pool(dim)
                self.head = nn.Linear(dim * 2, 10)

            def forward(self, img):
                x = self.embed(img)
                b, n, _ = x.shape
                x = torch.cat((repeat(self.cls_token, '() n d -> b n d', b=b), x), dim=1)
                return self.head(self.pool(x)[:, 0])

        model = Net()
    """)


def test_rotary_embedding_of_an_unknown_length_negation_and_an_ellipsis_index(tmp_path):
    """RvT's rotary embedding: ``torch.linspace`` of an unknown number of steps is a vector of unknown length,
    ``-x`` negates a tensor, ``Ellipsis`` is Python's builtin name."""
    agrees(tmp_path, """
        def rotate_every_two(x):
            x = rearrange(x, '... (d j) -> ... d j', j=2)
            x1, x2 = x.unbind(dim=-1)
            return rearrange(torch.stack((-x2, x1), dim=-1), '... d j -> ... (d j)')

        class Rotary(nn.Module):
            def __init__(self, dim):
                super().__init__()
                self.register_buffer('scales', torch.linspace(1., 5., dim // 4))

            def forward(self, x):
                n = int(sqrt(x.shape[-2]))
                seq = torch.linspace(-1., 1., steps=n).unsqueeze(-1)
                scales = self.scales[(*((None,) * (len(seq.shape) - 1)), Ellipsis)]
                seq = seq * scales
                x_sinu = repeat(seq, 'i d -> i j d', j=n)
                y_sinu = repeat(seq, 'j d -> i j d', i=n)
                sin = torch.cat((x_sinu.sin(), y_sinu.sin()), dim=-1)
                return repeat(rearrange(sin, 'i j d -> (i j) d'), 'n d -> () n (d j)', j=2)

        class Net(nn.Module):
            def __init__(self, dim=16):
                super().__init__()
                self.embed = nn.Sequential(Rearrange('b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=4, p2=4),
                                           nn.Linear(48, dim))
                self.rotary = Rotary(dim)
                self.head = nn.Linear(dim, 10)

            def forward(self, img):
                x = self.embed(img)
                sin = self.rotary(x)
                x = x * sin + rotate_every_two(x) * sin
                return self.head(x.mean(dim=1))

        model = Net()
    """)


def test_stage_configurations_forwarded_with_locals_and_prefix_groups(tmp_path):
    """CvT's and Twins-SVT's ``kwargs = dict(locals())``, grouped by prefix per stage: ``locals()`` is the
    method's variables, with the ``__class__`` CPython adds where the method calls ``super()``."""
    agrees(tmp_path, """
        def group_dict_by_key(cond, d):
            return_val = [dict(), dict()]
            for key in d.keys():
                match = bool(cond(key))
                return_val[int(not match)][key] = d[key]
            return (*return_val,)

        def group_by_key_prefix_and_remove_prefix(prefix, d):
            with_prefix, kwargs = group_dict_by_key(lambda x: x.startswith(prefix), d)
            return dict(map(lambda x: (x[0][len(prefix):], x[1]), tuple(with_prefix.items()))), kwargs

        class Net(nn.Module):
            def __init__(self, *, num_classes, s1_dim=8, s1_kernel=3, s2_dim=16, s2_kernel=5, channels=3):
                super().__init__()
                kwargs = dict(locals())
                self.names = len(kwargs)
                dim, layers = channels, []
                for prefix in ('s1', 's2'):
                    config, kwargs = group_by_key_prefix_and_remove_prefix(f'{prefix}_', kwargs)
                    layers.append(nn.Conv2d(dim, config['dim'], config['kernel'], padding=config['kernel'] // 2))
                    dim = config['dim']
                self.layers = nn.Sequential(*layers)
                self.to_logits = nn.Linear(dim * self.names, num_classes)

            def forward(self, x):
                return self.to_logits(self.layers(x).mean((2, 3)).repeat(1, self.names))

        model = Net(num_classes=10)
    """, given=True)


def test_layers_dropped_at_random_in_eval_mode_too_leave_a_known_shape(tmp_path):
    """CaiT's and XCiT's layer dropout: which layers run is random (the helper does not look at
    ``self.training``), but each keeps its input's shape, so the output is known whichever run."""
    agrees(tmp_path, """
        from random import randrange

        def dropout_layers(layers, dropout):
            if dropout == 0:
                return layers
            num_layers = len(layers)
            to_drop = torch.zeros(num_layers).uniform_(0., 1.) < dropout
            if all(to_drop):
                rand_index = randrange(num_layers)
                to_drop[rand_index] = False
            return [layer for (layer, drop) in zip(layers, to_drop) if not drop]

        class Transformer(nn.Module):
            def __init__(self, dim, depth, layer_dropout):
                super().__init__()
                self.layer_dropout = layer_dropout
                self.layers = nn.ModuleList([nn.ModuleList([nn.Linear(dim, dim), nn.LayerNorm(dim)])
                                             for _ in range(depth)])

            def forward(self, x):
                for attn, ff in dropout_layers(self.layers, dropout=self.layer_dropout):
                    x = attn(x) + x
                    x = ff(x) + x
                return x

        class Net(nn.Module):
            def __init__(self, dim=16):
                super().__init__()
                self.embed = Rearrange('b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=8, p2=8)
                self.proj = nn.Linear(192, dim)
                self.transformer = Transformer(dim, 4, layer_dropout=0.5)
                self.head = nn.Linear(dim, 10)

            def forward(self, img):
                return self.head(self.transformer(self.proj(self.embed(img)))[:, 0])

        model = Net()
    """)


def test_layers_kept_on_a_condition_cnnlint_cannot_decide_never_give_one_path_as_the_shape(tmp_path):
    """A comprehension's condition cnnlint cannot decide may keep or drop each layer: layers that change
    the shape leave it unknown, never the shape of the path where none is kept."""
    path = project(tmp_path, """
        import random

        class Net(nn.Module):
            def __init__(self, p=0.0):
                super().__init__()
                self.p = p
                self.layers = nn.ModuleList([nn.Linear(8, 16), nn.Linear(16, 4)])

            def forward(self, x):
                for layer in [layer for layer in self.layers if random.random() >= self.p]:
                    x = layer(x)
                return x

        model = Net()
    """)
    (params, output), notes = linted(path, "model", (8,))
    assert (params, output) == (real(path, "model", (8,))[0], [None]), notes
