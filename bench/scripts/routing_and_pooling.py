"""Routing and pooling by the numbers: a top-k mixture of experts, attention pooling over a masked GRU, a 1-D U-Net
cropping its upsampled features to the skip connections (Wave-U-Net style)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MoE(nn.Module):
    def __init__(self, dim=32, experts=4, k=2, classes=5):
        super().__init__()
        self.gate = nn.Linear(dim, experts)
        self.experts = nn.ModuleList([nn.Sequential(nn.Linear(dim, 64), nn.GELU(), nn.Linear(64, dim))
                                      for _ in range(experts)])
        self.k = k
        self.head = nn.Linear(dim, classes)

    def forward(self, x):  # (B, dim)
        scores = F.softmax(self.gate(x), dim=-1)
        topv, topi = torch.topk(scores, self.k, dim=-1)
        out = torch.zeros_like(x)
        for i, expert in enumerate(self.experts):
            mask = (topi == i).any(dim=-1, keepdim=True).float()
            weight = (topv * (topi == i).float()).sum(dim=-1, keepdim=True)
            out = out + mask * weight * expert(x)
        return self.head(out)


class AttnPool(nn.Module):
    def __init__(self, vocab=500, dim=64, classes=3):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.gru = nn.GRU(dim, dim, batch_first=True, bidirectional=True)
        self.att = nn.Linear(2 * dim, 1, bias=False)
        self.fc = nn.Linear(2 * dim, classes)

    def forward(self, tokens):
        mask = tokens.eq(0)
        h, _ = self.gru(self.emb(tokens))
        scores = self.att(h).squeeze(-1).masked_fill(mask, float("-inf"))
        alpha = torch.softmax(scores, dim=1)
        context = torch.bmm(alpha.unsqueeze(1), h).squeeze(1)
        return self.fc(context)


class Wave1dUNet(nn.Module):
    def __init__(self, ch=16):
        super().__init__()
        self.d1 = nn.Conv1d(1, ch, 15, padding=7)
        self.d2 = nn.Conv1d(ch, ch * 2, 15, stride=2, padding=7)
        self.d3 = nn.Conv1d(ch * 2, ch * 4, 15, stride=2, padding=7)
        self.u2 = nn.ConvTranspose1d(ch * 4, ch * 2, 4, stride=2, padding=1)
        self.u1 = nn.ConvTranspose1d(ch * 4, ch, 4, stride=2, padding=1)
        self.out = nn.Conv1d(ch * 2, 1, 1)

    def forward(self, x):
        s1 = F.leaky_relu(self.d1(x), 0.1)
        s2 = F.leaky_relu(self.d2(s1), 0.1)
        b = F.leaky_relu(self.d3(s2), 0.1)
        y = self.u2(b)[..., :s2.size(-1)]
        y = self.u1(torch.cat([y, s2], dim=1))[..., :s1.size(-1)]
        return torch.tanh(self.out(torch.cat([y, s1], dim=1)))


moe = MoE()
attention_pool = AttnPool()
wave_unet = Wave1dUNet()
