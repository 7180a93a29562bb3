"""Linting many files: cached results first, the rest in worker processes.

Processes, not threads: LibCST parsing and the evaluator are CPU-bound
Python.  Results come back in the order the files were given.
"""

from __future__ import annotations

import os
import sys
from typing import List, Optional, Sequence

from .results import FileResult, Options, read_source

#: below this many files to lint, starting processes costs more than it saves
MIN_FILES_PER_PROCESS = 4
#: files sent to a worker at a time
CHUNK = 4


#: address space a worker may use; analysis that needs more ends as CNN900
WORKER_MEMORY_BYTES = 2 << 30


def _limit_memory() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_BYTES, WORKER_MEMORY_BYTES))
    except (ImportError, ValueError, OSError):
        pass  # not on this platform: the time bounds still hold


def _lint_one(args) -> FileResult:
    from .runner import lint_source  # LibCST and the analysis: imported only when a file is not cached

    path, data, options = args
    return lint_source(path, data, options)


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
    jobs = jobs or os.cpu_count() or 1
    work = [(path, data, options) for _, path, data, _ in pending]
    if jobs <= 1 or len(work) < MIN_FILES_PER_PROCESS:
        fresh = [_lint_one(w) for w in work]
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
        workers = min(jobs, len(work) // MIN_FILES_PER_PROCESS + 1)
        # the biggest files first, in small chunks: no worker is left with a long file at the end
        order = sorted(range(len(work)), key=lambda i: -len(work[i][1]))
        fresh = [None] * len(work)
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_limit_memory) as pool:
            for i, result in zip(order, pool.map(_lint_one, [work[i] for i in order], chunksize=CHUNK)):
                fresh[i] = result
    for (i, _, _, key), result in zip(pending, fresh):
        results[i] = result
        if cache:
            cache.put(key, result)
    return results  # type: ignore[return-value]
