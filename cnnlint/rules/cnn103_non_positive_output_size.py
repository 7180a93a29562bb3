from ..graph import ProblemKind, Window
from .base import Finding, ProblemRule
from .hints import channels_first_input


class NonPositiveOutputSize(ProblemRule):
    """A kernel or pool is larger than its (padded) input: the output would be empty."""

    code = "CNN103"
    name = "non-positive-output-size"
    severity = "error"
    summary = "a kernel or pool window is larger than its padded input"
    problem_kind = ProblemKind.NON_POSITIVE  # what the engine says directly (cropping, transposed sizes)

    def check(self, model, ctx):
        for node in model.nodes:
            for w in node.facts:
                if isinstance(w, Window) and isinstance(w.output, int) and w.output <= 0:
                    padded = w.size + w.pad_begin + w.pad_end
                    pad = f" + {w.pad_begin + w.pad_end}" if w.pad_begin + w.pad_end else ""
                    window = f"window {w.span}" if w.span != w.kernel else f"kernel {w.kernel}"
                    yield Finding(
                        f"{node.layer.type_name}: {window} is larger than the padded input {padded} along the "
                        f"{w.axis} axis: ({w.size}{pad} − {w.span})/{w.stride} + 1 = {w.output}"
                        f"{self.cause(model, node)}", node.site)
                    break
        yield from super().check(model, ctx)

    def cause(self, model, node) -> str:
        return channels_first_input(model)
