from ..graph import Problem, ProblemKind, Window
from .base import Finding, Rule


def _explains(fact) -> bool:
    """An error another rule reports already says why shapes stop there."""
    return isinstance(fact, Problem) or (isinstance(fact, Window) and isinstance(fact.output, int) and fact.output <= 0)


class AnalysisIncomplete(Rule):
    """cnnlint could not follow the model to the end; what it prints after that point is unknown."""

    code = "CNN900"
    name = "analysis-incomplete"
    severity = "info"
    summary = "the analysis of a model stopped early"

    def check(self, model, ctx):
        seen = set()
        problems = list(model.stopped) + [
            (fact, node) for node in model.nodes for fact in node.facts
            if isinstance(fact, Problem) and fact.kind is ProblemKind.UNRESOLVED
        ]
        for item in problems:
            fact, node = item if isinstance(item, tuple) else (item, None)
            if fact.message in seen:
                continue
            seen.add(fact.message)
            yield Finding(fact.message, fact.site or (node.site if node else None))
        if not seen and not any(_explains(fact) for node in model.nodes for fact in node.facts):
            yield from self.unexplained(model)

    def unexplained(self, model):
        """Counts left unknown with nothing stopped: say why rather than print '?' silently."""
        outputs_unknown = any(t.shape is None for t in model.outputs)
        total = model.weights().total
        if not outputs_unknown and isinstance(total, int):
            return
        per_layer = model.layer_weights()
        uncounted = [layer for layer in model.layers
                     if per_layer.get(id(layer)) is None or per_layer[id(layer)].total is None]
        input_unknown = any(t.shape is None or not all(isinstance(d, int) for d in t.shape[1:]) for t in model.inputs)
        if not outputs_unknown and uncounted:
            kinds = ", ".join(sorted({layer.type_name for layer in uncounted}))
            why = next((layer.reason for layer in uncounted if getattr(layer, "reason", None)), "")
            yield Finding(f"the parameter count of {model.name} is not known: cnnlint cannot count the weights of "
                          f"{kinds}{f' ({why})' if why else ''}", None)
        elif input_unknown:
            yield Finding(f"the input size of {model.name} is not known, so its output shape or parameter count "
                          "cannot be exact; give one with --input-shape or '# cnnlint: input-shape=...' on the "
                          "model's definition line", None)
        else:
            yield Finding(f"cnnlint could not determine the output shape of {model.name}", None)
