"""Tracing a model without a declared input: the size its first layer asks for, and the sizes the code implies.

The first layer that declares its input (a convolution's channels, a linear
layer's features) gives the input's channels; spatial sizes stay symbolic
and the sizes the rest of ``forward`` implies are solved for (engine/implied.py).
"""

from __future__ import annotations

from itertools import islice
from typing import Optional

from ... import dims
from ...engine import implied
from ...engine.base import render_product
from ...graph import BATCH, ModelGraph, Problem, ProblemKind, Window
from ..base import Candidate

#: how many implied input sizes are re-traced before giving up on finding a clean one
IMPLIED_ATTEMPTS = 8
#: the input's channels, when the first declared size is not theirs (a space-to-depth stem comes before it)
CHANNEL_SYMBOL = "C"
CHANNELS = dims.Expr.symbol(CHANNEL_SYMBOL)
#: the sequence axis a linear layer's features may come with
SEQUENCE = dims.Expr.symbol("L")


class SpecFound(BaseException):
    """Ends a probe trace at the first layer that says what input it takes (not an error)."""

    def __init__(self, spec: tuple, layer):
        super().__init__()
        self.spec = spec
        self.layer = layer


def _errors(graph: ModelGraph) -> set:
    """The error-level problems of a trace, by where they are and what they say."""
    return {(id(node.site), fact.message) for node in graph.nodes for fact in node.facts
            if isinstance(fact, Problem) and fact.kind.is_error}


def has_errors(graph: ModelGraph) -> bool:
    for node in graph.nodes:
        for fact in node.facts:
            if isinstance(fact, Problem) and fact.kind.is_error:
                return True
            if isinstance(fact, Window) and isinstance(fact.output, int) and fact.output <= 0:
                return True
    return False


class ImpliedInput:
    """The front end's implied-input tracing (a mixin of TorchFrontEnd)."""

    def input_spec(self, interp, candidate: Candidate) -> Optional[tuple]:
        """The input the first layer with a declared size asks for (spatial sizes symbolic).

        The probe stops at that layer: the rest of ``forward`` cannot change the answer.
        """
        self._probing = True
        try:
            self.trace_with(interp, candidate, None)
        except SpecFound as found:
            self._spec_layer = found.layer
            return found.spec
        finally:
            self._probing = False
        return None

    def trace_implied(self, interp, candidate: Candidate) -> ModelGraph:
        spec = self.input_spec(interp, candidate)
        if spec is None:
            graph = self.trace_with(interp, candidate, None)
            graph.input_source = "unknown"
            return graph
        return self.trace_spec(interp, candidate, spec, self._spec_layer)

    def trace_spec(self, interp, candidate: Candidate, spec: tuple, spec_layer, retry: bool = True) -> ModelGraph:
        graph = self.trace_with(interp, candidate, (BATCH,) + spec)
        first = next((n for n in graph.nodes if n.layer is spec_layer), None)
        if first is not None and any(isinstance(f, Problem) and f.kind.is_error for f in first.facts):
            # what runs before that layer changes the input (a space-to-depth stem): the guess contradicts
            # itself, and an input cnnlint guessed is never a reason for an error.  The input's rank stands:
            # traced with its channels unknown too, the layer's declared size may say them (C·16 = 48)
            channels = self.channels_implied(interp, candidate, spec) if retry else None
            if channels is not None:
                graph = self.trace_spec(interp, candidate, (channels,) + spec[1:], spec_layer, retry=False)
                if not has_errors(graph):
                    return graph
            graph = self.trace_with(interp, candidate, None)
            graph.input_source = "unknown"
            return graph
        if len(spec) == 1 and (has_errors(graph) or implied.batch_as_size(graph.nodes)):
            return self.trace_sequence(interp, candidate, spec, graph)
        symbols = sorted(set().union(*(dims.symbols(d) for d in spec)), key=["L", "T", "D", "H", "W"].index)
        if not symbols:
            graph.input_source, graph.implied_input = "implied", spec
            return graph
        graph.input_source = "symbolic"
        open_sizes = implied.open_constraints(graph.nodes)
        never = [(node, c) for node, c in open_sizes if implied.impossible(c)]
        for node, c in never:
            who = getattr(node.layer, "label", "") or node.layer.type_name
            node.facts.append(Problem(ProblemKind.MISMATCH, f"{who} expects {c.expected} but receives "
                                                  f"{render_product(c.factors)}, which no input size makes "
                                                  f"{c.expected}"))
        if never or not open_sizes:
            return graph
        for env in islice(implied.solutions([c for _, c in open_sizes], symbols), IMPLIED_ATTEMPTS):
            shape = tuple(dims.evaluate(d, env) for d in spec)
            concrete = self.trace_with(interp, candidate, (BATCH,) + shape)
            if not has_errors(concrete):
                concrete.input_source, concrete.implied_input = "implied", shape
                concrete.input_solved = True
                return concrete
        return graph

    def trace_sequence(self, interp, candidate: Candidate, spec: tuple, graph: ModelGraph) -> ModelGraph:
        """A layer's features alone (a linear layer's) leave the input's rank open, and ``forward`` read the
        guess as another rank (a transpose of axis 2, its batch as features): a sequence of them, if that runs
        clean; else the guess stands only where its errors do not depend on it, and otherwise no guess."""
        sequence = self.trace_with(interp, candidate, (BATCH, SEQUENCE) + spec)
        if not has_errors(sequence) and not implied.batch_as_size(sequence.nodes):
            sequence.input_source = "symbolic"
            return sequence
        if has_errors(graph) and _errors(graph) == _errors(sequence):
            graph.input_source, graph.implied_input = "implied", spec
            return graph
        graph = self.trace_with(interp, candidate, None)
        graph.input_source = "unknown"
        return graph

    def channels_implied(self, interp, candidate: Candidate, spec: tuple) -> Optional[int]:
        """The input channels every declared size on them alone agrees on, traced with them symbolic; None
        when none does, or when none speaks of them."""
        graph = self.trace_with(interp, candidate, (BATCH, CHANNELS) + spec[1:])
        found = [c for _, c in implied.open_constraints(graph.nodes) if dims.symbols(c.got) == {CHANNEL_SYMBOL}]
        if not found or has_errors(graph):
            return None
        fitting = next(implied.solutions(found, [CHANNEL_SYMBOL]), None)
        return None if fitting is None else fitting[CHANNEL_SYMBOL]

    def add_hints(self, interp, candidate: Candidate, graph: ModelGraph) -> None:
        """To a declared size the input contradicts, add the input that would fit it."""
        wrong = [(node, fact) for node in graph.nodes for fact in node.facts
                 if isinstance(fact, Problem) and fact.kind is ProblemKind.MISMATCH
                 and any(dims.definitely_different(c.got, c.expected) for c in implied.declared_sizes(node))]
        if not wrong:
            return
        fitting = self.trace_implied(interp, candidate)
        shape = fitting.implied_input
        if fitting.input_source != "implied" or shape is None or tuple(shape) == tuple(graph.inputs[0].shape[1:]):
            return
        # functional ops build a new layer per call: match nodes by where they are defined and applied
        twins: dict = {}
        for n in fitting.nodes:
            twins.setdefault((id(n.site), id(n.call_site)), n)
        for node, fact in wrong:
            twin = twins.get((id(node.site), id(node.call_site)))
            for c in implied.declared_sizes(twin) if twin is not None else []:
                if c.got == c.expected and str(c.expected) in fact.message:
                    parts = "·".join(dims.render(f) for f in c.factors) if len(c.factors) > 1 else ""
                    equation = f"{c.expected} = {parts}" if parts else str(c.expected)
                    fact.hint = f"; {equation} matches a {'×'.join(str(d) for d in shape)} input"
                    break
