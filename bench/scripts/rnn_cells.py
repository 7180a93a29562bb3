"""Recurrent cells stepped by hand over time, a projected LSTM, and a stacked bidirectional GRU, sequence first."""
import torch
import torch.nn as nn


class CharRNN(nn.Module):
    def __init__(self, vocab_size=65, embed=32, hidden=128):
        super().__init__()
        self.hidden = hidden
        self.embed = nn.Embedding(vocab_size, embed)
        self.cell1 = nn.LSTMCell(embed, hidden)
        self.cell2 = nn.GRUCell(hidden, hidden)
        self.out = nn.Linear(hidden, vocab_size)

    def forward(self, tokens):
        x = self.embed(tokens)
        batch, steps = tokens.size(0), tokens.size(1)
        h = torch.zeros(batch, self.hidden)
        c = torch.zeros(batch, self.hidden)
        g = torch.zeros(batch, self.hidden)
        outputs = []
        for t in range(steps):
            h, c = self.cell1(x[:, t, :], (h, c))
            g = self.cell2(h, g)
            outputs.append(self.out(g))
        return torch.stack(outputs, dim=1)


class Tagger(nn.Module):
    def __init__(self, features=20, hidden=48, tags=9):
        super().__init__()
        self.lstm = nn.LSTM(features, hidden, num_layers=2, proj_size=16, bidirectional=True)
        self.gru = nn.GRU(32, hidden, num_layers=3, bidirectional=True, bias=False)
        self.head = nn.Linear(2 * hidden, tags)

    def forward(self, x):  # (sequence, batch, features)
        x, _ = self.lstm(x)
        x, _ = self.gru(x)
        return self.head(x)


model = CharRNN()
tagger = Tagger()
