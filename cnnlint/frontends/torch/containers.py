"""Calls on ``nn.Sequential``/``ModuleList``/``ModuleDict`` values: ``append``, ``add_module``, indexing..."""

from __future__ import annotations

from ...evaluator.values import Unknown
from .models import MODULE_SELF, ContainerMethod, ModuleContainer, ParameterTensor, registration


class ContainerCalls:
    """A mixin of the torch front end: it uses the front end's ``walk``, ``parameters`` and ``call_module``."""

    def call_container_method(self, interp, method: ContainerMethod, args, kwargs, site):
        box, name = method.receiver, method.name
        if name in ("append", "extend", "insert", "add_module", "register_module", "update"):
            interp.note_change(box)
        if name == "append" and args:
            box.children[str(len(box.children))] = args[0]
            return box
        if name == "extend" and args:
            for item in interp.iterate(args[0], site) or []:
                box.children[str(len(box.children))] = item
            return box
        if name == "insert" and len(args) == 2 and isinstance(args[0], int):
            items = box.items()
            items.insert(args[0], args[1])
            box.children = {str(i): v for i, v in enumerate(items)}
            return None
        if name in ("add_module", "register_module"):
            args = registration(name, args, kwargs)
        if name in ("add_module", "register_module") and len(args) == 2:
            box.children[self.registered_name(args[0])] = args[1]
            return None
        if name in ("parameters", "requires_grad_"):
            return self.parameters(box, name, args, kwargs)
        if name == "named_parameters" and not args and not kwargs:
            return self.named_parameters(interp, box, site)
        if name == "update" and args and isinstance(args[0], dict):
            box.children.update({str(k): v for k, v in args[0].items()})
            return None
        if name in ("keys", "values", "items"):
            return list(getattr(box.children, name)())
        if name in MODULE_SELF:
            return box
        if name == "forward" and box.kind == "Sequential":  # hrnet's down.forward(y): the call, without hooks
            return self.call_module(interp, box, args, kwargs, site)
        if name in ("modules", "children", "named_modules", "named_children"):
            found = [(path, m) for path, m in self.walk(box) if name.endswith("modules") or "." not in path]
            found = [(path, m) for path, m in found if not isinstance(m, ParameterTensor)]
            if name.startswith("named"):
                return ([("", box)] if name == "named_modules" else []) + found
            return ([box] if name == "modules" else []) + [m for _, m in found]
        return Unknown(f"{box.kind}.{name}() is not modelled", site)

    def container_item(self, box: ModuleContainer, index, site):
        if isinstance(index, str):
            if index in box.children:
                return box.children[index]
            return Unknown(f"{box.kind} has no module {index!r}", site)
        items = box.items()
        if isinstance(index, slice):
            if not all(v is None or (isinstance(v, int) and not isinstance(v, bool))
                       for v in (index.start, index.stop, index.step)):
                return Unknown(f"a slice of a {box.kind} with bounds cnnlint could not compute", site)
            names = list(box.children)[index]
            return ModuleContainer(box.kind, box.site, {n: box.children[n] for n in names})
        if isinstance(index, int) and not isinstance(index, bool) and -len(items) <= index < len(items):
            return items[index]
        return Unknown(f"index {index!r} of a {box.kind} of {len(items)} modules", site)
