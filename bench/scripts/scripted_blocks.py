"""TorchScript blocks inside nn.Sequential."""
import torch
import torch.nn as nn


class ScriptedBlock(torch.jit.ScriptModule):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)
        self.bn = nn.BatchNorm2d(cout)

    @torch.jit.script_method
    def forward(self, x):
        return torch.relu(self.bn(self.conv(x)))


model = nn.Sequential(
    ScriptedBlock(3, 32), nn.MaxPool2d(2),
    ScriptedBlock(32, 64), nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear(64, 10),
)
