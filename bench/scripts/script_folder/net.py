import torch.nn as nn

from blocks import conv_bn, head

model = nn.Sequential(conv_bn(3, 32), conv_bn(32, 64, 2), conv_bn(64, 128, 2), head(128, 10))
