from ..fixes import SAFE, Fix
from .base import Finding, Rule

_FUNCTIONAL_DROPOUT = {"dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout"}


class FunctionalDropoutIgnoresEval(Rule):
    """``F.dropout`` in forward without ``training=``: it defaults to True, even after ``model.eval()``."""

    code = "CNN504"
    name = "functional-dropout-ignores-eval"
    severity = "warning"
    summary = "F.dropout without training=self.training stays active after model.eval()"

    def check(self, model, ctx):
        for node in model.nodes:
            layer = node.layer
            if layer.framework != "torch" or layer.type_name not in _FUNCTIONAL_DROPOUT:
                continue
            if "training" in layer.passed or layer.passed.get("p") in (0, 0.0):
                continue  # an explicit training=True is Monte Carlo dropout, on purpose
            finding = Finding(f"F.{layer.type_name}() without training= defaults to training=True: it keeps zeroing "
                              f"activations after model.eval(), so evaluation and inference are random; pass "
                              f"training=self.training, or use an nn.Dropout module", node.call_site or node.site)
            finding.fix = _fix(model, node, ctx.source)
            if finding.fix.reason:
                finding.message += f"; no automatic fix: {finding.fix.reason}"
            yield finding


def _fix(model, node, source):
    """``training=self.training`` added to the call; safe: in training mode nothing changes, and in
    evaluation mode the call does what ``model.eval()`` asks for."""
    import libcst as cst  # LibCST: not for cached runs

    from ..fixes.edits import keyword_edit

    title = "Pass training=self.training"
    arguments = node.layer.arguments
    if arguments is None or not arguments.faithful:
        return Fix.unavailable(title, SAFE, "the call's arguments are forwarded (*args, **kwargs or a partial)")
    call = arguments.call
    cls = model.site if isinstance(model.site, cst.ClassDef) else None
    method = next((m for m in _methods(cls) if _contains(source.body(m) if source is not None else m.body, call)), None)
    first = method.params.params[0].name.value if method is not None and method.params.params else None
    if first != "self":
        return Fix.unavailable(title, SAFE, f"the call is not in a method of {model.name} that takes self "
                                            f"(a function or another class); pass the module's training flag there")
    edit = keyword_edit(call, "training", "self.training")
    return Fix(title, SAFE, (edit,)) if edit else Fix.unavailable(title, SAFE, "the call has no arguments")


def _methods(cls) -> list:
    """The methods a class body defines (decorated ones too: a staticmethod has no ``self`` to read)."""
    import libcst as cst

    if cls is None:
        return []
    return [s for s in cls.body.body if isinstance(s, cst.FunctionDef)
            and not any(getattr(d.decorator, "value", None) in ("staticmethod", "classmethod")
                        for d in s.decorators)]


def _contains(body, target) -> bool:
    """Whether ``target`` (a node, compared by identity) is in a method's body, outside nested classes."""
    import libcst as cst

    found = False

    class Finder(cst.CSTVisitor):
        def on_visit(self, node):
            nonlocal found
            if node is target:
                found = True
            return not found and not isinstance(node, cst.ClassDef)

    if body is not None:
        body.visit(Finder())
    return found
