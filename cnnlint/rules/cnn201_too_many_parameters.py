from .base import BudgetRule


class TooManyParameters(BudgetRule):
    """The model's total parameter count exceeds the configured budget."""

    code = "CNN201"
    name = "too-many-parameters"
    severity = "error"
    summary = "total parameters over max-params"
    option = "max-params"
    quantity = "parameters"

    def measure(self, model):
        return model.weights().total
