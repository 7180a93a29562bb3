"""cnnlint on real model code nobody here wrote, against the frameworks' own numbers.

cnnlint reads installed packages' source as text: torchvision (classification,
segmentation, detection, video and optical-flow factories), keras.applications,
timm, pytorchcv, and two packages used as a project would use them (its folder
beside a script that imports a model from it: efficientnet_pytorch,
vit_pytorch), plus the scripts in bench/scripts/, written in the styles of
training scripts, tutorials and model zoos.  The expected numbers come from
the frameworks, each package in its own process, and are cached in
bench/realworld_expected.json under the packages' versions, so a rerun only
lints.

    python bench/realworld.py [--only PACKAGE...] [--markdown] [--save ROWS.json] [--baseline ROWS.json]

Each model is one of:
  exact   total and trainable parameters and every output shape equal the framework's
  null    something is not known, and a CNN900 note says why (its cause is grouped)
  wrong   a number or a fully known shape differs from the framework's
  silent  no model reported and no CNN900, or a null no CNN900 explains
and, separately, a *false error* is an error-level diagnostic on a model that
runs.  The script exits 1 if any model is wrong or silent or has a false error.

The tf.keras scripts call TensorFlow (``tf.nn.relu6``, ``tf.concat``...), which
is not installed: their oracle runs the same source text with ``tensorflow``
standing for Keras 3 and its ``keras.ops`` equivalents (see ``_TF_STANDIN``).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
EXPECTED = BENCH / "realworld_expected.json"
SCRIPTS = BENCH / "scripts"
#: a model whose file takes longer than this is over cnnlint's own per-file bound
FILE_BOUND_SECONDS = 10.0

TORCHVISION_CLASSIFIERS = """
alexnet convnext_base convnext_large convnext_small convnext_tiny densenet121 densenet161 densenet169 densenet201
efficientnet_b0 efficientnet_b1 efficientnet_b2 efficientnet_b3 efficientnet_b4 efficientnet_b5 efficientnet_b6
efficientnet_b7 efficientnet_v2_l efficientnet_v2_m efficientnet_v2_s googlenet inception_v3 maxvit_t mnasnet0_5
mnasnet0_75 mnasnet1_0 mnasnet1_3 mobilenet_v2 mobilenet_v3_large mobilenet_v3_small regnet_x_16gf regnet_x_1_6gf
regnet_x_32gf regnet_x_3_2gf regnet_x_400mf regnet_x_800mf regnet_x_8gf regnet_y_128gf regnet_y_16gf regnet_y_1_6gf
regnet_y_32gf regnet_y_3_2gf regnet_y_400mf regnet_y_800mf regnet_y_8gf resnet101 resnet152 resnet18 resnet34
resnet50 resnext101_32x8d resnext101_64x4d resnext50_32x4d shufflenet_v2_x0_5 shufflenet_v2_x1_0 shufflenet_v2_x1_5
shufflenet_v2_x2_0 squeezenet1_0 squeezenet1_1 swin_b swin_s swin_t swin_v2_b swin_v2_s swin_v2_t vgg11 vgg11_bn
vgg13 vgg13_bn vgg16 vgg16_bn vgg19 vgg19_bn vit_b_16 vit_b_32 vit_h_14 vit_l_16 vit_l_32 wide_resnet101_2
wide_resnet50_2
""".split()
#: model -> (input shape, whether cnnlint is given it): classifiers end in a global pool, so their output does
#: not depend on the input size and a user runs them without one; dense and video outputs do
TORCHVISION_INPUTS = {
    "inception_v3": ((3, 299, 299), True),
    **{name: ((3, 224, 224), True) for name in (
        "deeplabv3_mobilenet_v3_large", "deeplabv3_resnet101", "deeplabv3_resnet50", "fcn_resnet101", "fcn_resnet50",
        "lraspp_mobilenet_v3_large")},
    **{name: ((3, 16, 112, 112), True) for name in ("mc3_18", "r2plus1d_18", "r3d_18")},
    **{name: ((3, 16, 224, 224), True) for name in ("mvit_v1_b", "mvit_v2_s", "s3d", "swin3d_b", "swin3d_s", "swin3d_t")},
    **{name: ((3, 224, 224), True) for name in ("raft_large", "raft_small")},
}
#: models whose forward takes several inputs: cnnlint is given one shape per input, as
#: ``--input-shape "(3,224,224),(3,224,224)"`` gives RAFT its two images (the framework runs ``model(x, x)``)
TORCHVISION_SEVERAL_INPUTS = {name: ((3, 224, 224), (3, 224, 224)) for name in ("raft_large", "raft_small")}
TORCHVISION_DETECTION = """
fasterrcnn_mobilenet_v3_large_320_fpn fasterrcnn_mobilenet_v3_large_fpn fasterrcnn_resnet50_fpn fasterrcnn_resnet50_fpn_v2
fcos_resnet50_fpn keypointrcnn_resnet50_fpn maskrcnn_resnet50_fpn maskrcnn_resnet50_fpn_v2 retinanet_resnet50_fpn
retinanet_resnet50_fpn_v2 ssd300_vgg16 ssdlite320_mobilenet_v3_large
""".split()
TORCHVISION = (TORCHVISION_CLASSIFIERS + [n for n in TORCHVISION_INPUTS if n != "inception_v3"]
               + TORCHVISION_DETECTION)

KERAS = """
ConvNeXtBase ConvNeXtLarge ConvNeXtSmall ConvNeXtTiny ConvNeXtXLarge DenseNet121 DenseNet169 DenseNet201
EfficientNetB0 EfficientNetB1 EfficientNetB2 EfficientNetB3 EfficientNetB4 EfficientNetB5 EfficientNetB6 EfficientNetB7
EfficientNetV2B0 EfficientNetV2B1 EfficientNetV2B2 EfficientNetV2B3 EfficientNetV2L EfficientNetV2M EfficientNetV2S
InceptionResNetV2 InceptionV3 MobileNet MobileNetV2 MobileNetV3Large MobileNetV3Small NASNetLarge NASNetMobile
ResNet101 ResNet101V2 ResNet152 ResNet152V2 ResNet50 ResNet50V2 VGG16 VGG19 Xception
""".split()

TIMM = """
resnet18 resnet50 resnet101 resnext50_32x4d seresnet50 wide_resnet50_2 resnetv2_50 resnet26d ecaresnet26t ecaresnet50d
efficientnet_b0 efficientnet_b3 efficientnetv2_rw_s tf_efficientnet_b0 mobilenetv3_large_100 mobilenetv3_small_100
mobilenetv2_100 mnasnet_100 mixnet_s fbnetv3_b lcnet_050 ghostnet_100 rexnet_100 convnext_tiny convnext_nano
convnextv2_atto vit_tiny_patch16_224 vit_small_patch16_224 vit_base_patch16_224 deit_tiny_patch16_224
deit_small_patch16_224 beit_base_patch16_224 eva02_tiny_patch14_224 cait_xxs24_224 xcit_nano_12_p16_224
swin_tiny_patch4_window7_224 swinv2_tiny_window8_256 regnetx_002 regnety_004 densenet121 densenet169 inception_v3
inception_v4 inception_resnet_v2 legacy_xception xception41 hrnet_w18_small hrnet_w18 dla34 dpn68 vgg11 vgg16
resnest14d res2net50_26w_4s efficientformer_l1 levit_128s coat_lite_tiny crossvit_tiny_240 pit_ti_224 cspdarknet53
cspresnet50 cs3darknet_s darknet53 selecsls42b tresnet_m hiera_tiny_224 mobilenetv5_300m_enc repvgg_a0 mobileone_s0
fastvit_t8 edgenext_xx_small poolformer_s12 mobilevit_xxs nf_regnet_b0 eca_nfnet_l0 botnet26t_256 halonet26t
lambda_resnet26t gernet_s maxvit_tiny_tf_224 coatnet_0_rw_224 tiny_vit_5m_224 efficientvit_b0 repvit_m1 hgnet_tiny
ese_vovnet19b_dw skresnet18 twins_svt_small pvt_v2_b0 mixer_s16_224 resmlp_12_224 gmlp_ti16_224 visformer_tiny
volo_d1_224 sequencer2d_s nest_tiny focalnet_tiny_srf davit_tiny inception_next_tiny rdnet_tiny starnet_s1
mambaout_femto nextvit_small davit_base_fl
""".split()
#: timm models given an input size: Florence-2's image tower, whose pretrained configuration (read from timm's
#: registry, as its 0 classes) is for 768x768 images, is run at that size
TIMM_INPUTS = {"davit_base_fl": (3, 768, 768)}

PYTORCHCV = """
resnet18 resnet50 preresnet18 resnext50_32x4d seresnet50 densenet121 mobilenet_w1 mobilenetv2_w1 mobilenetv3_large_w1
shufflenetv2_w1 squeezenet_v1_1 vgg16 bn_vgg16 darknet53 ghostnet mnasnet_b1 efficientnet_b0 igcv3_w1 fbnet_cb
hrnet_w18_small_v1 inceptionv3 xception pyramidnet101_a360 alexnet zfnet sqnxt23_w1 menet108_8x1_g3
condensenet74_c4_g4 bagnet9 dla34 dpn68 regnetx002 regnety002 selecsls42 spnasnet proxylessnas_cpu mixnet_s
airnet50_1x64d_r2 bam_resnet18 cbam_resnet18 resattnet56 sknet50 scnet50 peleenet fishnet99 mobilenetb_w1
shufflenet_g1_w1 darts channelnet irevnet301 resnet20_cifar10 resnet56_cifar10 preresnet20_cifar10 wrn16_10_cifar10
densenet40_k12_cifar10 ror3_56_cifar10 shakeshakeresnet20_2x16d_cifar10 diaresnet20_cifar10 nin_cifar10
xdensenet40_2_k24_bc_cifar10 resnext29_32x4d_cifar10 sepreresnet20_cifar10
""".split()

#: project-style packages: a script beside the package's folder imports a model from it and builds it
EFFICIENTNET_PYTORCH = {f"efficientnet-b{i}": ("from efficientnet_pytorch import EfficientNet",
                                                f"EfficientNet.from_name('efficientnet-b{i}')", (3, 224, 224), False)
                        for i in range(8)}
VIT_PYTORCH = {  # name -> (import, construction as in the package's README, input, whether cnnlint is given it)
    "vit": ("from vit_pytorch.vit import ViT", "ViT(image_size=256, patch_size=32, num_classes=1000, dim=1024, "
            "depth=6, heads=16, mlp_dim=2048, dropout=0.1, emb_dropout=0.1)", (3, 256, 256), False),
    "simple_vit": ("from vit_pytorch.simple_vit import SimpleViT", "SimpleViT(image_size=256, patch_size=32, "
                   "num_classes=1000, dim=1024, depth=6, heads=16, mlp_dim=2048)", (3, 256, 256), False),
    "cait": ("from vit_pytorch.cait import CaiT", "CaiT(image_size=256, patch_size=32, num_classes=1000, dim=1024, "
             "depth=12, cls_depth=2, heads=16, mlp_dim=2048, dropout=0.1, emb_dropout=0.1, layer_dropout=0.05)",
             (3, 256, 256), False),
    "deepvit": ("from vit_pytorch.deepvit import DeepViT", "DeepViT(image_size=256, patch_size=32, num_classes=1000, "
                "dim=1024, depth=6, heads=16, mlp_dim=2048, dropout=0.1, emb_dropout=0.1)", (3, 256, 256), False),
    "t2t": ("from vit_pytorch.t2t import T2TViT", "T2TViT(dim=512, image_size=224, depth=5, heads=8, mlp_dim=512, "
            "num_classes=1000, t2t_layers=((7, 4), (3, 2), (3, 2)))", (3, 224, 224), False),
    "cct": ("from vit_pytorch.cct import CCT", "CCT(img_size=(224, 448), embedding_dim=384, n_conv_layers=2, "
            "kernel_size=7, stride=2, padding=3, pooling_kernel_size=3, pooling_stride=2, pooling_padding=1, "
            "num_layers=14, num_heads=6, mlp_ratio=3., num_classes=1000, positional_embedding='learnable')",
            (3, 224, 448), False),
    "cross_vit": ("from vit_pytorch.cross_vit import CrossViT", "CrossViT(image_size=256, num_classes=1000, depth=4, "
                  "sm_dim=192, sm_patch_size=16, sm_enc_depth=2, sm_enc_heads=8, sm_enc_mlp_dim=2048, lg_dim=384, "
                  "lg_patch_size=64, lg_enc_depth=3, lg_enc_heads=8, lg_enc_mlp_dim=2048, cross_attn_depth=2, "
                  "cross_attn_heads=8, dropout=0.1, emb_dropout=0.1)", (3, 256, 256), False),
    "pit": ("from vit_pytorch.pit import PiT", "PiT(image_size=224, patch_size=14, dim=256, num_classes=1000, "
            "depth=(3, 3, 3), heads=16, mlp_dim=2048, dropout=0.1, emb_dropout=0.1)", (3, 224, 224), False),
    "levit": ("from vit_pytorch.levit import LeViT", "LeViT(image_size=224, num_classes=1000, stages=3, "
              "dim=(256, 384, 512), depth=4, heads=(4, 6, 8), mlp_mult=2, dropout=0.1)", (3, 224, 224), False),
    "cvt": ("from vit_pytorch.cvt import CvT", "CvT(num_classes=1000)", (3, 224, 224), True),
    "twins_svt": ("from vit_pytorch.twins_svt import TwinsSVT", "TwinsSVT(num_classes=1000)", (3, 224, 224), True),
    "mobile_vit": ("from vit_pytorch.mobile_vit import MobileViT", "MobileViT(image_size=(256, 256), "
                   "dims=[96, 120, 144], channels=[16, 32, 48, 48, 64, 64, 80, 80, 96, 96, 384], num_classes=1000)",
                   (3, 256, 256), False),
    "max_vit": ("from vit_pytorch.max_vit import MaxViT", "MaxViT(num_classes=1000, dim_conv_stem=64, dim=96, "
                "dim_head=32, depth=(2, 2, 5, 2), window_size=7, mbconv_expansion_rate=4, "
                "mbconv_shrinkage_rate=0.25, dropout=0.1)", (3, 224, 224), True),
    "nest": ("from vit_pytorch.nest import NesT", "NesT(image_size=224, patch_size=4, dim=96, heads=3, "
             "num_hierarchies=3, block_repeats=(2, 2, 8), num_classes=1000)", (3, 224, 224), False),
    "vit_small_dataset": ("from vit_pytorch.vit_for_small_dataset import ViT", "ViT(image_size=256, patch_size=16, "
                          "num_classes=1000, dim=1024, depth=6, heads=16, mlp_dim=2048, dropout=0.1, "
                          "emb_dropout=0.1)", (3, 256, 256), False),
    "vit_3d": ("from vit_pytorch.vit_3d import ViT", "ViT(image_size=128, frames=16, image_patch_size=16, "
               "frame_patch_size=2, num_classes=1000, dim=1024, depth=6, heads=8, mlp_dim=2048, dropout=0.1, "
               "emb_dropout=0.1)", (3, 16, 128, 128), False),
    "regionvit": ("from vit_pytorch.regionvit import RegionViT", "RegionViT(dim=(64, 128, 256, 512), "
                  "depth=(2, 2, 8, 2), window_size=7, num_classes=1000, tokenize_local_3_conv=False, use_peg=False)",
                  (3, 224, 224), True),
    "crossformer": ("from vit_pytorch.crossformer import CrossFormer", "CrossFormer(num_classes=1000, "
                    "dim=(64, 128, 256, 512), depth=(2, 2, 8, 2), global_window_size=(8, 4, 2, 1), "
                    "local_window_size=7)", (3, 224, 224), True),
    "sep_vit": ("from vit_pytorch.sep_vit import SepViT", "SepViT(num_classes=1000, dim=32, dim_head=32, "
                "heads=(1, 2, 4, 8), depth=(1, 2, 6, 2), window_size=7, dropout=0.1)", (3, 224, 224), True),
    "xcit": ("from vit_pytorch.xcit import XCiT", "XCiT(image_size=256, patch_size=32, num_classes=1000, dim=1024, "
             "depth=12, cls_depth=2, heads=16, mlp_dim=2048, dropout=0.1, emb_dropout=0.1, layer_dropout=0.05, "
             "local_patch_kernel_size=3)", (3, 256, 256), False),
    "rvt": ("from vit_pytorch.rvt import RvT", "RvT(image_size=256, patch_size=32, num_classes=1000, dim=1024, "
            "depth=6, heads=16, mlp_dim=2048)", (3, 256, 256), False),
}

#: bench/scripts: "file:variable" -> (input without the batch dimension, whether cnnlint is given it); Keras
#: models declare their input, and the framework reads their output shape from the model
SCRIPTS_MODELS = {
    "cifar_training/train.py:net": ((3, 32, 32), False),
    "star_import/main.py:model": ((1, 28, 28), True),
    "dcgan_argparse/dcgan.py:netG": ((100, 1, 1), True),
    "dcgan_argparse/dcgan.py:netD": ((3, 64, 64), True),
    "vae_torch.py:model": ((1, 28, 28), True),
    "unet_pad.py:net": ((3, 60, 60), True),
    "transfer_frozen_torch.py:model": ((3, 32, 32), False),
    "script_folder/net.py:model": ((3, 32, 32), False),
    "modules_loop.py:model": ((3, 32, 32), False),
    "einops_mixer.py:model": ((3, 32, 32), True),
    "scripted_blocks.py:model": ((3, 32, 32), False),
    "tf_mobilenet.py:model": (None, False),
    "tf_subclassed_autoencoder.py:autoencoder": ((28, 28), False),
    "keras_gan_frozen.py:combined": (None, False),
    "keras_text_bidirectional.py:model": (None, False),
    "keras_config_constants/model.py:model": (None, False),
    "keras_timedistributed.py:model": (None, False),
    "lstm_text_classifier.py:model": ((50,), False),
    "transformer_classifier.py:model": ((64,), False),
    "word_language_model.py:model": ((35,), False),
    "conv_autoencoder.py:model": ((1, 28, 28), True),
    "mobile_blocks.py:model": ((3, 32, 32), False),
    "config_built_cnn.py:model": ((3, 32, 32), False),
    "config_built_cnn.py:net": ((1, 28, 28), False),
    "multitask_heads.py:model": ((1, 28, 28), False),
    "lightning_classifier.py:model": ((1, 28, 28), False),
    "keras_unet.py:model": (None, False),
    "keras_mnist_build.py:model": (None, False),
    "keras_subclassed_cnn.py:model": ((28, 28, 1), False),
    "keras_text_cnn.py:model": (None, False),
    "keras_text_cnn.py:bag_of_words": (None, False),
    "keras_xception_small.py:model": (None, False),
    "keras_transformer_text.py:model": (None, False),
    "mnist_example.py:model": ((1, 28, 28), False),
    "torchvision_finetune.py:model": ((3, 224, 224), False),
    "torchvision_finetune.py:mobilenet": ((3, 224, 224), False),
    "torchvision_finetune.py:extractor": ((3, 224, 224), False),
    "gan_normalized.py:netG": ((128,), False),
    "gan_normalized.py:netD": ((3, 32, 32), False),
    "rnn_timeseries.py:model": ((24, 6), False),
    "rnn_timeseries.py:gru": ((24, 6), False),
    "vit_scratch.py:model": ((3, 32, 32), False),
    "keras_lstm_timeseries.py:model": (None, False),
    "keras_lstm_timeseries.py:lstm_model": (None, False),
    "keras_transfer_mobilenet.py:model": (None, False),
    "keras_multi_output.py:model": (None, False),
    "cifar_zoo/main.py:net": ((3, 32, 32), False),
    "cifar_zoo/main.py:densenet": ((3, 32, 32), False),
    "cifar_zoo/main.py:mobilenet": ((3, 32, 32), False),
    "cifar_zoo/main.py:shufflenet": ((3, 32, 32), False),
    "tcn.py:model": ((1, 100), False),
    "d2l_lazy.py:model": ((1, 28, 28), False),
    "d2l_lazy.py:nin": ((1, 224, 224), False),
    "fpn_features.py:model": ((3, 64, 64), True),
    "keras_input_shape_kwarg.py:model": (None, False),
    "keras_input_shape_kwarg.py:mlp": (None, False),
    "keras_input_shape_kwarg.py:text": (None, False),
    "cyclegan_networks.py:netG_A": ((3, 256, 256), True),
    "cyclegan_networks.py:netG_unet": ((3, 256, 256), True),
    "cyclegan_networks.py:netD_A": ((3, 256, 256), True),
    "super_resolution.py:model": ((1, 32, 32), True),
    "super_resolution.py:srresnet": ((3, 24, 24), True),
    "keras_layer_variety.py:image_model": (None, False),
    "keras_layer_variety.py:sequence_model": (None, False),
    "pointnet.py:classifier": ((3, 500), False),
    "convmixer.py:model": ((3, 32, 32), False),
    "rnn_cells.py:model": ((15,), True),
    "rnn_cells.py:tagger": ((12, 20), True),
    "keras_vae.py:encoder": (None, False),
    "keras_vae.py:decoder": (None, False),
    "keras_dcgan.py:generator": (None, False),
    "keras_dcgan.py:discriminator": (None, False),
    "keras_resnet_functional.py:model": (None, False),
    "c3d.py:model": ((3, 8, 32, 32), True),
    "nanogpt.py:model": ((20,), False),
    "kim_text_cnn.py:cnn": ((40,), True),
    "segnet.py:model": ((3, 64, 64), True),
    "keras_siamese.py:siamese": (None, False),
    "keras_subclassed_lists.py:model": ((20,), False),
    "routing_and_pooling.py:moe": ((32,), False),
    "routing_and_pooling.py:attention_pool": ((9,), False),
    "routing_and_pooling.py:wave_unet": ((1, 1001), True),
    "detr_minimal.py:model": ((3, 128, 96), True),
}
#: text models: their input is token ids, integers
SCRIPTS_TOKEN_INPUTS = {"lstm_text_classifier.py:model", "transformer_classifier.py:model",
                        "word_language_model.py:model", "rnn_cells.py:model", "nanogpt.py:model",
                        "kim_text_cnn.py:cnn", "routing_and_pooling.py:attention_pool"}


@dataclass
class Case:
    package: str
    key: str  # the model's name in the benchmark
    name: str  # the model's name in cnnlint's report
    path: Path  # the file cnnlint reads
    given: tuple | None  # the input shape cnnlint is given, as a user would on the command line


# ---------------------------------------------------------------- oracles (the frameworks, in a process each)

_TF_STANDIN = '''
def install_tf_standin():
    """TensorFlow is not installed: the tf.keras scripts run on Keras 3, with keras.ops for tf's ops."""
    import keras
    from keras import ops

    tf = types.ModuleType("tensorflow")
    tf.keras = keras
    tf.nn = types.SimpleNamespace(relu=ops.relu, relu6=ops.relu6, swish=ops.silu, silu=ops.silu,
                                  sigmoid=ops.sigmoid, tanh=ops.tanh, softmax=ops.softmax, gelu=ops.gelu,
                                  leaky_relu=lambda x, alpha=0.2: ops.leaky_relu(x, alpha))
    tf.concat = lambda values, axis: ops.concatenate(values, axis=axis)
    tf.reshape = lambda x, shape: ops.reshape(x, shape)
    tf.expand_dims = lambda x, axis: ops.expand_dims(x, axis)
    tf.squeeze = lambda x, axis=None: ops.squeeze(x, axis)
    tf.reduce_mean = lambda x, axis=None, keepdims=False: ops.mean(x, axis=axis, keepdims=keepdims)
    tf.shape = ops.shape
    sys.modules["tensorflow"] = tf
    sys.modules["tensorflow.keras"] = keras
    sys.modules["tensorflow.keras.layers"] = keras.layers
'''

ORACLE = '''
import gc, inspect, json, os, runpy, sys, types, warnings
warnings.simplefilter("ignore")
os.environ.setdefault("KERAS_BACKEND", "torch")
# torchvision's compiled ops are built for another torch; building and running the models needs none of them
sys.modules["torchvision._meta_registrations"] = types.ModuleType("torchvision._meta_registrations")
request = json.loads(sys.argv[1])
builder, root = request["builder"], request["root"]


def shapes(y):
    if y is None:  # an output the model leaves empty (nanoGPT's loss without targets)
        return []
    if hasattr(y, "shape"):
        return [list(y.shape[1:])]
    if isinstance(y, dict):
        y = list(y.values())
    return [s for item in y for s in shapes(item)]


def default_input(model):
    cfg = getattr(model, "pretrained_cfg", None) or {}
    if cfg.get("input_size"):  # timm
        return list(cfg["input_size"])
    if getattr(model, "in_size", None):  # pytorchcv
        return [getattr(model, "in_channels", 3), *model.in_size]
    return [3, 224, 224]


def torch_numbers(model, spec):
    import torch
    model.eval()
    params = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    if not spec.get("run", True):  # detection models: running them needs torchvision's compiled ops
        return params, trainable, None
    spec["input"] = spec.get("input") or default_input(model)
    device = next(iter(model.parameters())).device
    x = torch.zeros(1, *spec["input"], device=device, dtype=torch.long if spec.get("tokens") else torch.float)
    with torch.no_grad():
        y = model(x, x) if spec.get("pair") else model(x)
    return params, trainable, shapes(y)


def keras_numbers(model, spec=None):
    import numpy
    try:
        out = model.output_shape
        out = [list(out[1:])] if not isinstance(out, list) else [list(o[1:]) for o in out]
    except AttributeError:  # a subclassed model has no output_shape: run it
        out = shapes(model(numpy.zeros((1, *spec["input"]), "float32")))
    trainable = sum(int(numpy.prod(w.shape)) for w in model.trainable_weights)
    return model.count_params(), trainable, out


def build(name, spec):
    if builder == "torchvision":
        import torch
        from torchvision import models
        # built as called, with the default arguments: a default backbone's weights change what is built
        # (frozen batch norms, frozen layers), and loading them changes no number, so nothing is downloaded
        models.WeightsEnum.get_state_dict = lambda self, *args, **kwargs: {}
        torch.nn.Module.load_state_dict = lambda self, *args, **kwargs: None
        for module in (models, models.segmentation, models.detection, models.video, models.optical_flow):
            if name in models.list_models(module=module):
                return module.__dict__[name], module.__dict__[name]
    if builder == "timm":
        import timm
        return timm.models.model_entrypoint(name), (lambda: timm.create_model(name, pretrained=False))
    if builder == "pytorchcv":
        from pytorchcv.model_provider import _models, get_model
        return _models[name], (lambda: get_model(name, pretrained=False))
    if builder == "keras":
        import keras
        from keras.src.applications import nasnet

        class NotTorch:  # Keras refuses NASNet on torch for a bug in running it; building it is unaffected
            def __getattr__(self, attr):
                return getattr(keras.src.backend, attr)

            def backend(self):
                return "tensorflow"

        nasnet.backend = NotTorch()
        factory = getattr(keras.applications, name)
        return factory, (lambda: factory(weights=None))
    raise KeyError(builder)


def run_script(path, variable):
    sys.path.insert(0, os.path.dirname(path))
    sys.argv = [path]  # argparse reads its defaults
    with open(path) as handle:
        uses_tf = "tensorflow" in handle.read()
    if uses_tf:
        install_tf_standin()
    try:
        return runpy.run_path(path, run_name="__bench__")[variable]
    finally:
        sys.path.pop(0)
        if uses_tf:  # Keras itself looks for TensorFlow: the stand-in is only for the script
            for name in ("tensorflow", "tensorflow.keras", "tensorflow.keras.layers"):
                del sys.modules[name]
        for module in [m for m, v in sys.modules.items() if getattr(v, "__file__", None) and
                       os.path.dirname(path) in str(v.__file__)]:
            del sys.modules[module]  # the scripts' own modules (models/, config...) differ between scripts


TF_STANDIN


def numbers(name, spec):
    if builder == "script":
        model = run_script(spec["path"], spec["variable"])
        found = keras_numbers(model, spec) if hasattr(model, "count_params") else torch_numbers(model, spec)
        return dict(zip(("params", "trainable", "outputs"), found), file=spec["path"], input=spec.get("input"))
    factory, make = build(name, spec)
    source = os.path.relpath(inspect.getsourcefile(inspect.unwrap(factory)), root)
    if builder == "keras":
        found = keras_numbers(make())
    else:
        import torch
        try:  # on the meta device nothing is allocated or computed: shapes only, fast for the largest models
            with torch.device("meta"):
                found = torch_numbers(make(), spec)
        except Exception:  # a model that reads a tensor's values while it is built or run
            found = torch_numbers(make(), spec)
    return dict(zip(("params", "trainable", "outputs"), found), file=source, input=spec.get("input"))


out = {}
for name, spec in request["models"].items():
    try:
        out[name] = numbers(name, spec)
    except Exception as exc:  # the framework cannot build or run it here: left out of the benchmark
        out[name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    gc.collect()
print(json.dumps(out))
'''.replace("TF_STANDIN", _TF_STANDIN)


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{name} is not installed (pip install -e '.[test]')")
    return Path(list(spec.submodule_search_locations)[0])


def versions(*distributions: str) -> str:
    return " ".join(f"{d}=={importlib.metadata.version(d)}" for d in distributions)


def _project(package: str, models: dict) -> dict:
    """Scripts beside a copy of the package's folder, each importing one model from it: {name: script}."""
    root = Path(tempfile.gettempdir()) / "cnnlint-realworld" / package
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(package_dir(package), root / package, ignore=shutil.ignore_patterns("__pycache__"))
    scripts = {}
    for name, (statement, construction, _, _) in models.items():
        script = root / f"build_{re.sub(r'[^a-z0-9]', '_', name)}.py"
        script.write_text(f"{statement}\n\nmodel = {construction}\n")
        scripts[name] = script
    return scripts


def _scripts_key() -> str:
    digest = hashlib.sha256()
    for path in sorted(SCRIPTS.rglob("*.py")):
        digest.update(path.relative_to(SCRIPTS).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


class Package:
    """One row group: the models, where cnnlint reads each, and how the framework builds them."""

    def __init__(self, name: str, distributions: tuple, builder: str, root: Path | None, specs: dict,
                 paths: dict | None = None, given: dict | None = None):
        self.name, self.builder, self.root, self.specs = name, builder, root, specs
        self.key = versions(*distributions) + (f" scripts {_scripts_key()}" if name == "scripts" else "")
        #: model -> the input shape cnnlint is given, or "oracle": the framework's for every model
        self.paths, self.given = paths or {}, given or {}

    def cases(self, expected: dict) -> list:
        cases = []
        for name in self.specs:
            numbers = expected[name]
            if "error" in numbers:
                print(f"{self.name} {name} is left out: the framework cannot build or run it here: "
                      f"{numbers['error']}", file=sys.stderr)
                continue
            path = self.paths.get(name) or (self.root / numbers["file"])
            given = numbers["input"] if self.given == "oracle" else self.given.get(name)
            cases.append(Case(self.name, name, self.specs[name].get("variable", name), path,
                              tuple(given) if given else None))
        return cases


def packages(only=None) -> list:
    chosen = []

    def want(name):
        return not only or name in only

    if want("torchvision"):
        specs = {}
        for name in TORCHVISION:
            shape, _ = TORCHVISION_INPUTS.get(name, (None, False))
            specs[name] = {"input": list(shape) if shape else None, "run": name not in TORCHVISION_DETECTION,
                           "pair": name.startswith("raft")}
        chosen.append(Package("torchvision", ("torch", "torchvision"), "torchvision", package_dir("torchvision"),
                              specs, given={**{n: s for n, (s, g) in TORCHVISION_INPUTS.items() if g},
                                            **TORCHVISION_SEVERAL_INPUTS}))
    if want("keras"):
        chosen.append(Package("keras", ("keras",), "keras", package_dir("keras"), {n: {} for n in KERAS}))
    if want("timm"):
        chosen.append(Package("timm", ("torch", "timm"), "timm", package_dir("timm"), {n: {} for n in TIMM},
                              given=TIMM_INPUTS))
    if want("pytorchcv"):
        chosen.append(Package("pytorchcv", ("torch", "pytorchcv"), "pytorchcv", package_dir("pytorchcv"),
                              {n: {} for n in PYTORCHCV}, given="oracle"))  # each model's documented in_size
    for package, distributions, models in (("efficientnet_pytorch", ("torch", "efficientnet_pytorch"),
                                            EFFICIENTNET_PYTORCH),
                                           ("vit_pytorch", ("torch", "einops", "vit-pytorch"), VIT_PYTORCH)):
        if want(package):
            scripts = _project(package, models)
            specs = {n: {"path": str(scripts[n]), "variable": "model", "input": list(models[n][2])} for n in models}
            chosen.append(Package(package, distributions, "script", None, specs, paths=scripts,
                                  given={n: m[2] for n, m in models.items() if m[3]}))
    if want("scripts"):
        specs, paths = {}, {}
        for key, (shape, _) in SCRIPTS_MODELS.items():
            rel, variable = key.split(":")
            paths[key] = SCRIPTS / rel
            specs[key] = {"path": str(paths[key]), "variable": variable, "input": list(shape) if shape else None,
                          "tokens": key in SCRIPTS_TOKEN_INPUTS}
        chosen.append(Package("scripts", ("torch", "keras", "einops"), "script", None, specs, paths=paths,
                              given={key: shape for key, (shape, given) in SCRIPTS_MODELS.items() if given}))
    return chosen


def expected_numbers(package: Package, refresh: bool = False) -> dict:
    """The framework's numbers for the package's models, from the cache when its versions match."""
    cache = json.loads(EXPECTED.read_text()) if EXPECTED.exists() else {}
    entry = cache.get(package.name, {})
    known = entry.get("models", {}) if entry.get("key") == package.key and not refresh else {}
    missing = {n: s for n, s in package.specs.items() if n not in known}
    if missing:
        request = {"builder": package.builder, "root": str(package.root or ""), "models": missing}
        proc = subprocess.run([sys.executable, "-c", ORACLE, json.dumps(request)], capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"the framework failed on {package.name}:\n{proc.stderr[-3000:]}")
        found = json.loads(proc.stdout.strip().splitlines()[-1])
        for numbers in found.values():
            if package.builder == "script" and "file" in numbers:  # cached by the script's place in bench/
                numbers["file"] = os.path.relpath(numbers["file"], BENCH)
        known = {**known, **found}
        cache = json.loads(EXPECTED.read_text()) if EXPECTED.exists() else {}  # another package may have run
        cache[package.name] = {"key": package.key, "models": {n: known[n] for n in sorted(package.specs)}}
        EXPECTED.write_text(json.dumps(cache, indent=1, sort_keys=True) + "\n")
    return {n: known[n] for n in package.specs}


# ---------------------------------------------------------------- cnnlint's side


def lint(case: Case) -> dict:
    from cnnlint.runner import Options, lint_path

    start = time.process_time()  # this process's CPU time: other load on the machine does not count
    result = lint_path(str(case.path), Options(model=case.name, input_shape=case.given))
    seconds = time.process_time() - start
    report = next((m for m in result.models if m.name == case.name), None)
    notes = [d.message for d in result.diagnostics if d.code == "CNN900" and d.model in (case.name, None)]
    return {"package": case.package, "model": case.key, "file": case.path.name,
            "found": report.total_params if report else None,
            "trainable": report.trainable_params if report else None,
            "output": report.output_shape if report else None, "reported": report is not None,
            "errors": [f"{d.code} {d.line}: {d.message}" for d in result.diagnostics if d.severity == "error"],
            "notes": notes, "seconds": round(seconds, 3)}


def _known_shape(shape) -> bool:
    if not isinstance(shape, list):
        return False
    return all(_known_shape(d) if isinstance(d, list) else isinstance(d, int) for d in shape)


def outcome(row: dict) -> str:
    expected_output = row["expected_outputs"]
    if expected_output is not None and len(expected_output) == 1:
        expected_output = expected_output[0]
    wrong = ((row["found"] is not None and row["found"] != row["expected"])
             or (row["trainable"] is not None and row["trainable"] != row["expected_trainable"])
             or (expected_output is not None and _known_shape(row["output"]) and row["output"] != expected_output))
    if wrong:
        return "wrong"
    if row["found"] is not None and row["trainable"] is not None and (
            expected_output is None or row["output"] == expected_output):
        return "exact"
    symbolic = row["output"] is not None and not _known_shape(row["output"])  # honest without an input size
    return "null" if row["notes"] or symbolic else "silent"


_CAUSES = (
    (re.compile(r"\(([\w.]+\(\)) is not modelled by cnnlint\)|([\w.]+\(\)) is not modelled by cnnlint"),
     lambda m: f"{m.group(1) or m.group(2)} not modelled"),
    (re.compile(r"condition cnnlint cannot decide"), lambda m: "an undecidable condition"),
    (re.compile(r"steps|budget"), lambda m: "the step budget"),
    (re.compile(r"is not set in this file|not known here"), lambda m: "an attribute set elsewhere"),
)


def cause(row: dict) -> str:
    """The first CNN900 note, reduced to a cause to group by."""
    if not row["notes"]:
        return "a symbolic output shape (no input size given)"
    note = row["notes"][0]
    for pattern, name in _CAUSES:
        found = pattern.search(note)
        if found:
            return name(found)
    return re.sub(r"\b(self|[A-Za-z_]\w*)\.[\w.]+", "…", note)[:70]


def measure(package: Package, refresh: bool = False, names=None) -> list:
    """cnnlint's rows for the package's models (or these of them), each with the framework's numbers."""
    expected = expected_numbers(package, refresh)
    rows = []
    for case in package.cases(expected):
        if names is not None and case.key not in names:
            continue
        row = lint(case)
        numbers = expected[case.key]
        row.update(expected=numbers["params"], expected_trainable=numbers["trainable"],
                   expected_outputs=numbers["outputs"])
        row["outcome"] = outcome(row)
        row["cause"] = cause(row) if row["outcome"] == "null" else ""
        rows.append(row)
    return rows


def summary(rows: list, baseline: dict | None = None) -> list:
    lines = []
    for package in dict.fromkeys(r["package"] for r in rows):
        group = [r for r in rows if r["package"] == package]
        count = Counter(r["outcome"] for r in group)
        errors = sum(bool(r["errors"]) for r in group)
        slow = sum(r["seconds"] > FILE_BOUND_SECONDS for r in group)  # CPU seconds
        lines.append(f"{package}: {len(group)} models, exact {count['exact']} ({100 * count['exact'] / len(group):.0f}%), "
                     f"null {count['null']}, wrong {count['wrong']}, silent {count['silent']}, false errors {errors}, "
                     f"over {FILE_BOUND_SECONDS:.0f} s {slow}, median {statistics.median(r['seconds'] for r in group):.2f} s")
        for why, n in Counter(r["cause"] for r in group if r["outcome"] == "null").most_common(6):
            lines.append(f"    null {n}: {why}")
    count = Counter(r["outcome"] for r in rows)
    lines.append(f"all: {len(rows)} models, exact {count['exact']} ({100 * count['exact'] / max(1, len(rows)):.0f}%), "
                 f"null {count['null']}, wrong {count['wrong']}, silent {count['silent']}, "
                 f"false errors {sum(bool(r['errors']) for r in rows)}")
    if baseline:
        ratios = [r["seconds"] / baseline[(r["package"], r["model"])]["seconds"] for r in rows
                  if (r["package"], r["model"]) in baseline and baseline[(r["package"], r["model"])]["seconds"] > 0]
        if ratios:
            lines.append(f"median per-model time ratio against the baseline: {statistics.median(ratios):.2f}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", help="packages: torchvision keras timm pytorchcv efficientnet_pytorch "
                                                  "vit_pytorch scripts")
    parser.add_argument("--markdown", action="store_true", help="a table of every model")
    parser.add_argument("--rows", action="store_true", help="every model's row as a JSON line")
    parser.add_argument("--save", help="write the rows to this JSON file")
    parser.add_argument("--baseline", help="rows saved by an earlier run: compare the time per model")
    parser.add_argument("--refresh", action="store_true", help="ask the frameworks again, ignoring the cache")
    parser.add_argument("--models", nargs="+", help="only these models of the chosen packages")
    args = parser.parse_args()
    rows = []
    for package in packages(args.only):
        rows += measure(package, args.refresh, set(args.models) if args.models else None)
    baseline = None
    if args.baseline:
        baseline = {(r["package"], r["model"]): r for r in json.loads(Path(args.baseline).read_text())}
    if args.save:
        Path(args.save).write_text(json.dumps(rows, indent=1) + "\n")
    if args.rows:
        for r in rows:
            print(json.dumps(r))
    if args.markdown:
        print("| package | model | expected | found | time | |\n|---|---|---:|---:|---:|---|")
        for r in rows:
            found = "null" if r["found"] is None else f"{r['found']:,}"
            why = {"null": f"null: {r['cause']}", "wrong": f"wrong: output {r['output']}"}.get(r["outcome"],
                                                                                               r["outcome"])
            print(f"| {r['package']} | {r['model']} | {r['expected']:,} | {found} | {r['seconds']:.2f} s | {why} |")
    print("\n".join(summary(rows, baseline)))
    failed = [r for r in rows if r["outcome"] in ("wrong", "silent") or r["errors"]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
