from .activations import output_activation
from .base import Finding, Rule

#: losses that apply softmax/sigmoid themselves: they expect raw scores (logits)
LOGITS_LOSSES = {"CrossEntropyLoss": "nn.CrossEntropyLoss", "cross_entropy": "F.cross_entropy",
                 "BCEWithLogitsLoss": "nn.BCEWithLogitsLoss",
                 "binary_cross_entropy_with_logits": "F.binary_cross_entropy_with_logits"}
_WHY = {"softmax": "softmax is applied twice: the loss cannot go much below its floor and gradients vanish",
        "sigmoid": "sigmoid is applied twice: predictions never go below 0.5 and the loss never reaches 0",
        "relu": "ReLU clamps every negative logit to 0: classes can only be scored up, never down"}


def logits_loss(use):
    """How the code names a loss that expects logits, or None."""
    if use.from_logits is True:
        return f"{use.name}(from_logits=True)"
    return LOGITS_LOSSES.get(use.name)


class ProbabilitiesIntoLogitsLoss(Rule):
    """A softmax, sigmoid or ReLU output fed to a loss that expects raw logits."""

    code = "CNN401"
    name = "probabilities-into-logits-loss"
    severity = "warning"
    summary = "a softmax/sigmoid/ReLU output fed to a loss that expects logits"

    def check(self, model, ctx):
        activation = output_activation(model)
        if activation not in _WHY:
            return
        for use in model.losses:
            loss = logits_loss(use)
            if loss is not None:
                yield Finding(f"{model.name} ends with {activation} and its output goes to {loss}, which applies "
                              f"{'sigmoid' if 'BCE' in loss or 'binary' in loss else 'softmax'} itself: "
                              f"{_WHY[activation]}; drop the final {activation} (apply it at inference only)",
                              use.site)
