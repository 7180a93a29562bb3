"""A feature pyramid over a small backbone: lateral 1x1 convolutions, nearest upsampling, a list of maps out."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn_relu(cin, cout, stride=1):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Backbone(nn.Module):
    def __init__(self, widths=(32, 64, 128, 256)):
        super().__init__()
        self.stem = conv_bn_relu(3, widths[0], 2)
        self.stages = nn.ModuleList()
        for cin, cout in zip(widths[:-1], widths[1:]):
            self.stages.append(nn.Sequential(conv_bn_relu(cin, cout, 2), conv_bn_relu(cout, cout)))
        self.out_channels = list(widths[1:])

    def forward(self, x):
        x = self.stem(x)
        features = []
        for stage in self.stages:
            x = stage(x)
            features.append(x)
        return features


class FPN(nn.Module):
    def __init__(self, in_channels_list, out_channels=64):
        super().__init__()
        self.lateral = nn.ModuleList([nn.Conv2d(c, out_channels, 1) for c in in_channels_list])
        self.smooth = nn.ModuleList([nn.Conv2d(out_channels, out_channels, 3, padding=1) for _ in in_channels_list])

    def forward(self, features):
        laterals = [conv(f) for conv, f in zip(self.lateral, features)]
        for i in range(len(laterals) - 1, 0, -1):
            laterals[i - 1] = laterals[i - 1] + F.interpolate(laterals[i], size=laterals[i - 1].shape[-2:],
                                                              mode="nearest")
        return [smooth(x) for smooth, x in zip(self.smooth, laterals)]


class Detector(nn.Module):
    def __init__(self, num_classes=20):
        super().__init__()
        self.backbone = Backbone()
        self.fpn = FPN(self.backbone.out_channels)
        self.head = nn.Conv2d(64, num_classes, 3, padding=1)

    def forward(self, x):
        return [self.head(p) for p in self.fpn(self.backbone(x))]


model = Detector()
