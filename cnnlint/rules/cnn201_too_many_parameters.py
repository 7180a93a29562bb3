from .base import Finding, Rule


class TooManyParameters(Rule):
    """The model's total parameter count exceeds the configured budget."""

    code = "CNN201"
    name = "too-many-parameters"
    severity = "error"
    summary = "total parameters over max-params"
    options = ("max-params",)

    def check(self, model, ctx):
        total = model.weights().total
        if ctx.max_params is not None and isinstance(total, int) and total > ctx.max_params:
            yield Finding(f"{model.name} has {total:,} parameters, over the budget of {ctx.max_params:,} (max-params)",
                          None)
