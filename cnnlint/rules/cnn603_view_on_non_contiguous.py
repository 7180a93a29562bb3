from ..engine import layout
from ..engine.base import format_shape
from ..engine.reshaping import View
from ..fixes import SAFE, Fix
from .base import Finding, Rule


def _restrided_by(tensor) -> str:
    """The op that made the tensor a strided view (transpose, permute, expand...)."""
    node = tensor.node
    while node is not None and node.layer.type_name in ("view",) and node.inputs:
        node = node.inputs[0].node
    return node.layer.type_name if node is not None else "a view"


class ViewOnNonContiguous(Rule):
    """``Tensor.view`` on a tensor that transpose/permute/expand left non-contiguous: PyTorch raises."""

    code = "CNN603"
    name = "view-on-non-contiguous"
    severity = "error"
    summary = "view() on a tensor made non-contiguous by transpose/permute/expand"

    def check(self, model, ctx):
        for node in model.nodes:
            if not isinstance(node.layer, View) or node.layer.type_name != "view" or len(node.inputs) != 1:
                continue
            x, out = node.inputs[0], node.output_tensor
            if not isinstance(x.strides, tuple) or out is None or out.shape is None:
                continue
            if layout.view_possible(x.shape, x.strides, out.shape) is not False:
                continue
            finding = Finding(f"view{format_shape(out.shape)} on a tensor of shape {format_shape(x.shape)} that "
                              f"{_restrided_by(x)} left non-contiguous raises 'view size is not compatible with "
                              f"input tensor's size and stride'; use reshape(...), or .contiguous().view(...)",
                              node.call_site or node.site)
            finding.fix = _fix(node.call_site or node.site)
            if finding.fix.reason:
                finding.message += f"; no automatic fix: {finding.fix.reason}"
            yield finding


def _fix(call):
    """``.view(`` becomes ``.reshape(``; safe: reshape gives the same values, copying only when a view cannot."""
    import libcst as cst  # LibCST: not for cached runs

    from ..fixes.edits import NodeEdit

    title = "Use reshape"
    func = getattr(call, "func", None)
    if not isinstance(func, cst.Attribute) or func.attr.value != "view":
        return Fix.unavailable(title, SAFE, "the view is not written as a `.view(...)` call")
    return Fix(title, SAFE, (NodeEdit(func.attr, "reshape"),))
