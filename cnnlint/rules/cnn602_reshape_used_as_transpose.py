from .. import dims
from ..engine.base import format_shape
from ..engine.reshaping import Reshape, View
from .base import Finding, Rule


def _reordering(old: tuple, new: tuple):
    """How ``new`` reorders the axes of ``old`` (distinct sizes only), or None."""
    if len(set(old)) != len(old):
        return None
    return [old.index(size) for size in new]


def _swap(framework: str, order):
    """The call that moves the axes as the reshape seems to intend."""
    keras = framework == "keras"
    if order is None:
        return "keras.layers.Permute or keras.ops.transpose" if keras else "transpose/permute"
    axes = [0] + [i + 1 for i in order]
    if keras:  # Permute numbers the axes of a sample from 1
        return (f"keras.layers.Permute({tuple(axes[1:])}) or keras.ops.transpose(x, {tuple(axes)})")
    moved = [i for i, a in enumerate(axes) if a != i]
    return f"x.transpose({moved[0]}, {moved[1]})" if len(moved) == 2 else f"x.permute({', '.join(map(str, axes))})"


class ReshapeUsedAsTranspose(Rule):
    """``view``/``reshape`` to a permutation of the sample's sizes: the data is regrouped, not transposed."""

    code = "CNN602"
    name = "reshape-used-as-transpose"
    severity = "warning"
    summary = "view/reshape to reordered sizes, where transpose/permute was meant"

    def check(self, model, ctx):
        for node in model.nodes:
            if not isinstance(node.layer, (View, Reshape)) or len(node.inputs) != 1 or node.output_tensor is None:
                continue
            x, out = node.inputs[0], node.output_tensor
            if x.shape is None or out.shape is None or len(x.shape) != len(out.shape) or len(x.shape) < 3:
                continue
            if not dims.definitely_equal(x.shape[0], out.shape[0]) or "batch" not in dims.symbols(x.shape[0]):
                continue
            old, new = tuple(x.shape[1:]), tuple(out.shape[1:])
            if not all(dims.is_known(d) for d in old + new) or sorted(old) != sorted(new) or old == new:
                continue
            if len(set(old)) < 2:
                continue
            order = _reordering(old, new)
            fix = _swap(node.layer.framework, order)
            yield Finding(f"{node.layer.type_name} turns {format_shape(x.shape)} into {format_shape(out.shape)}: "
                          f"the same sizes in another order, but {node.layer.type_name} keeps the memory order, so "
                          f"values are regrouped, not moved between axes (no error is raised); to swap axes use "
                          f"{fix}", node.call_site or node.site)
