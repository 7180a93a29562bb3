"""What the model's modules hold in their attributes and whether ``forward`` used them.

The module-structure rules (plain containers, repeated instances, unused
submodules) read these facts; the torch front end gathers them after a trace.
"""

from __future__ import annotations

import re
from collections import Counter

from ... import dims
from ...evaluator.values import Instance
from ...graph import HeldModule, ModuleAttribute
from ..base import LayerObject
from .models import ModuleContainer, ParameterTensor, is_module_class

_WORD = re.compile(r"[A-Za-z_]\w*")
_ASSIGNED = re.compile(r"\.([A-Za-z_]\w*)\s*(?::[^=\n]*)?=(?!=)")


class ModuleFacts:
    """A mixin of the torch front end: it walks modules with the front end's own ``walk``/``children``."""

    def module_attributes(self, interp, root, nodes) -> list:
        """What the model's modules hold in their attributes, and whether the trace used it.

        Parameter counts cost a walk of each module's subtree: they are counted for what a rule may
        report (held in a plain container, held twice, never run), None elsewhere.
        """
        ran = {id(n.layer) for n in nodes}
        modules = [root] + [m for _, m in self.walk(root)]
        registered = {id(m) for m in modules}
        used: dict = {}

        def applied(m) -> bool:
            if id(m) not in used:
                used[id(m)] = False  # a module that holds itself
                used[id(m)] = self.ran(m, ran) or any(applied(c) for _, c in self.children(m))
            return used[id(m)]

        def held(items, plain: bool) -> list:
            ids = [id(v) for v in items]
            return [HeldModule(self.type_name(v), self.params(v) if plain or ids.count(id(v)) > 1 or not applied(v)
                               else None, id(v), id(v) in registered, applied(v)) for v in items]

        found = []
        if isinstance(root, ModuleContainer):  # nn.Sequential(*([block] * 5)) built directly
            items = [v for v in root.items() if self.is_module(v)]
            found.append(ModuleAttribute(root.kind, "", root.kind, held(items, False), True, root.site))
        for module in modules:
            if not isinstance(module, Instance) or not is_module_class(module.cls):
                continue
            for name, value in module.attrs.items():
                if isinstance(value, ModuleContainer):
                    holder, items = value.kind, [v for v in value.items() if self.is_module(v)] or [value]
                elif self.is_module(value):
                    holder, items = "module", [value]
                elif isinstance(value, (list, tuple, dict)):
                    holder = type(value).__name__
                    items = [v for v in (value.values() if isinstance(value, dict) else value)
                             if self.is_module(v) or isinstance(v, ParameterTensor)]
                else:
                    continue
                if items:
                    site = getattr(value, "site", None) or getattr(items[0], "site", None)
                    found.append(ModuleAttribute(module.cls.name, name, holder,
                                                 held(items, holder in ("list", "tuple", "dict")),
                                                 self.referenced(interp, module.cls, name), site))
        return found

    def type_name(self, value) -> str:
        if isinstance(value, LayerObject):
            return value.engine.type_name
        if isinstance(value, ModuleContainer):
            return value.kind
        return value.cls.name if isinstance(value, Instance) else "Parameter"

    def params(self, value):
        """Parameters a module holds (each once), None when not known."""
        total = 0
        for m in [value] + [m for _, m in self.walk(value)]:
            if isinstance(m, LayerObject):
                total = dims.add(total, m.engine.declared.total if m.engine.declared else None)
            elif isinstance(m, ParameterTensor):
                total = dims.add(total, m.layer.declared.total)
            if id(m) in self._base_layers:
                layer = self._base_layers[id(m)][1].engine
                total = dims.add(total, layer.declared.total if layer.declared else None)
        return total

    def ran(self, module, ran: set) -> bool:
        """The module itself ran in the trace (a parameter counts as used: its reads are not traced)."""
        if isinstance(module, ParameterTensor):
            return True
        if isinstance(module, LayerObject) and id(module.engine) in ran:
            return True
        row = self._rows.get(id(module))
        base = self._base_layers.get(id(module))
        return (row is not None and id(row) in ran) or (base is not None and id(base[1].engine) in ran)

    def referenced(self, interp, cls, name: str) -> bool:
        """The attribute's name appears in the file other than where it is assigned (True when not known)."""
        if getattr(cls, "module", None) is not interp:
            return True
        if self._words is None or self._words[0] is not interp:
            text = interp.source.text
            self._words = (interp, Counter(_WORD.findall(text)), Counter(_ASSIGNED.findall(text)))
        _, words, assigned = self._words
        return not words or words[name] > assigned[name]
