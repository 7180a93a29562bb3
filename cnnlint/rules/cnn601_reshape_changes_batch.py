from .. import dims
from ..engine.base import format_shape
from ..engine.conv import Conv
from ..engine.core import Dense, Flatten
from ..engine.reshaping import View
from .base import Finding, Rule, consumers

BATCH = dims.Expr.symbol("batch")
#: how each framework keeps the batch while flattening a sample (Keras' Flatten and Reshape layers always do)
_KEEP_BATCH = {"torch": "torch.flatten(x, 1) or x.view(x.size(0), -1)",
               "keras": "keras.layers.Flatten(), or keras.layers.Reshape, whose target leaves the batch out"}


def _suffix_products(sizes) -> set:
    found, total = set(), 1
    for size in reversed(sizes):
        total *= size
        found.add(total)
    return found


def _batch_input(node):
    """The input and its per-sample size, when axis 0 is exactly the model's batch and the rest is known."""
    if len(node.inputs) != 1 or node.output_tensor is None:
        return None, None
    x = node.inputs[0]
    if x.shape is None or len(x.shape) < 2 or x.shape[0] != BATCH or not all(dims.is_known(d) for d in x.shape[1:]):
        return None, None
    return x, dims.product(x.shape[1:])


class ReshapeChangesBatch(Rule):
    """A view/reshape/flatten whose result folds the batch axis into the features, or samples into rows."""

    code = "CNN601"
    name = "reshape-changes-batch"
    severity = "warning"
    summary = "view/reshape/flatten that silently changes the batch size"

    def check(self, model, ctx):
        readers = consumers(model)
        for node in model.nodes:
            layer = node.layer
            if layer.framework not in _KEEP_BATCH or not isinstance(layer, (View, Flatten)):
                continue
            x, per_sample = _batch_input(node)
            out = node.output_tensor
            if x is None or out.shape is None or per_sample <= 1:
                continue
            if len(out.shape) == 1:
                if any(isinstance(c.layer, (Dense, Conv)) for c in readers.get(id(out), [])):
                    yield Finding(f"{layer.type_name} turns {format_shape(x.shape)} into one vector of "
                                  f"{dims.render(out.shape[0])} values: the batch axis is flattened too, and the "
                                  f"layer after it sees one sample; flatten from axis 1 ({_KEEP_BATCH[layer.framework]})",
                                  node.call_site or node.site)
                continue
            if not isinstance(layer, View) or layer.target[:1] != (-1,):
                continue
            rest = layer.target[1:]
            if not rest or not all(dims.is_known(d) for d in rest):
                continue
            row = dims.product(rest)
            if row >= per_sample or per_sample % row or row in _suffix_products(x.shape[1:]):
                continue
            yield Finding(f"{layer.type_name}(-1, {', '.join(str(d) for d in rest)}) on samples of "
                          f"{format_shape(x.shape[1:])} = {per_sample} values makes {per_sample // row} rows of "
                          f"{row} per sample: the batch of N becomes {per_sample // row}·N, silently, and each row "
                          f"holds part of a sample; keep the batch with {_KEEP_BATCH[layer.framework]}",
                          node.call_site or node.site)
