from .. import dims
from ..fixes import UNSAFE, Fix
from .base import Finding, Rule

_FIX = {"list": "nn.ModuleList", "tuple": "nn.ModuleList", "dict": "nn.ModuleDict"}
_PARAMETER_FIX = {"list": "nn.ParameterList", "tuple": "nn.ParameterList", "dict": "nn.ParameterDict"}


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
            fix = (_PARAMETER_FIX if kinds == ["Parameter"] else _FIX)[attribute.holder]
            finding = Finding(f"{attribute.owner}.{attribute.name} is a plain {attribute.holder} of {len(hidden)} "
                              f"{'/'.join(kinds)} ({total:,} parameters): PyTorch does not register them, so "
                              f"parameters(), the optimizer, .to(device) and state_dict() never see them and they "
                              f"are never trained; use {fix}", attribute.site)
            finding.fix = _fix(attribute, fix, "Parameter" in kinds and kinds != ["Parameter"], ctx.source)
            if finding.fix.reason:
                finding.message += f"; no automatic fix: {finding.fix.reason}"
            yield finding


def _fix(attribute, container: str, mixed: bool, source):
    """The literal assigned to ``self.<name>`` wrapped in the container; unsafe: parameters() and the
    state_dict keys gain the layers, so the optimizer trains them and older checkpoints miss them."""
    import libcst as cst  # LibCST: not for cached runs

    from ..fixes.edits import AFTER, BEFORE, NodeEdit

    title = f"Wrap it in {container}(...)"
    if mixed:
        return Fix.unavailable(title, UNSAFE, "it mixes modules and parameters, which no one container holds")
    if source is None:
        return Fix.unavailable(title, UNSAFE, "the assignment is not found")
    literals = (cst.Dict, cst.DictComp) if attribute.holder == "dict" else (cst.List, cst.ListComp, cst.Tuple)
    values = _assigned(source, attribute.owner, attribute.name)
    if len(values) != 1 or not isinstance(values[0], literals):
        return Fix.unavailable(title, UNSAFE, f"self.{attribute.name} is not assigned once from a "
                                              f"{attribute.holder} written in {attribute.owner}'s methods")
    torch_nn = _torch_nn(source.module)
    if torch_nn is None:
        return Fix.unavailable(title, UNSAFE, "the file imports no name for torch.nn")
    opening = f"{torch_nn}.{container.split('.')[1]}("
    return Fix(title, UNSAFE, (NodeEdit(values[0], opening, BEFORE), NodeEdit(values[0], ")", AFTER)))


def _assigned(source, owner: str, name: str) -> list:
    """The values assigned to ``self.<name>`` in the methods of the module-level class ``owner``."""
    import libcst as cst

    values = []

    class Assignments(cst.CSTVisitor):
        def visit_Assign(self, node):
            if any(isinstance(t.target, cst.Attribute) and isinstance(t.target.value, cst.Name)
                   and t.target.value.value == "self" and t.target.attr.value == name for t in node.targets):
                values.append(node.value)

        def visit_AnnAssign(self, node):
            target = node.target
            if (isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name)
                    and target.value.value == "self" and target.attr.value == name and node.value is not None):
                values.append(node.value)

    for cls in source.module.body:
        if isinstance(cls, cst.ClassDef) and cls.name.value == owner:
            for method in cls.body.body:
                if isinstance(method, cst.FunctionDef):
                    body = source.body(method)
                    if body is not None:
                        body.visit(Assignments())
    return values


def _torch_nn(module):
    """How the file names ``torch.nn``: ``nn`` (``from torch import nn``, ``import torch.nn as nn``), or
    ``torch.nn`` after ``import torch``."""
    import libcst as cst

    def dotted(name) -> str:
        return cst.Module([]).code_for_node(name) if name is not None else ""

    spelled = None
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.ImportFrom) and not small.relative and dotted(small.module) == "torch" \
                    and not isinstance(small.names, cst.ImportStar):
                for alias in small.names:
                    if dotted(alias.name) == "nn":
                        return alias.asname.name.value if alias.asname else "nn"
            elif isinstance(small, cst.Import):
                for alias in small.names:
                    imported = dotted(alias.name)
                    if imported == "torch.nn" and alias.asname:
                        return alias.asname.name.value
                    if imported in ("torch", "torch.nn") and alias.asname is None:
                        spelled = spelled or "torch.nn"
    return spelled

