"""What linting a file produces, and the options it runs with.

Kept apart from the runner, which imports LibCST: the command line reads
cached results and renders them without that import.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional

from .diagnostics import Diagnostic
from .rules import BY_CODE, DEFAULT_ENABLED


@dataclass
class Options:
    input_shape: Optional[tuple] = None
    model: Optional[str] = None
    max_params: Optional[int] = None
    max_macs: Optional[int] = None
    enabled: frozenset = DEFAULT_ENABLED
    #: model name -> input shape, from the configuration
    input_shapes: dict = field(default_factory=dict)
    #: build the model reports (JSON, --summary): their rows, totals and source positions cost
    #: time the other outputs, which show diagnostics only, do not pay
    report_models: bool = True
    #: (file extension, language) pairs from --extension: ("ipy", "ipynb")
    extensions: tuple = ()
    #: codes whose fixes are offered ([tool.cnnlint] fixable / unfixable)
    fixable: frozenset = frozenset(BY_CODE)

    def language(self, path: str) -> Optional[str]:
        from .discovery import language

        return language(path, dict(self.extensions))


@dataclass
class LayerRow:
    name: str
    type: str
    line: Optional[int]
    column: Optional[int]
    output_shape: Optional[list]
    params: Optional[int]
    macs: Optional[int]
    depth: int = 0
    trainable: Optional[int] = None
    cell: Optional[int] = None  # the notebook cell the line is within


@dataclass
class ModelReport:
    path: str
    name: str
    line: Optional[int]
    framework: str
    input_shape: Optional[list]
    output_shape: Optional[list]
    total_params: Optional[int]
    trainable_params: Optional[int]
    non_trainable_params: Optional[int]
    macs: Optional[int]
    input_source: str
    layers: List[LayerRow] = field(default_factory=list)
    complete: bool = True
    cell: Optional[int] = None  # the notebook cell the line is within


@dataclass
class FileResult:
    path: str
    models: List[ModelReport] = field(default_factory=list)
    diagnostics: List[Diagnostic] = field(default_factory=list)
    internal_error: bool = False
    #: the project's other files the analysis read (imports it followed), with the sha256 of the bytes it read,
    #: or None for a file it looked for and did not find: a cached result depends on them
    reads: Dict[str, Optional[str]] = field(default_factory=dict)
    #: every model the file defines, reported or not: the configuration's input-shapes keys must name one
    model_names: List[str] = field(default_factory=list)
    #: the outcome depends on the machine (the wall-clock guard stopped the analysis): not cached
    transient: bool = False

    def at_path(self, path: str) -> "FileResult":
        """This result under the name the current run gave the file (a cached one keeps its first run's)."""
        if path == self.path:
            return self
        return replace(self, path=path, models=[replace(m, path=path) for m in self.models],
                       diagnostics=[replace(d, path=path) for d in self.diagnostics])


def read_source(path: str):
    """(bytes, None), or (None, a FileResult saying why the file cannot be read)."""
    from .files import Unreadable, read_regular

    try:
        return read_regular(path), None
    except Unreadable as exc:
        return None, unreadable(path, str(exc))


def unreadable(path: str, why: str) -> FileResult:
    result = FileResult(path)
    result.diagnostics.append(file_diagnostic(path, "CNN001", f"cannot read the file: {why}"))
    return result


def allow_long_integers() -> None:
    """Lift Python's 4,300-digit limit on int-to-text conversion for this process.

    Analysed code can hold integers of up to the evaluator's 65,536 bits (a layer
    16,000 bits wide, an f-string of a 5,001-digit number) and the reporters print
    products of them; converting those costs milliseconds, failing costs the file.
    """
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)


def file_diagnostic(path: str, code: str, message: str) -> Diagnostic:
    rule = BY_CODE[code]
    return Diagnostic(path, 1, 1, 1, 1, code, rule.severity, message)
