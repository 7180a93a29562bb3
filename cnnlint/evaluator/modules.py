"""Following imports into the analysed project's own files, by path.

Model code calls helpers from sibling modules (``from .blocks import
conv_bn``).  Such names stay ``Ref``s until something calls them that no
front end models; then the module is found by file path under the project
root, parsed and its body interpreted — never imported.  Each module is
loaded once per process and the depth of loading is bounded.
"""

from __future__ import annotations

import os
from typing import Dict, Optional

MAX_LOAD_DEPTH = 8
MAX_MODULE_BYTES = 2_000_000


def project_roots(path: str) -> list:
    """Folders absolute module names may start from: above the top package, and the file's own folder."""
    folder = os.path.dirname(os.path.abspath(path))
    top = folder
    while os.path.isfile(os.path.join(top, "__init__.py")):
        parent = os.path.dirname(top)
        if parent == top:
            break
        top = parent
    return [top] if top == folder else [top, folder]


def package_of(path: str) -> str:
    """Dotted package containing ``path`` (for relative imports), '' for a lone script."""
    folder = os.path.dirname(os.path.abspath(path))
    parts = []
    while os.path.isfile(os.path.join(folder, "__init__.py")):
        parts.append(os.path.basename(folder))
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return ".".join(reversed(parts))


def absolute_module(relative: str, path: str) -> str:
    """``..blocks`` seen from ``path`` -> ``pkg.blocks``."""
    dots = len(relative) - len(relative.lstrip("."))
    package = package_of(path).split(".") if package_of(path) else []
    base = package[: len(package) - (dots - 1)] if dots - 1 <= len(package) else []
    rest = relative[dots:]
    return ".".join([p for p in base] + ([rest] if rest else []))


def find_module_file(dotted: str, roots: list) -> Optional[str]:
    parts = dotted.split(".")
    for root in roots:
        base = os.path.join(root, *parts)
        for candidate in (base + ".py", os.path.join(base, "__init__.py")):
            if os.path.isfile(candidate):
                return candidate
    return None


class ModuleLoader:
    """Loads the project's modules for one analysed file's interpreter."""

    #: path -> module scope (or None while loading / when it failed); shared per process
    _cache: Dict[str, object] = {}

    def __init__(self, origin: str):
        self.origin = origin
        self.roots = project_roots(origin)

    def split(self, qualname: str):
        """(module file, remaining attribute names) for the longest module prefix found."""
        parts = qualname.split(".")
        for i in range(len(parts), 0, -1):
            found = find_module_file(".".join(parts[:i]), self.roots)
            if found is not None and os.path.abspath(found) != os.path.abspath(self.origin):
                return found, parts[i:]
        return None, parts

    def load(self, path: str, interp):
        """The module's global scope, interpreting it on first use."""
        key = os.path.abspath(path)
        if key in self._cache:
            return self._cache[key]
        if interp.load_depth >= MAX_LOAD_DEPTH:
            return None
        self._cache[key] = None  # an import cycle sees an unavailable module, not a loop
        try:
            if os.path.getsize(path) > MAX_MODULE_BYTES:
                return None
            with open(path, "rb") as handle:
                data = handle.read()
            import libcst as cst

            module = cst.parse_module(data)
        except Exception:  # noqa: BLE001 - an unreadable helper module only leaves names unknown
            return None
        scope = interp.run_library_module(module, path)
        self._cache[key] = scope
        return scope
