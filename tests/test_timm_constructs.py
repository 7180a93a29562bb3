"""timm's constructs, each in a small snippet that real PyTorch builds and runs as the oracle.

The snippets restate the idioms of timm's source (pretrained configurations copied with
``dataclasses.replace``, an attention path chosen by an environment variable, ``to_2tuple`` sizes);
cnnlint must agree with PyTorch exactly, or say it cannot.
"""

from __future__ import annotations

import textwrap

import pytest

pytest.importorskip("torch")

from cnnlint.runner import Options, lint_source  # noqa: E402
from tests.test_realworld_constructs import HEADER, agrees, lint, real  # noqa: E402


def test_pretrained_config_copied_with_dataclasses_replace_and_asdict():
    # a field whose default is None is still a default; the copy keeps the fields not named
    agrees("""
        import dataclasses
        from dataclasses import dataclass, replace
        from typing import Optional, Tuple

        @dataclass
        class PretrainedCfg:
            url: Optional[str] = None
            architecture: Optional[str] = None
            input_size: Tuple[int, int, int] = (3, 224, 224)
            num_classes: int = 1000

        def filter_cfg(cfg):
            return {k: v for k, v in cfg.items() if v is not None}

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                cfg = replace(PretrainedCfg(), architecture="net", num_classes=10)
                self.pretrained_cfg = self.default_cfg = cfg
                self.cfg_dict = filter_cfg(dataclasses.asdict(cfg))
                self.fc = nn.Linear(3 * 32 * 32, self.cfg_dict["num_classes"] + cfg.input_size[0])

            def forward(self, x):
                return self.fc(x.flatten(1))
        """, "Net")


FUSED_ATTENTION = """
    import os

    _HAS_FUSED_ATTN = hasattr(torch.nn.functional, "scaled_dot_product_attention")
    if "TIMM_FUSED_ATTN" in os.environ:
        _USE_FUSED_ATTN = int(os.environ["TIMM_FUSED_ATTN"])
    else:
        _USE_FUSED_ATTN = 1
    _EXPORTABLE = False

    def use_fused_attn(experimental: bool = False) -> bool:
        if not _HAS_FUSED_ATTN or _EXPORTABLE:
            return False
        if experimental:
            return _USE_FUSED_ATTN > 1
        return _USE_FUSED_ATTN > 0

    class Attention(nn.Module):
        def __init__(self, dim, num_heads=4):
            super().__init__()
            self.num_heads = num_heads
            self.head_dim = dim // num_heads
            self.scale = self.head_dim ** -0.5
            self.fused_attn = use_fused_attn()
            self.qkv = nn.Linear(dim, dim * 3)
            self.attn_drop = nn.Dropout(0.)
            self.proj = nn.Linear(dim, dim)

        def forward(self, x):
            B, N, C = x.shape
            qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]
            if self.fused_attn:
                x = F.scaled_dot_product_attention(q, k, v)
            else:
                q = q * self.scale
                attn = q @ k.transpose(-2, -1)
                attn = attn.softmax(dim=-1)
                attn = self.attn_drop(attn)
                x = attn @ v
            x = x.transpose(1, 2).reshape(B, N, C)
            return self.proj(x)
    """


def test_attention_path_chosen_by_an_environment_variable_keeps_counts_and_shape():
    # the flag is an unknown bool (never a module) and both paths give the same shape
    agrees(FUSED_ATTENTION + """
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Linear(8, 16)
            self.attn = Attention(16)

        def forward(self, x):
            return self.attn(self.embed(x))
    """, "Net", input_shape=(10, 8))


def test_scaled_dot_product_attention_broadcasts_and_groups_heads():
    agrees("""
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.q = nn.Linear(8, 8 * 6)
            self.kv = nn.Linear(8, 2 * 5)

        def forward(self, x):
            q = self.q(x).reshape(x.shape[0], 8, 3, 6).transpose(1, 2)[:, None]
            k = self.kv(x)[:, None, None, :, :5]
            v = self.kv(x)[:, None, None, :, 5:]
            grouped = F.scaled_dot_product_attention(q[:, 0], q[:, 0, :1], q[:, 0, :1], enable_gqa=True)
            return F.scaled_dot_product_attention(q[..., :5], k, v).flatten(1) + grouped.flatten(1)[:, :1]
    """, "Net", input_shape=(3, 8))


def test_unknown_flags_from_branches_hold_no_parameters_but_unknown_modules_stay_unknown():
    source = """
    import os

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.mode = "a" if "MODE" in os.environ else ("b", 2)
            self.flag = not os.environ.get("FLAG")
            if os.environ.get("NORM"):
                self.norm = nn.LayerNorm(4)
            else:
                self.norm = nn.Identity()
            self.fc = nn.Linear(4, 4)

        def forward(self, x):
            return self.norm(self.fc(x))
    """
    report, notes = lint(HEADER + textwrap.dedent(source), "Net", (4,))
    assert report.total_params is None
    assert any("self.norm is not known" in n for n in notes), notes
    assert not any("self.mode" in n or "self.flag" in n for n in notes), notes


def test_unrolled_patches_folded_into_the_batch_axis_reshape_back_per_sample():
    # hiera's Unroll: flatten(0, 2) moves patch strides into the first axis (4·batch, then 16·batch);
    # reshape(-1, N, C) takes whole samples back, which is no mismatch
    agrees("""
    import math

    class Unroll(nn.Module):
        def __init__(self, size=(8, 8), schedule=((2, 2), (2, 2))):
            super().__init__()
            self.size = list(size)
            self.schedule = schedule

        def forward(self, x):
            B, _, C = x.shape
            cur_size = self.size
            x = x.view(*([B] + cur_size + [C]))
            for strides in self.schedule:
                cur_size = [i // s for i, s in zip(cur_size, strides)]
                new_shape = [B] + sum([[i, s] for i, s in zip(cur_size, strides)], []) + [C]
                x = x.view(new_shape)
                L = len(new_shape)
                permute = [0] + list(range(2, L - 1, 2)) + list(range(1, L - 1, 2)) + [L - 1]
                x = x.permute(permute)
                x = x.flatten(0, len(strides))
                B *= math.prod(strides)
            return x.reshape(-1, math.prod(self.size), C)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Linear(4, 16)
            self.unroll = Unroll()

        def forward(self, x):
            return self.unroll(self.embed(x))
    """, "Net", input_shape=(64, 4))


def test_a_resize_only_small_inputs_get_keeps_the_rank_and_the_sizes_both_paths_agree_on():
    # without an input size the condition is undecidable; the paths differ in height and width only
    source = HEADER + textwrap.dedent("""
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3)
            self.fc = nn.Linear(8, 10)

        def forward(self, x):
            x = self.conv(x)
            if x.shape[-1] < 16:
                x = F.interpolate(x, scale_factor=2.0)
            x = F.adaptive_avg_pool2d(x, 1).flatten(1)
            return self.fc(x)
    """)
    namespace: dict = {}
    exec(compile(source, "model.py", "exec"), namespace)
    report, notes = lint(source, "Net", None)
    assert (report.total_params, report.output_shape) == real(namespace["Net"](), (3, 12, 12)), notes


def test_outputs_collected_in_a_list_annotated_for_torchscript():
    # crossvit: proj_cls_token = torch.jit.annotate(List[torch.Tensor], [])
    agrees("""
    from typing import List

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.branches = nn.ModuleList([nn.Conv2d(3, 4, 3), nn.Conv2d(3, 6, 5)])

        def forward(self, x):
            outs = torch.jit.annotate(List[torch.Tensor], [])
            for branch in self.branches:
                outs.append(branch(x).mean((2, 3)))
            return torch.cat(outs, dim=1)
    """, "Net")


def test_a_model_an_environment_variable_chooses_is_unknown_at_that_condition():
    # vision_transformer's _create_vision_transformer returns NaFlexVit when TIMM_USE_NAFLEXVIT says so
    source = HEADER + textwrap.dedent("""
    import os
    _USE_WIDE = os.environ.get("USE_WIDE", "false").lower() == "true"

    def create(use_wide=None):
        if use_wide is None:
            use_wide = _USE_WIDE
        if use_wide:
            return nn.Sequential(nn.Linear(4, 8))
        return nn.Sequential(nn.Linear(4, 4))

    def model_factory():
        return create()
    """)
    condition = source.splitlines().index("    if use_wide:") + 1
    result = lint_source("model.py", source.encode(), Options(model="model_factory", input_shape=(4,)))
    assert [m.total_params for m in result.models] == [None]
    assert any(d.code == "CNN900" and f"(line {condition})" in d.message for d in result.diagnostics), \
        result.diagnostics


def test_dataclass_post_init_initvar_classvar_and_an_own_init():
    # what @dataclass writes: __post_init__ runs with the InitVars, a ClassVar is no field, an own __init__ stays;
    # compiled without this file's postponed annotations, under which dataclasses cannot see an InitVar
    source = HEADER + textwrap.dedent("""
    from dataclasses import InitVar, dataclass
    from typing import ClassVar

    @dataclass
    class Cfg:
        kind: ClassVar[str] = "mlp"
        width: int = 4
        hidden: int = 0
        scale: InitVar[int] = 3

        def __post_init__(self, scale):
            self.hidden = self.width * scale

    @dataclass
    class Head:
        classes: int = 10

        def __init__(self, classes):
            self.classes = classes * 5

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            cfg = Cfg(2, 0, 4)
            self.fc1 = nn.Linear(3 * 32 * 32, cfg.hidden)
            self.fc2 = nn.Linear(cfg.hidden, Head(2).classes + Cfg().hidden)

        def forward(self, x):
            return self.fc2(self.fc1(x.flatten(1)))
    """)
    namespace: dict = {}
    exec(compile(source, "model.py", "exec", dont_inherit=True), namespace)
    report, notes = lint(source, "Net", (3, 32, 32))
    assert (report.total_params, report.output_shape) == real(namespace["Net"](), (3, 32, 32)), notes


def test_global_response_norm_and_affine_scale_with_addcmul():
    # ConvNeXt-V2's GlobalResponseNorm and ResMLP's Affine: ``torch.addcmul`` over parameters and activations
    agrees("""
    class GlobalResponseNorm(nn.Module):
        def __init__(self, dim, eps=1e-6):
            super().__init__()
            self.eps = eps
            self.wb_shape = (1, -1, 1, 1)
            self.weight = nn.Parameter(torch.zeros(dim))
            self.bias = nn.Parameter(torch.zeros(dim))

        def forward(self, x):
            x_g = x.norm(p=2, dim=(2, 3), keepdim=True)
            x_n = x_g / (x_g.mean(dim=1, keepdim=True) + self.eps)
            return x + torch.addcmul(self.bias.view(self.wb_shape), self.weight.view(self.wb_shape), x * x_n)

    class Affine(nn.Module):
        def __init__(self, dim):
            super().__init__()
            self.alpha = nn.Parameter(torch.ones((1, 1, dim)))
            self.beta = nn.Parameter(torch.zeros((1, 1, dim)))

        def forward(self, x):
            return torch.addcmul(self.beta, self.alpha, x)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3)
            self.grn = GlobalResponseNorm(8)
            self.affine = Affine(30)

        def forward(self, x):
            return self.affine(self.grn(self.conv(x)).flatten(1, 2))
    """, "Net")


VGG_PRE_LOGITS = """
class ConvMlp(nn.Module):
    def __init__(self, in_features=8, out_features=16, kernel_size=7):
        super().__init__()
        self.input_kernel_size = kernel_size
        self.fc1 = nn.Conv2d(in_features, out_features, kernel_size, bias=True)
        self.act1 = nn.ReLU(True)

    def forward(self, x):
        if x.shape[-2] < self.input_kernel_size or x.shape[-1] < self.input_kernel_size:
            # keep the input size >= 7x7
            output_size = (max(self.input_kernel_size, x.shape[-2]), max(self.input_kernel_size, x.shape[-1]))
            x = F.adaptive_avg_pool2d(x, output_size)
        return self.act1(self.fc1(x))

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.MaxPool2d(2), nn.MaxPool2d(2))
        self.pre_logits = ConvMlp()
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))

    def forward(self, x):
        return self.head(self.pre_logits(self.features(x)))
"""


@pytest.mark.parametrize("input_shape", [(3, 20, 36), (3, 40, 40)])
def test_vgg_pre_logits_pooled_up_to_the_kernel_size_when_the_input_size_is_given(input_shape):
    agrees(VGG_PRE_LOGITS, "Net", input_shape=input_shape)


def agrees_without_an_input_size(body: str, name: str, run_on: tuple):
    """cnnlint given no input size agrees with PyTorch run on ``run_on``: the model ends in a global pool."""
    source = HEADER + textwrap.dedent(body)
    namespace: dict = {}
    exec(compile(source, "model.py", "exec"), namespace)
    result = lint_source("model.py", source.encode(), Options(model=name))
    assert not [d for d in result.diagnostics if d.severity == "error"], result.diagnostics
    (report,) = result.models
    assert (report.total_params, report.output_shape) == real(namespace[name](), run_on)
    return report


def test_vgg_pre_logits_without_an_input_size_keep_counts_and_the_pooled_output():
    # ``max(7, H)`` of a symbolic H is unknown in those axes only; the global pool after it is exact again
    report = agrees_without_an_input_size(VGG_PRE_LOGITS, "Net", (3, 20, 36))
    assert any(row.output_shape[-2:] == [None, None] for row in report.layers if row.name == "pre_logits.fc1")


TF_SAME_PADDING = """
import math

def get_same_padding(x: int, kernel_size: int, stride: int, dilation: int):
    if isinstance(x, torch.Tensor):
        return torch.clamp(((x / stride).ceil() - 1) * stride + (kernel_size - 1) * dilation + 1 - x, min=0)
    else:
        return max((math.ceil(x / stride) - 1) * stride + (kernel_size - 1) * dilation + 1 - x, 0)

def pad_same(x, kernel_size, stride, dilation=(1, 1), value: float = 0):
    ih, iw = x.size()[-2:]
    pad_h = get_same_padding(ih, kernel_size[0], stride[0], dilation[0])
    pad_w = get_same_padding(iw, kernel_size[1], stride[1], dilation[1])
    return F.pad(x, (pad_w // 2, pad_w - pad_w // 2, pad_h // 2, pad_h - pad_h // 2), value=value)

class Conv2dSame(nn.Conv2d):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1):
        super().__init__(in_channels, out_channels, kernel_size, stride, 0)

    def forward(self, x):
        x = pad_same(x, self.kernel_size, self.stride, self.dilation)
        return F.conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)

class Net(nn.Sequential):
    def __init__(self):
        super().__init__(Conv2dSame(3, 8, 3, stride=2), Conv2dSame(8, 8, 5, stride=2), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(8, 10))
"""


@pytest.mark.parametrize("input_shape", [(3, 21, 32), (3, 9, 14)])
def test_tensorflow_same_padding_from_the_input_size(input_shape):
    agrees(TF_SAME_PADDING, "Net", input_shape=input_shape)


def test_tensorflow_same_padding_without_an_input_size_keeps_counts_and_the_pooled_output():
    # ``math.ceil(H / s)`` of a symbolic H: the padded axes are unknown, the global pool after them exact again
    agrees_without_an_input_size(TF_SAME_PADDING, "Net", (3, 21, 32))


def test_a_size_cnnlint_does_not_know_is_never_compared_as_a_value():
    # without an input size the pooled axes are unknown: ``x.shape[-1] == 1`` stays undecided, never False
    source = HEADER + textwrap.dedent(VGG_PRE_LOGITS) + textwrap.dedent("""
    class Flat(Net):
        def forward(self, x):
            x = self.pre_logits(self.features(x))
            if x.shape[-1] == 1:
                return x.flatten(1)
            return x.flatten(2)
    """)
    namespace: dict = {}
    exec(compile(source, "model.py", "exec"), namespace)
    assert real(namespace["Flat"](), (3, 28, 28))[1] == [16]
    result = lint_source("model.py", source.encode(), Options(model="Flat"))
    (report,) = result.models
    assert report.output_shape is None
    assert any("condition" in d.message for d in result.diagnostics if d.code == "CNN900")
