from .. import dims
from ..engine.base import format_shape
from ..engine.core import Dense
from .base import Finding, Rule


class DenseOnFeatureMap(Rule):
    """A Keras Dense applied to a spatial feature map: it maps each position separately.

    Only when the model's output is still a feature map: a model that pools or
    flattens later (ConvNeXt's pointwise MLP blocks) uses Dense per position on purpose.
    """

    code = "CNN302"
    name = "dense-on-feature-map"
    severity = "warning"
    summary = "a Keras Dense applied to a feature map of rank 3 or more (a forgotten Flatten)"

    def check(self, model, ctx):
        if model.outputs and all(out.rank is not None and out.rank < 4 for out in model.outputs):
            return  # pooled or flattened later: per-position Dense on purpose
        for node in model.nodes:
            if not isinstance(node.layer, Dense) or node.layer.framework != "keras" or not node.inputs:
                continue
            x, out = node.inputs[0], node.output_tensor
            if x.rank is None or x.rank < 4 or out is None or out.shape is None:
                continue
            positions = "·".join(dims.render(d) for d in x.shape[1:-1])
            yield Finding(
                f"{node.layer.type_name} is applied to a feature map of shape {format_shape(x.shape[1:])}: it maps "
                f"each of the {positions} positions separately and outputs {format_shape(out.shape[1:])}; add "
                f"Flatten() or a global pooling layer before it", node.site, _suggestion(model, node))


def _suggestion(model, node):
    """A ``Flatten()`` before the Dense, shown (SARIF, editors) but never applied: pooling may be meant."""
    import libcst as cst  # LibCST: not for cached runs

    from ..fixes import DISPLAY_ONLY, Fix
    from ..fixes.edits import AFTER, BEFORE, BEFORE_LINE, NodeEdit

    dense = node.site
    if not isinstance(dense, cst.Call):
        return None
    func = dense.func
    flatten = (cst.Module([]).code_for_node(func.value) + ".Flatten()" if isinstance(func, cst.Attribute)
               else "Flatten()")
    title = f"Insert {flatten} before the Dense"
    call = node.call_site
    if isinstance(call, cst.Call) and call.func is dense and call.args:  # functional: Dense(10)(x)
        tensor = call.args[0].value
        return Fix(title, DISPLAY_ONLY, (NodeEdit(tensor, flatten + "(", BEFORE), NodeEdit(tensor, ")", AFTER)))
    for arg in getattr(model.site, "args", ()):  # Sequential([...]): a new element before it
        elements = getattr(arg.value, "elements", ())
        for i, element in enumerate(elements):
            if element.value is dense:
                comma = elements[i - 1].comma if i else None
                own_line = isinstance(getattr(comma, "whitespace_after", None), cst.ParenthesizedWhitespace)
                if own_line:
                    return Fix(title, DISPLAY_ONLY, (NodeEdit(dense, flatten + ",", BEFORE_LINE),))
                return Fix(title, DISPLAY_ONLY, (NodeEdit(dense, flatten + ", ", BEFORE),))
    return None
