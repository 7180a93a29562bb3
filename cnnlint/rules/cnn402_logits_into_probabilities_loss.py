from .activations import output_activation
from .base import Finding, Rule

#: Keras losses that, with from_logits=False (their default), expect probabilities
KERAS_PROBABILITY_LOSSES = {"sparse_categorical_crossentropy", "categorical_crossentropy", "binary_crossentropy"}
#: PyTorch losses that expect log-probabilities (NLL) or probabilities (BCE)
_NEEDS = {"NLLLoss": "log_softmax", "nll_loss": "log_softmax", "BCELoss": "sigmoid", "binary_cross_entropy": "sigmoid"}


class LogitsIntoProbabilitiesLoss(Rule):
    """An unbounded output fed to a loss that expects probabilities or log-probabilities."""

    code = "CNN402"
    name = "logits-into-probabilities-loss"
    severity = "warning"
    summary = "a linear output fed to a loss that expects probabilities or log-probabilities"

    def check(self, model, ctx):
        activation = output_activation(model)
        if activation is None:
            return
        for use in model.losses:
            if use.name in KERAS_PROBABILITY_LOSSES and use.from_logits is False and activation == "linear":
                yield Finding(f"{model.name} outputs raw scores (its last layer has no activation) but loss "
                              f"{use.name} expects probabilities (from_logits=False, the default): training does "
                              f"not converge or gives NaN; pass from_logits=True to the loss, or add a "
                              f"{'sigmoid' if use.name.startswith('binary') else 'softmax'} activation", use.site)
            elif use.name in _NEEDS and activation not in (_NEEDS[use.name], "relu"):
                needed = _NEEDS[use.name]
                got = "raw scores" if activation == "linear" else f"{activation} probabilities"
                fix = ("end with log_softmax, or use cross_entropy on the raw scores" if needed == "log_softmax"
                       else "end with sigmoid, or use BCEWithLogitsLoss on the raw scores")
                yield Finding(f"{model.name} outputs {got} but {use.name} expects "
                              f"{'log-probabilities' if needed == 'log_softmax' else 'probabilities'}: {fix}",
                              use.site)
