from .base import Finding, Rule

_FUNCTIONAL_DROPOUT = {"dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout"}


class FunctionalDropoutIgnoresEval(Rule):
    """``F.dropout`` in forward without ``training=``: it defaults to True, even after ``model.eval()``."""

    code = "CNN504"
    name = "functional-dropout-ignores-eval"
    severity = "warning"
    summary = "F.dropout without training=self.training stays active after model.eval()"

    def check(self, model, ctx):
        for node in model.nodes:
            layer = node.layer
            if layer.framework != "torch" or layer.type_name not in _FUNCTIONAL_DROPOUT:
                continue
            if "training" in layer.passed or layer.passed.get("p") in (0, 0.0):
                continue  # an explicit training=True is Monte Carlo dropout, on purpose
            yield Finding(f"F.{layer.type_name}() without training= defaults to training=True: it keeps zeroing "
                          f"activations after model.eval(), so evaluation and inference are random; pass "
                          f"training=self.training, or use an nn.Dropout module", node.call_site or node.site)
