"""Linting many files: cached results first, the rest in supervised worker processes.

Every file the cache does not answer is analysed in a forked worker process,
however few the files and whatever ``--jobs`` says: the worker runs under an
address-space limit and the parent enforces a wall-clock deadline from the
outside, so a crash of LibCST's native parser, an abort at the memory limit
or a native call that never returns costs only that file (CNN900) and the
worker is replaced.  Workers are forked after LibCST is imported, so one
costs milliseconds.  Processes, not threads: parsing and the evaluator are
CPU-bound Python.  Results come back in the order the files were given.
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import select
import signal
import struct
import time
from typing import Callable, List, Optional, Sequence, Tuple

from .results import FileResult, Options, allow_long_integers, file_diagnostic, read_source

#: address space a worker may use; analysis that needs more ends as CNN900
WORKER_MEMORY_BYTES = 2 << 30
#: wall-clock guard on one file, enforced by the parent; the analysis' own bounds are counted in steps and
#: normally end it long before (a hit depends on the machine, so it says so and is not cached)
FILE_DEADLINE_SECONDS = 60.0
#: each worker should get at least this many files: starting a process costs about as much as a small file
MIN_FILES_PER_PROCESS = 4

_LENGTH = struct.Struct("!Q")


def lint_many(paths: Sequence[str], options: Options, jobs: Optional[int] = None,
              cache_dir: Optional[str] = None) -> List[FileResult]:
    cache = None
    if cache_dir:
        from .cache import Cache

        cache = Cache(cache_dir, options)
    results: List[Optional[FileResult]] = [None] * len(paths)
    pending = []  # (index, path, data, key)
    for i, path in enumerate(paths):
        data, failure = read_source(path)
        if failure is not None:
            results[i] = failure
            continue
        key = cache.key(path, data) if cache else None
        cached = cache.get(key) if cache else None
        if cached is not None:
            results[i] = cached.at_path(path)
        else:
            pending.append((i, path, data, key))
    fresh = lint_sources([(path, data) for _, path, data, _ in pending], options, jobs)
    for (i, _, _, key), result in zip(pending, fresh):
        results[i] = result
        if cache:
            cache.put(key, result)
    return results  # type: ignore[return-value]


def lint_sources(sources: Sequence[Tuple[str, bytes]], options: Options, jobs: Optional[int] = None,
                 deadline: float = FILE_DEADLINE_SECONDS) -> List[FileResult]:
    """Lint (path, bytes) pairs, each in a supervised worker."""
    if not sources:
        return []
    from .runner import lint_source  # LibCST and the analysis: imported before forking, only when needed

    def task(index: int) -> FileResult:
        path, data = sources[index]
        return lint_source(path, data, options)

    def stopped(index: int, why: str) -> FileResult:
        path = sources[index][0]
        result = FileResult(path, transient=why.startswith("timeout"))
        if result.transient:
            message = (f"the analysis of this file did not finish within {deadline:g} s of wall-clock time and was "
                       "stopped")
        else:
            message = (f"the analysis of this file was stopped: its process ended abnormally ({why}), as a stack "
                       f"overflow in the native parser or the {WORKER_MEMORY_BYTES >> 30} GiB memory limit ends it")
        result.diagnostics.append(file_diagnostic(path, "CNN900", message))
        return result

    workers = max(1, min(jobs or os.cpu_count() or 1, -(-len(sources) // MIN_FILES_PER_PROCESS)))
    # the biggest files first: no worker is left with a long file at the end
    order = sorted(range(len(sources)), key=lambda i: -len(sources[i][1]))
    return supervise(order, task, stopped, workers, deadline)


def supervise(order: Sequence[int], task: Callable[[int], FileResult], stopped: Callable[[int, str], FileResult],
              workers: int, deadline: float) -> List[FileResult]:
    """``task(i)`` for every i of ``order``, each in one of ``workers`` forked processes.

    A task that kills its process, or is still running ``deadline`` seconds
    after it started, is answered by ``stopped(i, why)`` instead and its
    process replaced.  Without ``fork`` (Windows) the tasks run in this process.
    """
    results: List[Optional[FileResult]] = [None] * len(order)
    if not hasattr(os, "fork"):  # pragma: no cover - exercised on Windows only
        for i in order:
            results[i] = task(i)
        return results  # type: ignore[return-value]
    queue = list(reversed(order))
    slots: List[_Worker] = []
    try:
        for _ in range(min(workers, len(order))):
            slots.append(_Worker(task, slots))
        for slot in slots:
            slot.give(queue.pop())
        while any(slot.index is not None for slot in slots):
            busy = [slot for slot in slots if slot.index is not None]
            wait = max(0.0, min(slot.started + deadline for slot in busy) - time.monotonic())
            ready, _, _ = select.select([slot.reader for slot in busy], [], [], wait)
            for position, slot in enumerate(slots):
                if slot.index is None:
                    continue
                if slot.reader in ready:
                    index, result = slot.index, slot.receive()
                    if result is None:
                        result = stopped(index, slot.end())
                elif time.monotonic() - slot.started >= deadline:
                    index = slot.index
                    slot.end()
                    result = stopped(index, "timeout")
                else:
                    continue
                results[index] = result
                if not slot.alive:
                    slot = slots[position] = _Worker(task, slots)
                slot.index = None
                if queue:
                    slot.give(queue.pop())
    finally:
        for slot in slots:
            slot.close()
    return results  # type: ignore[return-value]


class _Worker:
    """One forked process answering task indices, one at a time, over a pair of pipes."""

    def __init__(self, task: Callable[[int], FileResult], siblings: list):
        child_reads, parent_writes = os.pipe()
        parent_reads, child_writes = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: never returns
            try:
                for sibling in siblings:
                    sibling.close_in_child()
                os.close(parent_writes)
                os.close(parent_reads)
                _serve(task, child_reads, child_writes)
            finally:
                os._exit(0)
        os.close(child_reads)
        os.close(child_writes)
        self.pid, self.writer, self.reader = pid, parent_writes, parent_reads
        self.index: Optional[int] = None
        self.started = 0.0
        self.alive = True

    def give(self, index: int) -> None:
        self.index, self.started = index, time.monotonic()
        try:
            os.write(self.writer, _LENGTH.pack(index))
        except OSError:
            pass  # already dead: its pipe reports end of file, handled as a death

    def receive(self) -> Optional[FileResult]:
        """The answer, or None if the process died instead of answering."""
        header = _read_exactly(self.reader, _LENGTH.size)
        payload = _read_exactly(self.reader, _LENGTH.unpack(header)[0]) if header else None
        try:
            return pickle.loads(payload) if payload else None
        except Exception:  # noqa: BLE001 - a half-written answer is a death
            return None

    def end(self) -> str:
        """Kill the process (if it still runs) and say how it ended."""
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, status = os.waitpid(self.pid, 0)
        self.alive = False
        self.close()
        if os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            try:
                return signal.Signals(number).name
            except ValueError:
                return f"signal {number}"
        return f"exit status {os.WEXITSTATUS(status)}"

    def close(self) -> None:
        """Close the pipes; a worker still alive reads end of file and exits."""
        for fd in (self.writer, self.reader):
            try:
                os.close(fd)
            except OSError:
                pass
        self.writer = self.reader = -1
        if self.alive:
            self.alive = False
            try:
                if self.index is not None:  # interrupted while it works: do not wait for it
                    os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ChildProcessError, ProcessLookupError):
                pass

    def close_in_child(self) -> None:
        for fd in (self.writer, self.reader):
            if fd >= 0:
                os.close(fd)


def _serve(task: Callable[[int], FileResult], reader: int, writer: int) -> None:
    _limit_resources()
    # what a dying parser prints (an allocation failure, a backtrace) is reported as the file's CNN900 instead
    faulthandler.disable()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    allow_long_integers()
    while True:
        header = _read_exactly(reader, _LENGTH.size)
        if not header:
            return
        index = _LENGTH.unpack(header)[0]
        try:
            payload = pickle.dumps(task(index), protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            return  # reported by the parent as an abnormal end
        _write_all(writer, _LENGTH.pack(len(payload)) + payload)


def _limit_resources() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_BYTES, WORKER_MEMORY_BYTES))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash leaves no core file behind
    except (ImportError, ValueError, OSError):
        pass  # not on this platform: the wall-clock guard and the analysis' own bounds still hold


def _read_exactly(fd: int, size: int) -> Optional[bytes]:
    chunks, left = [], size
    while left:
        try:
            chunk = os.read(fd, min(left, 1 << 20))
        except OSError:
            return None
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


__all__ = ["lint_many", "lint_sources", "supervise"]
