"""Super-resolution networks: ESPCN's sub-pixel convolution (PixelShuffle), and an SRResNet-style trunk."""
import math

import torch
import torch.nn as nn
import torch.nn.init as init


class ESPCN(nn.Module):
    def __init__(self, upscale_factor, num_channels=1):
        super(ESPCN, self).__init__()
        self.relu = nn.ReLU()
        self.conv1 = nn.Conv2d(num_channels, 64, (5, 5), (1, 1), (2, 2))
        self.conv2 = nn.Conv2d(64, 64, (3, 3), (1, 1), (1, 1))
        self.conv3 = nn.Conv2d(64, 32, (3, 3), (1, 1), (1, 1))
        self.conv4 = nn.Conv2d(32, num_channels * upscale_factor ** 2, (3, 3), (1, 1), (1, 1))
        self.pixel_shuffle = nn.PixelShuffle(upscale_factor)
        self._initialize_weights()

    def forward(self, x):
        x = self.relu(self.conv1(x))
        x = self.relu(self.conv2(x))
        x = self.relu(self.conv3(x))
        x = self.pixel_shuffle(self.conv4(x))
        return x

    def _initialize_weights(self):
        init.orthogonal_(self.conv1.weight, init.calculate_gain("relu"))
        init.orthogonal_(self.conv2.weight, init.calculate_gain("relu"))
        init.orthogonal_(self.conv3.weight, init.calculate_gain("relu"))
        init.orthogonal_(self.conv4.weight)


class ResidualBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, kernel_size=3, padding="same")
        self.bn1 = nn.BatchNorm2d(channels)
        self.prelu = nn.PReLU()
        self.conv2 = nn.Conv2d(channels, channels, kernel_size=3, padding="same")
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        residual = self.prelu(self.bn1(self.conv1(x)))
        residual = self.bn2(self.conv2(residual))
        return x + residual


class UpsampleBlock(nn.Module):
    def __init__(self, in_channels, up_scale):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, in_channels * up_scale ** 2, kernel_size=3, padding=1)
        self.pixel_shuffle = nn.PixelShuffle(up_scale)
        self.prelu = nn.PReLU(num_parameters=in_channels)

    def forward(self, x):
        return self.prelu(self.pixel_shuffle(self.conv(x)))


class SRResNet(nn.Module):
    def __init__(self, scale_factor=4, channels=32, num_blocks=5):
        super().__init__()
        upsample_block_num = int(math.log(scale_factor, 2))
        self.block1 = nn.Sequential(nn.Conv2d(3, channels, kernel_size=9, padding=4), nn.PReLU())
        self.blocks = nn.Sequential(*[ResidualBlock(channels) for _ in range(num_blocks)])
        self.block7 = nn.Sequential(nn.Conv2d(channels, channels, kernel_size=4, padding="same", bias=False),
                                    nn.InstanceNorm2d(channels, affine=True))
        self.upsample = nn.Sequential(*[UpsampleBlock(channels, 2) for _ in range(upsample_block_num)])
        self.final = nn.Conv2d(channels, 3, kernel_size=9, padding=4)

    def forward(self, x):
        block1 = self.block1(x)
        block7 = self.block7(self.blocks(block1))
        upsampled = self.upsample(block1 + block7)
        return (torch.tanh(self.final(upsampled)) + 1) / 2


model = ESPCN(upscale_factor=3)
srresnet = SRResNet()
