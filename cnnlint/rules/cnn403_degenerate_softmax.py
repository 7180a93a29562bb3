from .. import dims
from ..engine.attention import MultiHeadAttention
from ..engine.base import format_shape
from ..engine.recurrent import Recurrent
from ..fixes import UNSAFE, Fix
from .activations import applied_activation
from .base import Finding, Rule

_SOFTMAX_OPS = {"softmax", "log_softmax", "softmin", "logsoftmax"}


def _softmax_axis(node, rank: int):
    """The axis a softmax normalises over (batch included), with whether the code left it implicit."""
    layer = node.layer
    if layer.framework == "keras":
        given = layer.passed.get("args") or (layer.passed.get("kwargs") or {}).get("axis", -1),
        axis = given[0] if layer.type_name == "Softmax" else -1
        return (axis % rank if isinstance(axis, int) else None), False
    dim = layer.passed.get("dim")
    if dim is None:  # PyTorch's _get_softmax_dim: 0 for ranks 0, 1 and 3, else 1
        return (0 if rank in (0, 1, 3) else 1), True
    return (dim % rank if isinstance(dim, int) and not isinstance(dim, bool) and -rank <= dim < rank else None), False


def _time_first(model) -> bool:
    """A recurrent or attention layer reads axis 0 as time: axis 0 may not be the batch."""
    return any(isinstance(n.layer, (Recurrent, MultiHeadAttention)) and not n.layer.batch_first
               and n.layer.framework == "torch" for n in model.nodes)


class DegenerateSoftmax(Rule):
    """Softmax over an axis of size 1 (always 1.0), or over the batch axis."""

    code = "CNN403"
    name = "degenerate-softmax"
    severity = "warning"
    summary = "softmax over an axis of size 1 or over the batch axis"

    def check(self, model, ctx):
        time_first = None
        for node in model.nodes:
            out = node.output_tensor
            if out is None or not out.shape or (node.layer.type_name.lower() not in _SOFTMAX_OPS
                                                 and applied_activation(node) != "softmax"):
                continue
            rank = len(out.shape)
            axis, implicit = _softmax_axis(node, rank)
            if axis is None:
                continue
            shown = format_shape(out.shape)
            if out.shape[axis] == 1 and not model.input_solved:  # not a size of an input cnnlint guessed
                yield Finding(f"softmax over an axis of size 1 ({shown}, axis {axis}) always outputs 1.0, whatever "
                              f"the input: use sigmoid for one output unit, or give the axis its classes",
                              node.call_site or node.site)
            elif axis == 0 and rank >= 2 and "batch" in dims.symbols(out.shape[0]):
                if time_first is None:
                    time_first = _time_first(model)
                if time_first:
                    continue
                how = "the implicit dim PyTorch picks for a rank-3 input is 0" if implicit else "dim=0"
                finding = Finding(f"softmax normalises {shown} over the batch axis ({how}): each sample's scores "
                                  f"depend on the rest of the batch; use dim=-1 (or the class axis)",
                                  node.call_site or node.site)
                if implicit:
                    finding.fix = _fix(model, node)
                    if finding.fix.reason:
                        finding.message += f"; no automatic fix: {finding.fix.reason}"
                yield finding


def _fix(model, node):
    """``dim=-1`` where PyTorch's implicit dim is the batch axis: the last axis is where the classes of a
    (batch, time, classes) tensor lie; unsafe, as the outputs change (the point of the fix)."""
    import libcst as cst  # LibCST: not for cached runs

    from ..fixes.edits import NodeEdit, keyword_edit

    title = "Pass dim=-1"
    arguments = node.layer.arguments
    if arguments is None or not arguments.faithful and getattr(arguments.call, "args", None):
        return Fix.unavailable(title, UNSAFE, "the call's arguments are forwarded (*args, **kwargs or a partial)")
    ranks = {len(n.output_tensor.shape) for n in model.nodes if (n.layer is node.layer or n.site is node.site)
             and n.output_tensor is not None and n.output_tensor.shape is not None}
    if max(ranks) > 3:
        return Fix.unavailable(title, UNSAFE, "the same softmax also takes a tensor of rank 4 or more, whose "
                                              "implicit dim is 1 (the channels), not the last axis")
    call = arguments.call
    if not isinstance(call, cst.Call):
        return Fix.unavailable(title, UNSAFE, "the softmax is not built by a call written here")
    edit = keyword_edit(call, "dim", "-1")
    if edit is None:  # nn.Softmax(): the whole call, written again with the argument
        edit = NodeEdit(call, cst.Module([]).code_for_node(call.func) + "(dim=-1)")
    return Fix(title, UNSAFE, (edit,))
