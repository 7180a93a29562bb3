"""Fine-tuning torchvision models: a new head on a frozen backbone, and a backbone cut from a classifier."""
import torch
import torch.nn as nn
from torchvision import models

num_classes = 5

model = models.resnet18(weights=None)
for param in model.parameters():
    param.requires_grad = False
num_ftrs = model.fc.in_features
model.fc = nn.Linear(num_ftrs, num_classes)

mobilenet = models.mobilenet_v2(weights=None)
mobilenet.classifier[1] = nn.Linear(mobilenet.last_channel, num_classes)


class FeatureExtractor(nn.Module):
    def __init__(self, embedding_dim=128):
        super().__init__()
        backbone = models.resnet34(weights=None)
        self.features = nn.Sequential(*list(backbone.children())[:-1])
        self.embed = nn.Linear(backbone.fc.in_features, embedding_dim)

    def forward(self, x):
        x = self.features(x)
        x = x.view(x.size(0), -1)
        return nn.functional.normalize(self.embed(x), dim=1)


extractor = FeatureExtractor()
