"""A content-hash cache of lint results (``.cnnlint_cache/``), as ruff keeps.

A result is keyed by the file's path and bytes, the options in force and
cnnlint's version, so any change to one of them misses; it also records the
content of the project files the analysis followed imports into, and a
change to one of those misses too.  A corrupt or unreadable entry is simply
recomputed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from typing import Optional

from . import __version__
from .diagnostics import Diagnostic
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
        """The stored result, unless a project file its analysis read has changed since."""
        try:
            with open(self._file(key), encoding="utf-8") as handle:
                doc = json.load(handle)
            if any(_digest(path) != digest for path, digest in doc["read_digests"].items()):
                return None
            return result_from_json(doc)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, key: str, result: FileResult) -> None:
        if result.internal_error:
            return  # a crash should be retried, not remembered
        target = self._file(key)
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            _write_gitignore(self.directory)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".tmp")
            doc = dataclasses.asdict(result)
            doc["read_digests"] = {path: _digest(path) for path in result.reads}
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(doc, handle)
            os.replace(tmp, target)
        except OSError:
            pass  # a read-only tree still lints, just without a cache


def _digest(path: str) -> Optional[str]:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return None  # gone or unreadable: a result that read it is stale once it is back


def _write_gitignore(directory: str) -> None:
    marker = os.path.join(directory, ".gitignore")
    if not os.path.exists(marker):
        with open(marker, "w", encoding="utf-8") as handle:
            handle.write("# Automatically created by cnnlint.\n*\n")


def result_from_json(doc: dict) -> FileResult:
    models = []
    for m in doc["models"]:
        layers = [LayerRow(**row) for row in m.pop("layers")]
        models.append(ModelReport(**m, layers=layers))
    diagnostics = [Diagnostic(**d) for d in doc["diagnostics"]]
    return FileResult(doc["path"], models, diagnostics, doc["internal_error"], doc["reads"], doc["model_names"])
