from .base import BudgetRule


class TooManyMacs(BudgetRule):
    """One forward pass costs more multiply-accumulates than the configured budget."""

    code = "CNN202"
    name = "too-many-macs"
    severity = "error"
    summary = "multiply-accumulates per sample over max-macs"
    option = "max-macs"
    quantity = "multiply-accumulates per sample"

    def measure(self, model):
        return model.macs()
