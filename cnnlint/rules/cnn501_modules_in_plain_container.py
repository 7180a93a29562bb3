from .. import dims
from .base import Finding, Rule

_FIX = {"list": "nn.ModuleList", "tuple": "nn.ModuleList", "dict": "nn.ModuleDict"}


class ModulesInPlainContainer(Rule):
    """Layers or parameters kept in a plain list, tuple or dict attribute: PyTorch never registers them."""

    code = "CNN501"
    name = "modules-in-plain-container"
    severity = "warning"
    summary = "layers or parameters in a plain list/tuple/dict attribute, invisible to parameters()"

    def check(self, model, ctx):
        for attribute in model.attributes:
            if attribute.holder not in _FIX:
                continue
            hidden = [item for item in attribute.items if not item.registered]
            total = 0
            for item in hidden:
                total = dims.add(total, item.params)
            if not hidden or not dims.is_known(total) or total == 0:
                continue
            kinds = sorted({item.type_name for item in hidden})
            fix = "nn.ParameterList" if kinds == ["Parameter"] else _FIX[attribute.holder]
            yield Finding(f"{attribute.owner}.{attribute.name} is a plain {attribute.holder} of {len(hidden)} "
                          f"{'/'.join(kinds)} ({total:,} parameters): PyTorch does not register them, so "
                          f"parameters(), the optimizer, .to(device) and state_dict() never see them and they "
                          f"are never trained; use {fix}", attribute.site)
