"""One analysis process, restarted when it is stopped or dies.

Analyses run one at a time (the machine's other cores belong to the editor
and the user's other tools).  Stopping a stale analysis ends its process: a
CPU-bound Python thread cannot be interrupted, a process can, and a new one
forked from the preloaded fork server is ready in milliseconds.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from typing import Optional

from ..parallel import FILE_DEADLINE_SECONDS
from .analysis import PRELOAD, Job, serve


class Stopped(Exception):
    """The analysis was stopped because a newer version of its document arrived."""


class Died(Exception):
    """The analysis process ended by itself (the memory limit, killed from outside) or ran out of time;
    the message says how, as the command line's supervisor does."""


class Analyst:
    def __init__(self):
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(PRELOAD)
        self._process = None
        self._connection = None
        self._turn = asyncio.Lock()
        self._running: Optional[str] = None  # the document being analysed
        self._stopping = False

    def start(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        if self._connection is not None:
            self._connection.close()  # the pipe of a process that died while idle
        ours, theirs = self._context.Pipe()
        self._process = self._context.Process(target=serve, args=(theirs,), daemon=True, name="cnnlint-analysis")
        self._process.start()
        theirs.close()
        self._connection = ours

    def stop(self, document: str) -> None:
        """End the running analysis if it is of ``document``."""
        if self._running == document and self._process is not None:
            self._stopping = True
            self._process.kill()

    def close(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(1)
            self._process = None

    async def analyse(self, document: str, job_of) -> object:
        """The FileResult of ``job_of()`` (called when it is this document's turn; None: nothing to do)."""
        async with self._turn:
            job: Optional[Job] = job_of()
            if job is None:
                raise Stopped()
            self.start()
            self._running, self._stopping = document, False
            try:
                self._connection.send(job)
                return await asyncio.wait_for(self._answer(), FILE_DEADLINE_SECONDS)
            except (EOFError, OSError, asyncio.TimeoutError) as exc:
                stopped = self._stopping
                timeout = isinstance(exc, asyncio.TimeoutError)
                self._process.kill()
                self._connection.close()
                self._connection = None
                self._process.join(1)
                code = self._process.exitcode
                self._process = None
                if stopped:
                    raise Stopped() from None
                raise Died("timeout" if timeout else (f"signal {-code}" if code and code < 0 else f"exit code {code}"))
            finally:
                self._running = None

    async def _answer(self):
        """The process's answer, read when the pipe has it: the event loop waits without a thread."""
        loop = asyncio.get_running_loop()
        answer = loop.create_future()
        fd = self._connection.fileno()

        def readable() -> None:
            loop.remove_reader(fd)
            try:
                answer.set_result(self._connection.recv())
            except (EOFError, OSError) as exc:  # the process ended: stopped, or died
                answer.set_exception(exc)

        loop.add_reader(fd, readable)
        try:
            return await answer
        finally:
            loop.remove_reader(fd)
