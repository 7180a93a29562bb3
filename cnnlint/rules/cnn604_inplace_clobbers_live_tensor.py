from ..graph import IN_PLACE
from .base import Finding, Rule


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
            if before is after:
                continue

            def read_later(t):
                return id(t) in returned or any(p > position for p in readers.get(id(t), ()))

            if read_later(after) and read_later(before):
                label = f" '{node.label}'" if node.label and node.label != node.layer.type_name else ""
                yield Finding(f"{node.layer.type_name}{label} works in place: it overwrites its input, which is "
                              f"read again afterwards (a residual shortcut, a saved activation) and silently gets "
                              f"the changed values; make this op out-of-place (inplace=False, relu() instead of "
                              f"relu_(), x = x + y), or clone the input first", node.call_site or node.site)
