"""Reading LibCST nodes: names, literals, code shown in messages."""

from __future__ import annotations

import libcst as cst


def string_literal(token: str):
    """The value of a string token, decoded here rather than compiled by Python."""
    prefix_len = len(token) - len(token.lstrip("rRbBuUfF"))
    prefix, rest = token[:prefix_len].lower(), token[prefix_len:]
    quote = rest[:3] if rest[:3] in ('"""', "'''") else rest[:1]
    body = rest[len(quote):len(rest) - len(quote)]
    if "r" not in prefix and "\\" in body:
        body = body.encode("latin-1", "backslashreplace").decode("unicode_escape")
    return body.encode("latin-1", "backslashreplace") if "b" in prefix else body


def number_literal(token: str):
    text = token.replace("_", "").lower()
    if text.endswith("j"):
        return complex(0, float(text[:-1]))
    if text[:2] in ("0x", "0o", "0b"):
        return int(text, 0)
    if any(c in text for c in ".e") or text == "inf":
        return float(text)
    return int(text)


def names_only(node) -> bool:
    """``a`` or ``a.b.c``: evaluating it runs no code."""
    while isinstance(node, cst.Attribute):
        node = node.value
    return isinstance(node, cst.Name)


def dotted_name(node) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{dotted_name(node.value)}.{node.attr.value}"
    return ""


def code_of(node) -> str:
    try:
        text = cst.Module(body=[]).code_for_node(node)
    except Exception:  # noqa: BLE001 - best-effort rendering for messages
        return type(node).__name__
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


class _ClassCell(cst.CSTVisitor):
    found = False

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in ("super", "__class__"):
            self.found = True


def refers_to_class_cell(body) -> bool:
    """Whether a method's body names ``super`` or ``__class__``: CPython then gives it a ``__class__``
    variable (the class defining it), which ``locals()`` lists."""
    visitor = _ClassCell()
    body.visit(visitor)
    return visitor.found


class _Leaves(cst.CSTVisitor):
    found = False

    def visit_Break(self, node) -> None:
        self.found = True

    def visit_Continue(self, node) -> None:
        self.found = True


def leaves_early(body) -> bool:
    """Whether a loop's body has a ``break`` or ``continue`` (nested loops' included: a cautious answer)."""
    visitor = _Leaves()
    body.visit(visitor)
    return visitor.found


def block_statements(body):
    if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)):
        return body.body
    return body
