"""A multi-task network: a shared trunk, heads in an nn.ModuleDict, learned loss weights in an nn.ParameterList."""
import torch
import torch.nn as nn
import torch.nn.functional as F

TASKS = {"digit": 10, "parity": 2, "magnitude": 1}


class MultiTaskNet(nn.Module):
    def __init__(self, tasks=TASKS):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5, 1)
        self.conv2 = nn.Conv2d(20, 50, 5, 1)
        self.fc = nn.Linear(4 * 4 * 50, 256)
        self.heads = nn.ModuleDict({name: nn.Linear(256, size) for name, size in tasks.items()})
        self.log_vars = nn.ParameterList([nn.Parameter(torch.zeros(1)) for _ in tasks])

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2, 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2, 2)
        x = x.view(x.size(0), -1)
        x = F.relu(self.fc(x))
        return {name: head(x) for name, head in self.heads.items()}


model = MultiTaskNet()
