"""``cnnlint server``: the language server editors talk to over stdio.

An optional extra (``pip install 'cnnlint[server]'``): pygls is imported
only here, so a plain lint run never pays for it.
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from .protocol import build
    except ImportError as exc:
        sys.stderr.write(f"cnnlint server needs the server extra: pip install 'cnnlint[server]' ({exc})\n")
        raise SystemExit(2) from None
    build().start_io()
