"""The rule interface: one small class per check, reading a traced model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Optional

from ..graph import ModelGraph, Problem, ProblemKind, Tensor


@dataclass
class Finding:
    """What a rule reports; the runner turns it into a positioned Diagnostic."""

    message: str
    site: Any  # CST node; None means the model's definition
    fix: Any = None  # a cnnlint.fixes.Fix of NodeEdits (cnnlint.fixes.edits): what resolves it, or why nothing can
    #: (CST node, message) pairs: other places that explain the finding
    related: tuple = ()


@dataclass
class RuleContext:
    max_params: Optional[int] = None
    max_macs: Optional[int] = None
    #: the parsed file (``cnnlint.parsing.Source``): function bodies are parsed apart from the skeleton
    source: Any = None


class Rule:
    code = ""
    name = ""  # kebab-case, accepted wherever codes are
    severity = "error"
    default_enabled = True
    summary = ""
    #: configuration keys the rule reads, listed in its document
    options: tuple = ()
    #: reported by the runner for a whole file, not by reading a model
    file_level = False

    def check(self, model: ModelGraph, ctx: RuleContext) -> Iterable[Finding]:
        return ()


def consumers(model: ModelGraph) -> dict:
    """id(tensor) -> the nodes that read it."""
    found: dict = {}
    for node in model.nodes:
        for tensor in node.inputs:
            found.setdefault(id(tensor), []).append(node)
    return found


class ProblemRule(Rule):
    """Reports the Problems of one kind, where they arose; the kind names this rule's code."""

    problem_kind: ProblemKind

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.problem_kind.code != cls.code:
            raise TypeError(f"{cls.__name__} reports {cls.problem_kind.name} problems, which belong to "
                            f"{cls.problem_kind.code}, not {cls.code}")

    def check(self, model: ModelGraph, ctx: RuleContext) -> Iterable[Finding]:
        for finding, _, _ in self.findings(model):
            yield finding

    def findings(self, model: ModelGraph):
        """(finding, node, fact) for each problem of this kind: a rule adding fixes reads the node and fact."""
        for node in model.nodes:
            for fact in node.facts:
                if isinstance(fact, Problem) and fact.kind is self.problem_kind:
                    yield Finding(fact.message + fact.hint + self.cause(model, node), fact.site or node.site,
                                  related=_origins(node)), node, fact

    def cause(self, model: ModelGraph, node) -> str:
        """A hint naming a well-known slip behind the problem, or ""."""
        return ""


def _origins(node) -> tuple:
    """Where the layer is applied and the applications that produced its inputs."""
    found = [(node.call_site, f"{node.label or node.layer.type_name} is applied here")]
    for tensor in node.inputs:
        producer = tensor.node if isinstance(tensor, Tensor) else None
        if producer is not None and producer.call_site is not None:
            found.append((producer.call_site, f"{producer.label or producer.layer.type_name} produced its input"))
    return tuple(found)


class BudgetRule(Rule):
    """A model-wide count over the limit a configuration key sets."""

    option = ""
    quantity = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.options = (cls.option,)  # the one key its document must describe

    def measure(self, model: ModelGraph):
        raise NotImplementedError

    def check(self, model: ModelGraph, ctx: RuleContext) -> Iterable[Finding]:
        limit = getattr(ctx, self.option.replace("-", "_"))
        value = self.measure(model)
        if limit is not None and isinstance(value, int) and value > limit:
            yield Finding(f"{model.name} has {value:,} {self.quantity}, over the budget of {limit:,} ({self.option})",
                          None)
