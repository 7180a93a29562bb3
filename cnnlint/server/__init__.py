"""``cnnlint server``: the language server editors talk to over stdio.

An optional extra (``pip install 'cnnlint[server]'``): pygls is imported
only here, so a plain lint run never pays for it.
"""

from __future__ import annotations


def main() -> None:
    from .protocol import build

    build().start_io()
