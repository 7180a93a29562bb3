from .base import Finding, Rule


class AnalysisIncomplete(Rule):
    """cnnlint could not follow the model to the end; what it prints after that point is unknown."""

    code = "CNN900"
    name = "analysis-incomplete"
    severity = "info"
    summary = "the analysis of a model stopped early"

    def check(self, model, ctx):
        seen = set()
        problems = list(model.stopped) + [
            (fact, node) for node in model.nodes for fact in node.facts if getattr(fact, "kind", None) == "unresolved"
        ]
        for item in problems:
            fact, node = item if isinstance(item, tuple) else (item, None)
            if fact.message in seen:
                continue
            seen.add(fact.message)
            yield Finding(fact.message, fact.site or (node.site if node else None))
