"""Which files to lint: the paths given, recursing into folders for *.py."""

from __future__ import annotations

import os
from typing import Iterable, List

#: folders never descended into, as ruff excludes them by default
DEFAULT_EXCLUDES = {
    ".bzr", ".direnv", ".eggs", ".git", ".hg", ".mypy_cache", ".nox", ".pants.d", ".pytype", ".ruff_cache",
    ".svn", ".tox", ".venv", "__pypackages__", "_build", "buck-out", "build", "dist", "node_modules", "venv",
    "__pycache__", ".cnnlint_cache",
}


def discover(paths: Iterable[str]) -> List[str]:
    """Files in a stable order; folders are walked without following links."""
    found: List[str] = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirnames, filenames in os.walk(path, followlinks=False):
                dirnames[:] = sorted(d for d in dirnames if d not in DEFAULT_EXCLUDES)
                found.extend(os.path.join(root, f) for f in sorted(filenames) if f.endswith((".py", ".pyi")))
        else:
            found.append(path)
    return found
