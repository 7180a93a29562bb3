from collections import Counter

from .. import dims
from .base import Finding, Rule


class RepeatedModuleInstance(Rule):
    """The same module object placed several times in a container: one set of weights shared by every place."""

    code = "CNN502"
    name = "repeated-module-instance"
    severity = "warning"
    summary = "one module object repeated in a Sequential/ModuleList ([block] * n): its weights are shared"

    def check(self, model, ctx):
        for attribute in model.attributes:
            if attribute.holder not in ("Sequential", "ModuleList", "ModuleDict", "list", "tuple", "dict"):
                continue
            counts = Counter(item.identity for item in attribute.items)
            reported = set()
            for item in attribute.items:
                times = counts[item.identity]
                if times < 2 or item.identity in reported or not dims.is_known(item.params) or item.params == 0:
                    continue
                reported.add(item.identity)
                where = f"{attribute.owner}.{attribute.name}" if attribute.name else attribute.owner
                yield Finding(f"one {item.type_name} object is placed {times} times in {where}: the {times} places "
                              f"share its {item.params:,} parameters, where {times} separate layers would have "
                              f"{times * item.params:,}; build a new {item.type_name} for each place "
                              f"([{item.type_name}(...) for _ in range({times})])", attribute.site)
