"""A GAN for 32x32 images: a generator from a linear projection, a discriminator with spectral and weight norm."""
import torch
import torch.nn as nn
from torch.nn.utils import spectral_norm, weight_norm

nz, ngf, ndf = 128, 64, 64


class Generator(nn.Module):
    def __init__(self, z_dim=nz):
        super().__init__()
        self.fc = nn.Linear(z_dim, 4 * 4 * ngf * 4)
        self.net = nn.Sequential(
            nn.BatchNorm2d(ngf * 4),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf, 3, 4, 2, 1),
            nn.Tanh(),
        )

    def forward(self, z):
        x = self.fc(z).view(-1, ngf * 4, 4, 4)
        return self.net(x)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            spectral_norm(nn.Conv2d(3, ndf, 3, 1, 1)),
            nn.LeakyReLU(0.1, inplace=True),
            spectral_norm(nn.Conv2d(ndf, ndf * 2, 4, 2, 1)),
            nn.LeakyReLU(0.1, inplace=True),
            spectral_norm(nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1)),
            nn.LeakyReLU(0.1, inplace=True),
        )
        self.linear = weight_norm(nn.Linear(4 * 4 * ndf * 4 * 4, 1))

    def forward(self, x):
        x = self.main(x)
        return self.linear(x.view(x.size(0), -1))


netG = Generator()
netD = Discriminator()
