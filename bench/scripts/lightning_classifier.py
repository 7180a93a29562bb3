"""A LightningModule: hyperparameters saved and read back through self.hparams."""
import lightning as L
import torch
import torch.nn.functional as F
from torch import nn


class LitClassifier(L.LightningModule):
    def __init__(self, input_dim=784, hidden_dim=128, num_classes=10, learning_rate=1e-3):
        super().__init__()
        self.save_hyperparameters()
        self.l1 = nn.Linear(self.hparams.input_dim, self.hparams.hidden_dim)
        self.l2 = nn.Linear(self.hparams.hidden_dim, self.hparams.hidden_dim // 2)
        self.l3 = nn.Linear(self.hparams.hidden_dim // 2, self.hparams.num_classes)

    def forward(self, x):
        x = x.view(x.size(0), -1)
        x = torch.relu(self.l1(x))
        x = torch.relu(self.l2(x))
        return self.l3(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.learning_rate)


model = LitClassifier(hidden_dim=64)
