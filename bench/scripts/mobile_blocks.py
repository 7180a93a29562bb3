"""A small mobile network: depthwise-separable blocks, squeeze-excitation, layers named by OrderedDict."""
from collections import OrderedDict

import torch
import torch.nn as nn


class SqueezeExcitation(nn.Module):
    def __init__(self, channels, reduction=4):
        super().__init__()
        self.se = nn.Sequential(
            nn.AdaptiveAvgPool2d(1),
            nn.Conv2d(channels, channels // reduction, 1),
            nn.ReLU(inplace=True),
            nn.Conv2d(channels // reduction, channels, 1),
            nn.Sigmoid(),
        )

    def forward(self, x):
        return x * self.se(x)


class DepthwiseSeparable(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1, use_se=False):
        super().__init__()
        self.depthwise = nn.Conv2d(in_channels, in_channels, 3, stride, 1, groups=in_channels, bias=False)
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.se = SqueezeExcitation(in_channels) if use_se else nn.Identity()
        self.pointwise = nn.Conv2d(in_channels, out_channels, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.act = nn.ReLU6(inplace=True)

    def forward(self, x):
        x = self.act(self.bn1(self.depthwise(x)))
        x = self.se(x)
        return self.act(self.bn2(self.pointwise(x)))


class MobileNetLite(nn.Module):
    # (out_channels, stride, squeeze-excitation)
    cfg = [(64, 1, False), (128, 2, False), (128, 1, True), (256, 2, True), (256, 1, True), (512, 2, True)]

    def __init__(self, num_classes=10, width_mult=1.0):
        super().__init__()
        stem = int(32 * width_mult)
        self.stem = nn.Sequential(OrderedDict([
            ("conv", nn.Conv2d(3, stem, 3, stride=1, padding=1, bias=False)),
            ("bn", nn.BatchNorm2d(stem)),
            ("relu", nn.ReLU6(inplace=True)),
        ]))
        layers = []
        in_channels = stem
        for out_channels, stride, use_se in self.cfg:
            out_channels = int(out_channels * width_mult)
            layers.append(DepthwiseSeparable(in_channels, out_channels, stride, use_se))
            in_channels = out_channels
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d((1, 1))
        self.classifier = nn.Linear(in_channels, num_classes)

    def forward(self, x):
        x = self.stem(x)
        x = self.features(x)
        x = self.pool(x)
        x = torch.flatten(x, 1)
        return self.classifier(x)


model = MobileNetLite(num_classes=100, width_mult=0.5)
