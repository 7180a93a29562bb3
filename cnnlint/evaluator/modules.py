"""Following imports into the analysed project's own files, by path.

Model code calls helpers from sibling modules (``from .blocks import
conv_bn``).  Such names stay ``Ref``s until something calls them that no
front end models; then the module is found by file path under the project
root, parsed and its body interpreted — never imported.  The depth of
loading is bounded.

Same input, same output: a module's body is interpreted again for every
analysed file that loads it, with that file's step budget, so a file's
result never depends on which files the same process analysed before it
(a worker answers many files): not in the steps charged, not in module
state an earlier file's analysis changed (a registry it appended to, an
attribute it set).  Only the parse, pure and LibCST's costly part, is kept
per process, keyed by the bytes parsed.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import contextmanager
from typing import Dict, List, Optional

from ..files import MAX_MODULE_BYTES, Unreadable, read_regular
from ..parsing import parse

MAX_LOAD_DEPTH = 8


def project_root(path: str) -> tuple:
    """(folder module names start from, the project's top package or '').

    Inside a package, the project is its top-level package and nothing
    beside it (site-packages holds other projects); a lone script's project
    is its own folder.
    """
    folder = os.path.dirname(os.path.abspath(path))
    package = package_of(path)
    if not package:
        return folder, ""
    top = folder
    for _ in package.split("."):
        top = os.path.dirname(top)
    return top, package.split(".")[0]


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


def module_name(path: str) -> str:
    """The dotted name a module file is imported under (``pkg/sub/__init__.py`` -> ``pkg.sub``)."""
    package = package_of(path)
    stem = os.path.splitext(os.path.basename(path))[0]
    if stem == "__init__" and package:
        return package
    return f"{package}.{stem}" if package else stem


def absolute_module(relative: str, path: str) -> str:
    """``..blocks`` seen from ``path`` -> ``pkg.blocks``."""
    dots = len(relative) - len(relative.lstrip("."))
    package = package_of(path).split(".") if package_of(path) else []
    base = package[: len(package) - (dots - 1)] if dots - 1 <= len(package) else []
    rest = relative[dots:]
    return ".".join([p for p in base] + ([rest] if rest else []))


def find_module_file(dotted: str, root: str) -> Optional[str]:
    """The module's file; every candidate looked for in vain is recorded: creating it changes the result."""
    base = os.path.join(root, *dotted.split("."))
    for candidate in (base + ".py", os.path.join(base, "__init__.py")):
        if os.path.isfile(candidate):
            return candidate
        ModuleLoader.record(os.path.abspath(candidate), None)
    return None


class LoadedModules:
    """The modules one analysed file has loaded: shared by its interpreter and those of the modules it
    loads, never by another analysed file."""

    __slots__ = ("scopes", "reads", "analysed", "by_name")

    def __init__(self):
        #: dotted module name -> the interpreter running or having run it (``sys.modules``)
        self.by_name: Dict[str, object] = {}
        #: path -> module scope (or None while loading / when it failed)
        self.scopes: Dict[str, object] = {}
        #: the analysed file's own scope, filled while its body runs
        self.analysed = None
        #: path -> the project files its result depends on: itself and what it loaded, transitively
        self.reads: Dict[str, Dict[str, Optional[str]]] = {}


class ModuleLoader:
    """Loads the project's modules for one analysed file's interpreter."""

    #: (path, sha256 of the bytes) -> the parsed module, or None when LibCST cannot parse it; per process
    _parsed: Dict[tuple, object] = {}
    #: path -> the parsed module, where diagnostics about its code are placed
    sources: Dict[str, object] = {}
    _recorders: List[Dict[str, Optional[str]]] = []
    #: absolute path -> text to read instead of the file (an editor's unsaved buffers)
    overlay: Dict[str, bytes] = {}

    @classmethod
    def forget(cls) -> None:
        """Drop every parsed module: the project's files (or their buffers) changed."""
        cls._parsed.clear()
        cls.sources.clear()

    @classmethod
    @contextmanager
    def recording(cls):
        """Collect the project files the block depends on (a cached result does too).

        path -> sha256 of the bytes the analysis read, or None for a file looked
        for and not found: the digest is of what was analysed, not of what the
        file holds when the result is stored.
        """
        reads: Dict[str, Optional[str]] = {}
        cls._recorders.append(reads)
        try:
            yield reads
        finally:
            cls._recorders.pop()
            if cls._recorders:
                cls._recorders[-1].update(reads)

    @classmethod
    def record(cls, path: str, digest: Optional[str]) -> None:
        if cls._recorders:
            cls._recorders[-1].setdefault(path, digest)

    def __init__(self, origin: str):
        self.origin = origin
        self.root, self.top_package = project_root(origin)
        self.loaded = LoadedModules()  # a module's loader is given its analysed file's (run_library_module)

    def analysing(self, scope) -> None:
        """The analysed file's own scope: a module that names it (``from pkg.this import Block`` in a
        module ``pkg.this`` imports, run in its functions) gets this one module, as Python's import does,
        not a second copy reached through the package's ``__init__`` (which loads every sibling)."""
        self.loaded.scopes[os.path.abspath(self.origin)] = self.loaded.analysed = scope

    def split(self, qualname: str):
        """(module file, remaining attribute names) for the longest module prefix in the project.

        Names are looked up from the project's root, then, as ``python script.py`` puts the script's
        folder first on ``sys.path``, beside the file itself (``from blocks import head``).
        """
        parts = qualname.split(".")
        roots = [self.root] if not self.top_package or parts[0] == self.top_package else []
        folder = os.path.dirname(os.path.abspath(self.origin))
        if folder != self.root:
            roots.append(folder)
        for root in roots:
            for i in range(len(parts), 0, -1):
                found = find_module_file(".".join(parts[:i]), root)
                if found is not None and (os.path.abspath(found) != os.path.abspath(self.origin)
                                          or self.loaded.scopes.get(os.path.abspath(found)) is not None):
                    return found, parts[i:]
        return None, parts

    def load(self, path: str, interp):
        """The module's global scope, interpreting it on the analysed file's first use."""
        key = os.path.abspath(path)
        scopes = self.loaded.scopes
        if key in scopes:
            if self._recorders:
                self._recorders[-1].update(self.loaded.reads.get(key, {}))
            return scopes[key]
        if interp.load_depth >= MAX_LOAD_DEPTH:
            return None
        scopes[key] = None  # an import cycle sees an unavailable module, not a loop
        with self.recording() as reads:
            source = self._parse(key)
            scopes[key] = interp.run_library_module(source, key, self.loaded) if source is not None else None
        self.loaded.reads[key] = reads
        return scopes[key]

    @classmethod
    def _parse(cls, path: str):
        data = cls.overlay.get(path)
        if data is None:
            try:
                data = read_regular(path, MAX_MODULE_BYTES)
            except Unreadable:
                cls.record(path, None)  # an unreadable helper module only leaves names unknown
                return None
        digest = hashlib.sha256(data).hexdigest()
        cls.record(path, digest)
        if (path, digest) not in cls._parsed:
            try:
                cls._parsed[path, digest] = parse(data)
            except Exception:  # noqa: BLE001 - nor does one LibCST cannot parse
                cls._parsed[path, digest] = None
        source = cls._parsed[path, digest]
        if source is not None:
            cls.sources[path] = source
        return source
