"""CNNs sized by a configuration: a dict unpacked into the constructor, and a dataclass passed whole."""
from dataclasses import dataclass

import torch.nn as nn


class ConvNet(nn.Module):
    def __init__(self, in_channels=3, channels=(16, 32), num_classes=10, dropout=0.0):
        super().__init__()
        blocks = []
        for out_channels in channels:
            blocks += [
                nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1, bias=False),
                nn.BatchNorm2d(out_channels),
                nn.ReLU(inplace=True),
                nn.MaxPool2d(2),
            ]
            in_channels = out_channels
        self.features = nn.Sequential(*blocks)
        self.head = nn.Sequential(
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
            nn.Dropout(dropout),
            nn.Linear(in_channels, num_classes),
        )

    def forward(self, x):
        return self.head(self.features(x))


cfg = dict(channels=[32, 64, 128], num_classes=100, dropout=0.2)
model = ConvNet(**cfg)


@dataclass
class ModelConfig:
    in_channels: int = 1
    channels: tuple = (8, 16, 32, 64)
    num_classes: int = 10
    dropout: float = 0.1


class ConfiguredNet(ConvNet):
    def __init__(self, config: ModelConfig):
        super().__init__(config.in_channels, config.channels, config.num_classes, config.dropout)
        self.config = config


config = ModelConfig(num_classes=26)
net = ConfiguredNet(config)
