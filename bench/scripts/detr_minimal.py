"""DETR in its paper's minimal form: a convolutional backbone, nn.Transformer over the flattened features with
learned object queries (an nn.Embedding's weight), class and box heads returned in a dict."""
import copy

import torch
from torch import nn


def _get_clones(module, N):
    return nn.ModuleList([copy.deepcopy(module) for i in range(N)])


class MLP(nn.Module):
    """Very simple multi-layer perceptron (also called FFN)"""

    def __init__(self, input_dim, hidden_dim, output_dim, num_layers):
        super().__init__()
        self.num_layers = num_layers
        h = [hidden_dim] * (num_layers - 1)
        self.layers = nn.ModuleList(nn.Linear(n, k) for n, k in zip([input_dim] + h, h + [output_dim]))

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = nn.functional.relu(layer(x)) if i < self.num_layers - 1 else layer(x)
        return x


class Backbone(nn.Module):
    def __init__(self, channels=(32, 64, 128)):
        super().__init__()
        blocks, cin = [], 3
        for cout in channels:
            blocks += [nn.Conv2d(cin, cout, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]
            cin = cout
        self.body = nn.Sequential(*blocks)
        self.num_channels = cin

    def forward(self, x):
        return self.body(x)


class DETR(nn.Module):
    def __init__(self, num_classes, hidden_dim=64, nheads=4, num_encoder_layers=2, num_decoder_layers=2,
                 num_queries=20):
        super().__init__()
        self.backbone = Backbone()
        self.conv = nn.Conv2d(self.backbone.num_channels, hidden_dim, 1)
        self.transformer = nn.Transformer(hidden_dim, nheads, num_encoder_layers, num_decoder_layers,
                                          dim_feedforward=128)
        self.class_embed = nn.Linear(hidden_dim, num_classes + 1)
        self.bbox_embed = MLP(hidden_dim, hidden_dim, 4, 3)
        self.query_pos = nn.Parameter(torch.rand(num_queries, hidden_dim))
        self.row_embed = nn.Parameter(torch.rand(50, hidden_dim // 2))
        self.col_embed = nn.Parameter(torch.rand(50, hidden_dim // 2))
        self.query_embed = nn.Embedding(num_queries, hidden_dim)
        self.aux_heads = _get_clones(nn.Linear(hidden_dim, num_classes + 1), 2)

    def forward(self, inputs):
        x = self.backbone(inputs)
        h = self.conv(x)
        H, W = h.shape[-2:]
        pos = torch.cat([
            self.col_embed[:W].unsqueeze(0).repeat(H, 1, 1),
            self.row_embed[:H].unsqueeze(1).repeat(1, W, 1),
        ], dim=-1).flatten(0, 1).unsqueeze(1)
        src = pos + 0.1 * h.flatten(2).permute(2, 0, 1)
        tgt = (self.query_pos + self.query_embed.weight).unsqueeze(1).repeat(1, inputs.shape[0], 1)
        h = self.transformer(src, tgt).transpose(0, 1)
        return {"pred_logits": self.class_embed(h), "pred_boxes": self.bbox_embed(h).sigmoid(),
                "aux_logits": self.aux_heads[0](h)}


model = DETR(num_classes=91)
