"""An audit hook proving that linting imports, compiles and runs none of the analysed code.

Parsing to a syntax tree (``ast.parse``, which cnnlint uses to find function
bodies) raises the same "compile" audit event as compiling to code; a
wrapper around ``compile`` tells the two apart by the PyCF_ONLY_AST flag.
"""

import ast
import builtins
import sys

violations: list = []
_compile = builtins.compile
_parsing: list = []


def _compile_watched(source, filename, mode, flags=0, *args, **kwargs):
    _parsing.append(bool(flags & ast.PyCF_ONLY_AST))
    try:
        return _compile(source, filename, mode, flags, *args, **kwargs)
    finally:
        _parsing.pop()


def install(banned: set, contents: set, paths: set) -> list:
    """Record imports of ``banned`` modules, compilation of ``contents`` or ``paths`` to code, and runs of it."""
    builtins.compile = _compile_watched

    def hook(event, args):
        if event == "import" and args[0].split(".")[0] in banned:
            violations.append(("import", args[0]))
        elif event == "compile" and (args[0] in contents or str(args[1]) in paths):
            if not (_parsing and _parsing[-1]):
                violations.append(("compile", str(args[1])))
        elif event == "exec" and getattr(args[0], "co_filename", "") in paths:
            violations.append(("exec", args[0].co_filename))

    sys.addaudithook(hook)
    return violations
