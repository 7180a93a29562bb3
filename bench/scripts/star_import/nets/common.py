import torch
import torch.nn as nn
import torch.nn.functional as F

__all__ = ["nn", "F", "LeNetFeatures", "ConvPool"]


class ConvPool(nn.Module):
    def __init__(self, cin, cout, k=5):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k)
        self.pool = nn.MaxPool2d(2)

    def forward(self, x):
        return self.pool(F.relu(self.conv(x)))


class LeNetFeatures(nn.Module):
    def __init__(self):
        super().__init__()
        self.block1 = ConvPool(1, 6)
        self.block2 = ConvPool(6, 16)

    def forward(self, x):
        return self.block2(self.block1(x))
