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


#: activations that zero every negative value: what an op identity on non-negatives changed (a negative made
#: another value <= 0) reads back the same through them (relu(leaky_relu(x)) = relu(x))
_ZEROES_NEGATIVE = {"relu", "relu6"}
#: ops that move values without changing them, followed to what reads their result
_MOVES_VALUES = {"cat", "concat", "concatenate"}


def read_only_through_relu(t, position: int, model, readers: dict, returned: set) -> bool:
    """Every read of ``t`` after ``position`` goes through a ReLU first, directly or through a concatenation
    (pix2pix's U-Net skip: an in-place LeakyReLU overwrites the block's input, which the outer block
    concatenates and rectifies: the outputs are bit-identical)."""
    if id(t) in returned:
        return False
    for later in (p for p in readers.get(id(t), ()) if p > position):
        reader = model.nodes[later]
        kind = reader.layer.type_name.lower()
        if kind in _ZEROES_NEGATIVE:
            continue
        if kind not in _MOVES_VALUES or reader.output_tensor is None or not read_only_through_relu(
                reader.output_tensor, later, model, readers, returned):
            return False
    return True


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

            harmless = (node.layer.type_name.lower() in _IDENTITY_ON_NON_NEGATIVE
                        and read_only_through_relu(before, position, model, readers, returned))
            if read_later(after) and read_later(before) and not harmless:
                label = f" '{node.label}'" if node.label and node.label != node.layer.type_name else ""
                yield Finding(f"{node.layer.type_name}{label} works in place: it overwrites its input, which is "
                              f"read again afterwards (a residual shortcut, a saved activation) and silently gets "
                              f"the changed values; make this op out-of-place (inplace=False, relu() instead of "
                              f"relu_(), x = x + y), or clone the input first", node.call_site or node.site)
