"""Kim's CNN for sentence classification: parallel convolutions over the embedded sentence, max over time."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CNN_Text(nn.Module):

    def __init__(self, args):
        super(CNN_Text, self).__init__()
        self.args = args

        V = args["embed_num"]
        D = args["embed_dim"]
        C = args["class_num"]
        Ci = 1
        Co = args["kernel_num"]
        Ks = args["kernel_sizes"]

        self.embed = nn.Embedding(V, D)
        self.convs1 = nn.ModuleList([nn.Conv2d(Ci, Co, (K, D)) for K in Ks])
        self.dropout = nn.Dropout(args["dropout"])
        self.fc1 = nn.Linear(len(Ks) * Co, C)

        if self.args["static"]:
            self.embed.weight.requires_grad = False

    def forward(self, x):
        x = self.embed(x)  # (N, W, D)
        x = x.unsqueeze(1)  # (N, Ci, W, D)
        x = [F.relu(conv(x)).squeeze(3) for conv in self.convs1]  # [(N, Co, W), ...]*len(Ks)
        x = [F.max_pool1d(i, i.size(2)).squeeze(2) for i in x]  # [(N, Co), ...]*len(Ks)
        x = torch.cat(x, 1)
        x = self.dropout(x)  # (N, len(Ks)*Co)
        logit = self.fc1(x)  # (N, C)
        return logit


args = {"embed_num": 20000, "embed_dim": 128, "class_num": 5, "kernel_num": 100, "kernel_sizes": [3, 4, 5],
        "dropout": 0.5, "static": True}
cnn = CNN_Text(args)
