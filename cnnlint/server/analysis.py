"""The analysis process: the command line's analysis, one editor buffer at a time.

The analysis is CPU-bound Python.  In a process of its own it neither blocks
the server's answers (hovers, hints) nor survives being stale: the server
ends the process when a newer version of the document arrives.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..evaluator.modules import ModuleLoader
from ..parallel import _limit_resources
from ..results import Options, allow_long_integers
from ..runner import lint_source

#: imported by the process every analysis process is forked from, so that a new one starts ready
PRELOAD = ["cnnlint.server.analysis", "cnnlint.frontends.torch", "cnnlint.frontends.keras"]


@dataclass
class Job:
    path: str
    data: bytes
    options: Options
    #: absolute path -> text of the other open buffers, read instead of the files when imports are followed
    overlay: dict = field(default_factory=dict)
    #: changes whenever files on disk may have changed (a save, a watched-file event)
    generation: int = 0


def serve(connection) -> None:
    """Answer jobs until the server closes the pipe; imported modules stay parsed while nothing changed."""
    _limit_resources()
    allow_long_integers()
    seen = None
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if seen != (job.generation, job.overlay):
            ModuleLoader.overlay = job.overlay
            ModuleLoader.forget()
            seen = (job.generation, job.overlay)
        connection.send(lint_source(job.path, job.data, job.options))
