"""Train CIFAR10 with PyTorch: the model picked by name from the project's zoo."""
import argparse

import torch
import torch.nn as nn
import torch.optim as optim

from models import *

parser = argparse.ArgumentParser(description="PyTorch CIFAR10 Training")
parser.add_argument("--lr", default=0.1, type=float, help="learning rate")
parser.add_argument("--arch", default="wrn", help="model")
parser.add_argument("--depth", default=28, type=int)
parser.add_argument("--widen-factor", default=4, type=int)
args = parser.parse_args()

device = "cuda" if torch.cuda.is_available() else "cpu"

print("==> Building model..")
if args.arch == "wrn":
    net = WideResNet(args.depth, 10, args.widen_factor, dropRate=0.3)
else:
    net = MobileNetV2()
net = net.to(device)
if device == "cuda":
    net = torch.nn.DataParallel(net)

densenet = densenet_cifar()
mobilenet = MobileNetV2(num_classes=100)
shufflenet = ShuffleNetV2(net_size=0.5)

criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=args.lr, momentum=0.9, weight_decay=5e-4)
