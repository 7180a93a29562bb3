from ..graph import IN_PLACE, Tensor
from .activations import applied_activation
from .base import Finding, Rule

#: in-place ops that leave every value >= 0 as it is (ReLU(x) = LeakyReLU(x) = ELU(x) = x for x >= 0)
_IDENTITY_ON_NON_NEGATIVE = {"relu", "leakyrelu", "leaky_relu", "elu", "celu", "rrelu"}
#: activations whose every output value is >= 0
_NON_NEGATIVE = {"relu", "sigmoid", "softmax"}


def rewrites_same_values(node) -> bool:
    """The op writes back exactly the values its input holds: a ReLU on what a ReLU (or softmax) produced.

    The input is overwritten, but with itself: a later read sees no change (pytorchcv's LFFD applies an
    in-place ReLU to a residual unit's rectified output that it also keeps for the detection heads).
    """
    source = node.inputs[0]
    return (node.layer.type_name.lower() in _IDENTITY_ON_NON_NEGATIVE and isinstance(source, Tensor)
            and source.node is not None and applied_activation(source.node) in _NON_NEGATIVE)


class InplaceClobbersLiveTensor(Rule):
    """An in-place op whose input is read again afterwards: the later read sees the changed values."""

    code = "CNN604"
    name = "inplace-clobbers-live-tensor"
    severity = "warning"
    summary = "an in-place op (inplace=True, relu_(), +=) on a tensor that is used again later"

    def check(self, model, ctx):
        readers: dict = {}  # id(tensor) -> positions of the nodes reading it
        for position, node in enumerate(model.nodes):
            for t in node.inputs:
                readers.setdefault(id(t), []).append(position)
        returned = {id(t) for t in model.outputs}
        for position, node in enumerate(model.nodes):
            if not any(fact is IN_PLACE for fact in node.facts) or not node.inputs or node.output_tensor is None:
                continue
            before, after = node.inputs[0], node.output_tensor
            if before is after or rewrites_same_values(node):
                continue

            def read_later(t):
                return id(t) in returned or any(p > position for p in readers.get(id(t), ()))

            if read_later(after) and read_later(before):
                label = f" '{node.label}'" if node.label and node.label != node.layer.type_name else ""
                yield Finding(f"{node.layer.type_name}{label} works in place: it overwrites its input, which is "
                              f"read again afterwards (a residual shortcut, a saved activation) and silently gets "
                              f"the changed values; make this op out-of-place (inplace=False, relu() instead of "
                              f"relu_(), x = x + y), or clone the input first", node.call_site or node.site)
