from .. import dims
from .base import Finding, Rule


class UnusedSubmodule(Rule):
    """A layer attribute that forward never uses and the file never reads: parameters counted, never trained."""

    code = "CNN503"
    name = "unused-submodule"
    severity = "warning"
    summary = "a submodule with parameters that forward never uses"

    def check(self, model, ctx):
        if model.stopped or any(t.shape is None for t in model.outputs):
            return  # forward was not followed to the end: a use may lie beyond
        for attribute in model.attributes:
            if attribute.holder in ("list", "tuple", "dict") or attribute.referenced:
                continue
            if any(item.applied for item in attribute.items):
                continue
            total = 0
            for item in attribute.items:
                total = dims.add(total, item.params)
            if not dims.is_known(total) or total == 0:
                continue
            kind = attribute.items[0].type_name if len(attribute.items) == 1 else attribute.holder
            yield Finding(f"{attribute.owner}.{attribute.name} ({kind}, {total:,} parameters) is never used by "
                          f"forward: its parameters are counted, saved and given to the optimizer but never "
                          f"trained, and DistributedDataParallel fails with 'Expected to have finished reduction'; "
                          f"remove it, or use it", attribute.site)
