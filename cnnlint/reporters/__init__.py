"""Reporters: one module per output format, each ``render(run) -> str``."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

#: C0 and C1 control characters and DEL: a newline in a layer name (an OrderedDict key) would split an
#: output line and feed a problem matcher a forged one; an escape sequence would drive the terminal
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(value: str) -> str:
    """Text for one line of a text output, control characters written as Python escapes."""
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}"), value)


def location(path: str, line, cell=None) -> str:
    """``path:line``, or ``nb.ipynb:cell 3:6`` for a line within a notebook cell."""
    return f"{printable(path)}:cell {cell}:{line}" if cell is not None else f"{printable(path)}:{line}"


@lru_cache(maxsize=None)
def repository_root(cwd: str) -> Optional[Path]:
    """Where GitHub resolves relative paths from: the checkout (``GITHUB_WORKSPACE``) or the git work tree."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace:
        return Path(os.path.abspath(workspace))
    folder = Path(cwd)
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def repository_path(path: str) -> str:
    """A path GitHub resolves: relative to the repository's root, else absolute; as given outside any."""
    root = repository_root(os.getcwd())
    if root is None:
        return path
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()
