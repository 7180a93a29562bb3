"""A convolutional autoencoder for MNIST: nn.Unflatten between a linear bottleneck and transposed convolutions."""
import torch
from torch import nn


class ConvAutoencoder(nn.Module):
    def __init__(self, latent_dim=16):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 3, stride=2, padding=1),  # 14x14
            nn.ReLU(True),
            nn.Conv2d(16, 32, 3, stride=2, padding=1),  # 7x7
            nn.BatchNorm2d(32),
            nn.ReLU(True),
            nn.Flatten(start_dim=1),
            nn.Linear(32 * 7 * 7, 128),
            nn.ReLU(True),
            nn.Linear(128, latent_dim),
        )
        self.decoder = nn.Sequential(
            nn.Linear(latent_dim, 128),
            nn.ReLU(True),
            nn.Linear(128, 32 * 7 * 7),
            nn.ReLU(True),
            nn.Unflatten(dim=1, unflattened_size=(32, 7, 7)),
            nn.ConvTranspose2d(32, 16, 3, stride=2, padding=1, output_padding=1),
            nn.BatchNorm2d(16),
            nn.ReLU(True),
            nn.ConvTranspose2d(16, 1, 3, stride=2, padding=1, output_padding=1),
        )

    def forward(self, x):
        z = self.encoder(x)
        x = self.decoder(z)
        return torch.sigmoid(x)


model = ConvAutoencoder(latent_dim=4)
