"""Reading the files cnnlint is given: regular files only, up to a size limit.

A ``*.py`` link to ``/dev/zero`` would never end, a FIFO would block
forever, and a device can be anything: they are refused with a reason
rather than read.  The same holds for configuration files and for the paths
named inside cache entries.
"""

from __future__ import annotations

import os
import stat

#: source and configuration files larger than this are not read (model code is far smaller)
MAX_FILE_BYTES = 16 << 20
#: project modules the analysis follows imports into, and whose digests a cached result checks
MAX_MODULE_BYTES = 2_000_000


class Unreadable(Exception):
    """Why a path cannot be read, in words for a one-line diagnostic."""


def read_regular(path: str, limit: int = MAX_FILE_BYTES, follow_links: bool = True) -> bytes:
    """The file's bytes; ``Unreadable`` for anything but a regular file of at most ``limit`` bytes."""
    # non-blocking: opening a FIFO must not wait for a writer
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise Unreadable(exc.strerror or str(exc)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise Unreadable(f"not a regular file ({_kind(mode)})")
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise Unreadable(f"larger than the limit of {limit >> 20} MiB")
    except OSError as exc:
        raise Unreadable(exc.strerror or str(exc)) from None
    finally:
        os.close(fd)


def read_stream(stream, limit: int = MAX_FILE_BYTES) -> bytes:
    """Up to ``limit`` bytes of an open binary stream (standard input); ``Unreadable`` beyond."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise Unreadable(f"larger than the limit of {limit >> 20} MiB")
    return data


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "a special file"
