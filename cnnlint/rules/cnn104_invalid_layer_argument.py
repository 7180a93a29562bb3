from .base import Finding, Rule


class InvalidLayerArgument(Rule):
    """A layer is constructed with arguments the framework rejects (a stride of 0, a negative kernel...)."""

    code = "CNN104"
    name = "invalid-layer-argument"
    severity = "error"
    summary = "a layer argument the framework rejects"

    def check(self, model, ctx):
        for node in model.nodes:
            for fact in node.facts:
                if getattr(fact, "kind", None) == "invalid-argument":
                    yield Finding(fact.message, fact.site or node.site)
