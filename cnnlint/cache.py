"""A content-hash cache of lint results (``.cnnlint_cache/``), as ruff keeps.

A result is keyed by the file's path and bytes, the options in force and
cnnlint's version, so any change to one of them misses; it also records the
content of the project files the analysis followed imports into, and a
change to one of those misses too.  A corrupt or unreadable entry is simply
recomputed.

The cache cannot lie: an import looked for and not found is a dependency too
(creating the module misses), each dependency's digest is of the bytes the
analysis read, entries are validated field by field before use and name only
regular files, and the cache's folders are created without following links.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import stat
import tempfile
from typing import Optional

from . import __version__
from .diagnostics import Diagnostic
from .files import MAX_MODULE_BYTES, Unreadable, read_regular
from .fixes import Edit, Fix
from .results import FileResult, LayerRow, ModelReport, Options

DEFAULT_DIR = ".cnnlint_cache"


def options_fingerprint(options: Options) -> str:
    fields = dataclasses.asdict(options)
    for key, value in fields.items():
        if isinstance(value, (set, frozenset)):  # sets of codes: their order is not stable across runs
            fields[key] = sorted(value)
    return json.dumps(fields, sort_keys=True, default=repr)


def code_fingerprint() -> str:
    """cnnlint's own files (name, size, mtime): a development checkout changes without a new version."""
    package = os.path.dirname(os.path.abspath(__file__))
    entries = []
    for root, _, files in os.walk(package):
        for name in sorted(files):
            if name.endswith(".py"):
                st = os.stat(os.path.join(root, name))
                entries.append(f"{os.path.relpath(os.path.join(root, name), package)}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()


#: an entry larger than this is not read (a result's JSON is kilobytes; a corrupt one can be anything)
MAX_ENTRY_BYTES = 64 << 20


class Cache:
    def __init__(self, directory: str, options: Options):
        self.directory = directory
        self.salt = f"{__version__}\0{code_fingerprint()}\0{options_fingerprint(options)}".encode()

    def key(self, path: str, data: bytes) -> str:
        digest = hashlib.sha256(self.salt)
        digest.update(b"\0" + os.path.abspath(path).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _file(self, key: str) -> str:
        return os.path.join(self.directory, key[:2], key + ".json")

    def get(self, key: str) -> Optional[FileResult]:
        """The stored result, unless it is malformed or a project file its analysis read has changed since."""
        try:
            if not _own_folder(self.directory) or not _own_folder(os.path.dirname(self._file(key))):
                return None
            doc = json.loads(read_regular(self._file(key), MAX_ENTRY_BYTES, follow_links=False))
            result = result_from_json(doc)
        except (Unreadable, ValueError, RecursionError):
            return None
        if any(_digest(path) != digest for path, digest in result.reads.items()):
            return None
        return result

    def put(self, key: str, result: FileResult) -> None:
        """Store a result; CNN000 ones too, since the key includes cnnlint's own code (a fix misses)."""
        if result.transient:
            return  # a wall-clock stop depends on the machine
        target = self._file(key)
        tmp = None
        try:
            _make_folder(self.directory)
            _write_gitignore(self.directory)
            _make_folder(os.path.dirname(target))
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as handle:
                json.dump(dataclasses.asdict(result), handle)
            os.replace(tmp, target)
            tmp = None
        except (OSError, ValueError, RecursionError):
            pass  # a read-only tree still lints, just without a cache
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass


def _own_folder(path: str) -> bool:
    """A real folder, not a link out of the project."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _make_folder(path: str) -> None:
    """Create ``path`` unless it exists; a link in its place (to anywhere) refuses the cache."""
    try:
        os.mkdir(path)
    except FileExistsError:
        pass
    if not _own_folder(path):
        raise NotADirectoryError(path)


def _digest(path: str) -> Optional[str]:
    try:
        return hashlib.sha256(read_regular(path, MAX_MODULE_BYTES)).hexdigest()
    except Unreadable:
        return None  # gone or unreadable: a result that read it is stale once it is back


def _write_gitignore(directory: str) -> None:
    """Create the marker only where nothing is, not even a dangling link (whose target it would create)."""
    try:
        fd = os.open(os.path.join(directory, ".gitignore"),
                     os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("# Automatically created by cnnlint.\n*\n")


def _read(value, annotation: str):
    """A value read back from JSON, checked against a field's annotation and rebuilt as the field holds it.

    Nothing nests deeper than the result classes do; a field this check does
    not know makes the entry untrusted (ValueError), not wrongly read.
    """
    if annotation.startswith("Optional["):
        return None if value is None else _read(value, annotation[len("Optional["):-1])
    if annotation in _SCALAR_TYPES:
        expected = _SCALAR_TYPES[annotation]
        if isinstance(value, expected) and (expected is bool or not isinstance(value, bool)):
            return value
    elif annotation == "list":  # a shape, or a position in the stored file
        if isinstance(value, list) and all(v is None or (isinstance(v, (int, str)) and not isinstance(v, bool))
                                           for v in value):
            return value
    elif annotation.startswith("List[") and isinstance(value, list):
        return [_read(v, annotation[len("List["):-1]) for v in value]
    elif annotation.startswith("Tuple[") and annotation.endswith(", ...]") and isinstance(value, list):
        return tuple(_read(v, annotation[len("Tuple["):-len(", ...]")]) for v in value)
    elif annotation == "Dict[str, Optional[str]]" and isinstance(value, dict):
        if all(isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in value.items()):
            return value
    elif annotation in _RECORDS and isinstance(value, dict):
        cls = _RECORDS[annotation]
        fields = dataclasses.fields(cls)
        if value.keys() == {f.name for f in fields}:
            return cls(**{f.name: _read(value[f.name], f.type) for f in fields})
    raise ValueError("not a cache entry")


_SCALAR_TYPES = {"str": str, "int": int, "bool": bool}
_RECORDS = {"FileResult": FileResult, "LayerRow": LayerRow, "ModelReport": ModelReport, "Diagnostic": Diagnostic,
            "Fix": Fix, "Edit": Edit}


def result_from_json(doc) -> FileResult:
    """A stored result, validated field by field against the result classes; ValueError for anything else."""
    return _read(doc, "FileResult")
