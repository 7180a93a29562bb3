"""Which files to lint: the paths given, recursing into folders for Python files and notebooks.

Folder walks skip what git ignores, as ruff does: the ``.gitignore`` files
of a git work tree (from its root down), ``.git/info/exclude``, and
``.ignore`` files anywhere.  A path given explicitly is linted even if
ignored; one that is neither Python nor a notebook is skipped with a warning.
"""

from __future__ import annotations

import os
import re
from typing import Dict, Iterable, List, Optional, Tuple

#: folders never descended into, as ruff excludes them by default
DEFAULT_EXCLUDES = {
    ".bzr", ".direnv", ".eggs", ".git", ".hg", ".mypy_cache", ".nox", ".pants.d", ".pytype", ".ruff_cache",
    ".svn", ".tox", ".venv", "__pypackages__", "_build", "buck-out", "build", "dist", "node_modules", "venv",
    "__pycache__", ".cnnlint_cache",
}
#: what each file extension holds; --extension adds to it (``ipy:ipynb``)
LANGUAGES = {"py": "python", "pyi": "pyi", "ipynb": "ipynb"}
_PYTHON_SHEBANG = re.compile(rb"#![^\n]*\bpython")


def language(path: str, extensions: Optional[Dict[str, str]] = None) -> Optional[str]:
    """``python``, ``pyi`` or ``ipynb`` by the file's extension; None for any other file."""
    suffix = os.path.splitext(path)[1][1:]
    if extensions and suffix in extensions:
        return extensions[suffix]
    return LANGUAGES.get(suffix)


def discover(paths: Iterable[str], extensions: Optional[Dict[str, str]] = None) -> Tuple[List[str], List[str]]:
    """(files in a stable order, warnings); folders are walked without following links."""
    found: List[str] = []
    warnings: List[str] = []
    for path in paths:
        if os.path.isdir(path):
            found.extend(_walk(path, extensions))
        elif language(path, extensions) is not None or not os.path.exists(path) or _is_script(path):
            found.append(path)  # a missing file is reported by the lint itself (CNN001)
        else:
            warnings.append(f"{path}: neither a Python file nor a notebook (see --extension); skipped")
    return found, warnings


def _is_script(path: str) -> bool:
    """An extension-less executable script whose first line runs Python."""
    if os.path.splitext(path)[1]:
        return False
    try:
        with open(path, "rb") as handle:
            return bool(_PYTHON_SHEBANG.match(handle.readline(200)))
    except OSError:
        return False


def _walk(top: str, extensions) -> List[str]:
    found = []
    rules = _IgnoreRules.above(top)
    stack = [(top, rules)]
    while stack:
        folder, inherited = stack.pop()
        rules = inherited.entering(folder)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            found.append(folder)  # a folder that cannot be listed is linted as a path: that reports why
            continue
        folders = []
        for entry in entries:
            is_dir = _is_dir(entry)
            if is_dir and entry.name in DEFAULT_EXCLUDES or rules.ignores(entry.path, is_dir):
                continue
            if is_dir:
                if not entry.is_symlink():  # links are not followed, as os.walk does not
                    folders.append((entry.path, rules))
            elif language(entry.name, extensions) is not None:
                found.append(entry.path)  # one that cannot be read (a link loop) is reported as CNN001
        stack.extend(reversed(folders))  # depth first, in name order: the order os.walk gave
    return found


def _is_dir(entry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


class _IgnoreRules:
    """The ignore patterns in force in a folder: (folder they are relative to, compiled pattern, negated)."""

    def __init__(self, patterns: tuple, git_root: Optional[str]):
        self.patterns = patterns
        self.git_root = git_root

    @classmethod
    def above(cls, top: str) -> "_IgnoreRules":
        """The rules of the folders above ``top``, from its work tree's root (or its own folder) down."""
        top = os.path.abspath(top)
        git_root = next((f for f in _parents(top) if os.path.exists(os.path.join(f, ".git"))), None)
        rules = cls((), git_root)
        if git_root is not None:
            rules = rules._read(git_root, os.path.join(git_root, ".git", "info", "exclude"))
        for folder in reversed(_parents(top)[1:]):
            rules = rules._read_folder(folder)
        return rules

    def entering(self, folder: str) -> "_IgnoreRules":
        return self._read_folder(os.path.abspath(folder))

    def _read_folder(self, folder: str) -> "_IgnoreRules":
        rules = self
        if self.git_root is not None and (folder + os.sep).startswith(os.path.join(self.git_root, "")):
            rules = rules._read(folder, os.path.join(folder, ".gitignore"))
        return rules._read(folder, os.path.join(folder, ".ignore"))

    def _read(self, folder: str, path: str) -> "_IgnoreRules":
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                lines = handle.read().splitlines()
        except OSError:
            return self
        added = tuple(p for p in (_compile(line) for line in lines) if p is not None)
        return _IgnoreRules(self.patterns + tuple((folder, *p) for p in added), self.git_root) if added else self

    def ignores(self, path: str, is_dir: bool) -> bool:
        """The last pattern that matches decides, a deeper file's after a shallower one's."""
        path = os.path.abspath(path)
        ignored = False
        for folder, pattern, negated, dir_only in self.patterns:
            if dir_only and not is_dir or not path.startswith(folder + os.sep):
                continue
            if pattern.fullmatch(os.path.relpath(path, folder).replace(os.sep, "/")):
                ignored = not negated
        return ignored


def _parents(path: str) -> List[str]:
    found = [path]
    while os.path.dirname(found[-1]) != found[-1]:
        found.append(os.path.dirname(found[-1]))
    return found


def _compile(line: str):
    """(regex on the path relative to the ignore file's folder, negated, directories only), git's syntax."""
    if not line.strip() or line.startswith("#"):
        return None
    line = re.sub(r"(?<!\\)\s+$", "", line)
    negated = line.startswith("!")
    if negated or line.startswith("\\"):
        line = line[1:]
    dir_only = line.endswith("/")
    line = line.rstrip("/")
    if not line:
        return None
    anchored = "/" in line
    line = line.lstrip("/")
    out, i = [], 0
    while i < len(line):
        if line.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif line.startswith("/**", i) and i + 3 == len(line):
            out.append("/.*")
            i += 3
        elif line.startswith("**", i):
            out.append(".*")
            i += 2
        elif line[i] == "*":
            out.append("[^/]*")
            i += 1
        elif line[i] == "?":
            out.append("[^/]")
            i += 1
        elif line[i] == "[" and "]" in line[i + 2:]:
            end = line.index("]", i + 2)
            body = line[i + 1:end]
            out.append("[" + ("^" + body[1:] if body[:1] == "!" else body).replace("\\", "\\\\") + "]")
            i = end + 1
        elif line[i] == "\\" and i + 1 < len(line):
            out.append(re.escape(line[i + 1]))
            i += 2
        else:
            out.append(re.escape(line[i]))
            i += 1
    # a pattern without a slash matches a name at any depth; an ignored folder is not walked into
    return re.compile(("" if anchored else "(?:.*/)?") + "".join(out)), negated, dir_only
