"""A CI-sized sample of bench/realworld.py: real code nobody here wrote, against the frameworks.

The frameworks' numbers come from bench/realworld_expected.json while the
installed versions match its keys (the oracles run again otherwise, in a
process per package).  Every sampled model must be exact or honest: no
number that differs from the framework's, no error-level diagnostic on a
model that runs, no model left unreported without a CNN900.  The models
listed in EXACT must stay exact.  Known failures are strict xfails: fixing
one makes its test fail until it is taken off the list.
"""

from __future__ import annotations

import functools
import importlib.util
import sys

import pytest

from .conftest import ROOT

PACKAGES = {"torchvision": "torchvision", "keras": "keras", "timm": "timm", "pytorchcv": "pytorchcv",
            "efficientnet_pytorch": "efficientnet_pytorch", "vit_pytorch": "vit_pytorch", "scripts": "einops"}
if not all(importlib.util.find_spec(name) for name in ("torch", *PACKAGES.values())):
    pytest.skip("the benchmark reads these packages, and the frameworks are its oracles", allow_module_level=True)

spec = importlib.util.spec_from_file_location("realworld", ROOT / "bench" / "realworld.py")
realworld = importlib.util.module_from_spec(spec)
sys.modules["realworld"] = realworld  # its dataclasses look their module up
spec.loader.exec_module(realworld)

#: must stay exact
EXACT = {
    "torchvision": ["alexnet", "resnet18", "squeezenet1_1", "shufflenet_v2_x1_0", "densenet121", "mobilenet_v3_small",
                    "googlenet", "vit_b_32", "r3d_18", "fcn_resnet50", "regnet_y_400mf",
                    "deeplabv3_mobilenet_v3_large", "swin3d_t", "swin_t", "fasterrcnn_resnet50_fpn",
                    "ssdlite320_mobilenet_v3_large", "raft_small"],
    "keras": ["MobileNet", "MobileNetV2", "DenseNet121", "NASNetMobile", "EfficientNetV2B0"],
    "timm": ["dla34", "resnet50", "efficientnet_b0", "convnext_tiny", "mobilenetv3_small_100", "densenet121",
             "ecaresnet26t", "hiera_tiny_224", "resnetv2_50", "poolformer_s12", "gernet_s", "regnetx_002",
             "tresnet_m", "pit_ti_224", "coat_lite_tiny", "xcit_nano_12_p16_224", "levit_128s",
             "efficientformer_l1", "edgenext_xx_small", "swin_tiny_patch4_window7_224", "hrnet_w18_small",
             "mobilevit_xxs", "tiny_vit_5m_224", "davit_base_fl"],
    "pytorchcv": ["squeezenet_v1_1", "nin_cifar10", "mixnet_s", "mnasnet_b1", "darts", "xdensenet40_2_k24_bc_cifar10",
                  "regnetx002"],
    "efficientnet_pytorch": ["efficientnet-b0"],
    "vit_pytorch": ["vit", "simple_vit", "cait", "xcit", "t2t", "pit", "rvt", "cvt", "twins_svt", "crossformer"],
    "scripts": ["unet_pad.py:net", "script_folder/net.py:model", "dcgan_argparse/dcgan.py:netG",
                "keras_timedistributed.py:model", "word_language_model.py:model", "nanogpt.py:model",
                "kim_text_cnn.py:cnn", "multitask_heads.py:model", "keras_multi_output.py:model",
                "keras_transformer_text.py:model", "gan_normalized.py:netD", "cyclegan_networks.py:netG_A",
                "keras_layer_variety.py:sequence_model", "keras_vae.py:encoder", "rnn_cells.py:model",
                "segnet.py:model", "routing_and_pooling.py:moe", "pointnet.py:classifier",
                "keras_siamese.py:siamese"],
}
#: sampled for honesty (exact or null with a CNN900), beside the exact ones
HONEST = {
    "torchvision": ["raft_large"],
    "keras": [],
    "timm": ["vit_small_patch16_224", "mobilenetv5_300m_enc"],
    "pytorchcv": ["resnet18", "resnet20_cifar10", "mobilenetv2_w1", "densenet40_k12_cifar10", "dpn68"],
    "efficientnet_pytorch": [],
    "vit_pytorch": [],
    "scripts": [key for key in realworld.SCRIPTS_MODELS if key not in EXACT["scripts"]],
}
#: (package, model) -> why it is not yet exact or honest (the issue's failure classes)
KNOWN: dict = {}


@functools.lru_cache(maxsize=None)
def rows(package: str) -> dict:
    (chosen,) = realworld.packages([package])
    measured = realworld.measure(chosen, names=set(EXACT[package]) | set(HONEST[package]))
    return {row["model"]: row for row in measured}


def _params(want: dict) -> list:
    params = []
    for package, names in want.items():
        for name in names:
            why = KNOWN.get((package, name))
            marks = [pytest.mark.xfail(strict=True, reason=why)] if why else []
            params.append(pytest.param(package, name, marks=marks, id=f"{package}:{name}"))
    return params


@pytest.mark.parametrize("package,name", _params(EXACT))
def test_stays_exact(package, name):
    row = rows(package)[name]
    assert row["outcome"] == "exact" and not row["errors"], row


@pytest.mark.parametrize("package,name", _params(HONEST))
def test_exact_or_honest(package, name):
    row = rows(package)[name]
    assert row["outcome"] in ("exact", "null"), row
    assert not row["errors"], row  # every model here runs in its framework
    assert row["seconds"] < realworld.FILE_BOUND_SECONDS, row
