from .base import Finding, Rule


class IncompatibleInput(Rule):
    """A layer receives channels, features or a rank that disagree with what it declares."""

    code = "CNN101"
    name = "incompatible-input"
    severity = "error"
    summary = "a layer's input disagrees with what the layer declares"

    def check(self, model, ctx):
        for node in model.nodes:
            for fact in node.facts:
                if getattr(fact, "kind", None) == "mismatch":
                    yield Finding(fact.message + getattr(fact, "hint", ""), fact.site or node.site)
