from ..engine.base import FRAMEWORK_NAMES
from ..graph import Window
from .base import Finding, Rule


def lost_rows(w: Window) -> int:
    """Real input rows/columns no window reads, beyond padding and by-design gaps."""
    if not isinstance(w.size, int) or not isinstance(w.output, int) or w.output <= 0:
        return 0
    if w.span < w.stride:
        return 0  # a kernel narrower than its stride skips rows on purpose
    padded = w.size + w.pad_begin + w.pad_end
    covered = (w.output - 1) * w.stride + w.span
    return max(0, padded - covered - w.pad_end - w.zero_tail)


class NonIntegerOutputSize(Rule):
    """The windows do not tile the input: the framework floors and never reads the last rows."""

    code = "CNN102"
    name = "non-integer-output-size"
    severity = "warning"
    summary = "windows do not tile the input; trailing rows/columns are never read"

    def check(self, model, ctx):
        for node in model.nodes:
            windows = [f for f in node.facts if isinstance(f, Window) and lost_rows(f) > 0]
            if not windows:
                continue
            groups: dict = {}
            for w in windows:
                key = (w.size, w.pad_begin, w.pad_end, w.span, w.stride, w.output, lost_rows(w))
                groups.setdefault(key, []).append(w.axis)
            framework = FRAMEWORK_NAMES.get(node.layer.framework, node.layer.framework)
            parts = []
            for (size, pb, pe, span, stride, out, lost), axes in groups.items():
                pad = f" + {pb + pe}" if pb + pe else ""
                exact = (size + pb + pe - span) / stride + 1
                shown = f"{exact:.4g}"
                what = " and ".join(axes)
                plural = "s" if lost > 1 else ""
                lost_text = (f"the last input {what}" if lost == 1 else f"the last {lost} input {what}{plural}")
                verb = "is" if lost == 1 and len(axes) == 1 else "are"
                parts.append(f"({size}{pad} − {span})/{stride} + 1 = {shown} is not an integer; {framework} "
                             f"floors it to {out} and {lost_text} {verb} never read")
            yield Finding(f"{node.layer.type_name}: " + "; ".join(parts), node.site)
