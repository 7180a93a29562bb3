"""Jupyter notebooks: their code cells read as one Python file, positions mapped back.

The code cells are joined in order (a name defined in one cell resolves in
the next, as in a kernel run top to bottom); markdown and raw cells add no
line.  IPython's own syntax is not Python: a line magic (``%matplotlib``),
a shell escape (``!pip``), an assignment from either (``files = !ls``) and a
cell magic's whole cell (``%%bash``) are blanked in place, so every other
line keeps its number.  A magic starts only a logical line: the ``%`` that
opens a continuation line inside brackets is Python's operator.  Cell magics
that run their body as Python (``%%time``, as ruff lists them) keep the body.

Each joined line remembers its cell and the place in the ``.ipynb`` file of
its first character, so reports read ``nb.ipynb:cell 3:6:20`` while GitHub
annotations and SARIF point at the real line of the JSON file.  The JSON is
read with the standard library: its decoder, told to note where each string
value starts, is all a position needs.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, replace
from json import decoder as json_decoder
from json import scanner as json_scanner
from typing import Dict, List, Optional, Tuple

#: cell magics whose body IPython runs as Python (ruff's list)
PYTHON_CELL_MAGICS = frozenset({"capture", "debug", "prun", "pypy", "python", "python3", "time", "timeit"})
#: ``name = %magic ...`` / ``name = !command``: a binding from IPython syntax
_MAGIC_ASSIGNMENT = re.compile(r"[ \t]*[A-Za-z_][\w.]*(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*)*[ \t]*=[ \t]*[%!]")
#: IPython's help (``model.fit?``, ``??keras.layers.Dense``) and the automagics notebooks use unprefixed
_HELP_OR_AUTOMAGIC = re.compile(r"[ \t]*(?:\?{0,2}[A-Za-z_][\w.]*\?{1,2}|\?{1,2}[A-Za-z_][\w.]*"
                                r"|(?:pip|conda|mamba)[ \t]+(?:install|uninstall)\b.*)[ \t]*\r?$")
_INDENT = re.compile(r"[ \t]*")
_LINE = re.compile(r"[^\n]*\n|[^\n]+")


class NotebookError(Exception):
    """The file is not a notebook cnnlint can read; ``line``/``column`` are the JSON file's (1-based)."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


class _Located(str):
    """A JSON string value that knows where its first character lies in the file's text."""


def _located_string(text: str, end: int, strict: bool = True):
    value, after = json_decoder.scanstring(text, end, strict)
    located = _Located(value)
    located.offset, located.end = end, after
    return located, after


def _decoder() -> json.JSONDecoder:
    found = json.JSONDecoder()
    found.parse_string = _located_string
    found.scan_once = json_scanner.py_make_scanner(found)  # the C scanner would not call parse_string
    return found


@dataclass(frozen=True)
class _Line:
    cell: int  # 1-based, every cell counted
    line: int  # 1-based within the cell
    offset: int  # where the line's first character lies in the file's text (-1: not known)


class Notebook:
    """The joined code cells and, for each of their lines, where it came from."""

    def __init__(self, text: str, source: str, lines: List[_Line], cells: Optional[Dict[int, list]] = None):
        self.text = text
        self.source = source
        self._lines = lines
        self._file_line_starts: Optional[List[int]] = None
        #: code cell number -> its "source" strings as read (a one-string source: that string alone)
        self._cells = cells or {}

    @property
    def code_cells(self) -> List[int]:
        return sorted(self._cells)

    def cell_source(self, cell: int) -> str:
        """A code cell's text as the notebook holds it (IPython syntax included)."""
        parts = self._cells[cell]
        return parts if isinstance(parts, str) else "".join(parts)

    def cell_python(self, cell: int) -> str:
        """A code cell's lines as linted: IPython syntax blanked, each line at its place."""
        return "".join(line for line, origin in zip(_LINE.findall(self.source), self._lines) if origin.cell == cell)

    def with_python(self, cell: int, python: str) -> str:
        """A code cell's source with the lines changed in its Python (``cell_python`` edited) taken from it."""
        old = _LINE.findall(self.cell_python(cell))
        return "".join(line if new == line_python else new if line.endswith("\n") else new.rstrip("\n")
                       for line, line_python, new in zip(_LINE.findall(self.cell_source(cell)), old,
                                                          _LINE.findall(python)))

    def with_cells(self, sources: Dict[int, str]) -> str:
        """The notebook's text with these code cells' sources replaced and every other byte kept.

        Only the cells' "source" values are written again, one string per
        line as Jupyter stores them; the strings of unchanged lines keep
        their own escapes, the separators between them are the file's own.
        """
        ascii_only = "\\u" in self.text and self.text.isascii()  # a file written with json's ensure_ascii
        spans = []
        for cell, new in sources.items():
            parts = self._cells[cell]
            if isinstance(parts, str):
                spans.append((parts.offset - 1, parts.end, json.dumps(new, ensure_ascii=ascii_only)))
            elif parts:
                strings = [self.text[parts[i].offset - 1: parts[i].end] if i < len(parts) and parts[i] == line
                           else json.dumps(line, ensure_ascii=ascii_only) for i, line in enumerate(_LINE.findall(new))]
                spans.append((parts[0].offset - 1, parts[-1].end, self._separator(parts).join(strings)))
        text = self.text
        for start, end, content in sorted(spans, reverse=True):
            text = text[:start] + content + text[end:]
        return text

    def _separator(self, parts: list) -> str:
        """What stands between two strings of a cell's source: the file's own, or one like its first line's."""
        if len(parts) > 1:
            return self.text[parts[0].end: parts[1].offset - 1]
        start = parts[0].offset - 1
        line_start = max(self.text.rfind("\n", 0, start), self.text.rfind("\r", 0, start)) + 1
        indent = self.text[line_start:start]
        if indent.strip(" \t"):
            return ", "
        newline = "\r\n" if self.text[line_start - 2: line_start] == "\r\n" else self.text[line_start - 1: line_start]
        return "," + (newline or "\n") + indent

    @property
    def python(self) -> bytes:
        return self.source.encode("utf-8")

    def cell_position(self, line: int) -> Tuple[Optional[int], int]:
        """(cell, line within the cell) of a line of the joined source."""
        if 1 <= line <= len(self._lines):
            origin = self._lines[line - 1]
            return origin.cell, origin.line
        return None, line

    def file_position(self, line: int, column: int) -> Tuple[int, int]:
        """The (line, column) in the .ipynb file of a (line, column) of the joined source, all 1-based."""
        if not 1 <= line <= len(self._lines) or self._lines[line - 1].offset < 0:
            return 1, 1
        offset = _raw_offset(self.text, self._lines[line - 1].offset, column - 1)
        if self._file_line_starts is None:
            self._file_line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", self.text)]
        index = bisect.bisect_right(self._file_line_starts, offset) - 1
        return index + 1, offset - self._file_line_starts[index] + 1

    def relocate(self, result):
        """A result of linting ``python`` with every position given as the notebook's."""
        result.diagnostics = [self._diagnostic(d) for d in result.diagnostics]
        result.models = [self._model(m) for m in result.models]
        return result

    def _diagnostic(self, d):
        cell, line = self.cell_position(d.line)
        end_cell, end_line = self.cell_position(d.end_line)
        end_column = d.end_column
        if end_cell != cell:  # a range cannot end in another cell: end with the first line
            end_line, end_column = line, d.column
        start = self.file_position(d.line, d.column)
        end = self.file_position(d.end_line, end_column) if end_cell == cell else start
        return replace(d, line=line, end_line=end_line, end_column=end_column, cell=cell,
                       in_file=[*start, *end], fix=self._fix(d.fix, cell))

    def _fix(self, fix, cell: Optional[int]):
        """A fix's edits placed in the diagnostic's cell, as its position is; none can reach into another cell."""
        if fix is None or not fix.edits:
            return fix
        edits = []
        for e in fix.edits:
            (start_cell, line), (end_cell, end_line) = self.cell_position(e.line), self.cell_position(e.end_line)
            if not start_cell == end_cell == cell:
                return type(fix).unavailable(fix.title, fix.applicability, "its edits would reach into another cell")
            edits.append(replace(e, line=line, end_line=end_line))
        return replace(fix, edits=tuple(edits))

    def _model(self, m):
        layers = []
        for row in m.layers:
            cell, line = self.cell_position(row.line) if row.line else (None, row.line)
            layers.append(replace(row, line=line, cell=cell))
        cell, line = self.cell_position(m.line) if m.line else (None, m.line)
        return replace(m, line=line, cell=cell, layers=layers)


def _raw_offset(text: str, start: int, characters: int) -> int:
    """Where the character ``characters`` after ``start`` of a JSON string's value lies in its raw text."""
    i = start
    for _ in range(characters):
        if i >= len(text) or text[i] == '"':
            break
        if text[i] != "\\":
            i += 1
        elif text[i + 1: i + 2] != "u":
            i += 2
        elif 0xD800 <= int(text[i + 2: i + 6] or "0", 16) < 0xDC00 and text[i + 6: i + 8] == "\\u":
            i += 12  # a surrogate pair is one character
        else:
            i += 6
    return i


def read(data: bytes) -> Optional[Notebook]:
    """The notebook's Python; None for a notebook in another language. Raises NotebookError."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotebookError(f"malformed notebook: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        document = _decoder().decode(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"malformed notebook: invalid JSON ({exc.msg})", exc.lineno, exc.colno) from None
    except RecursionError:
        raise NotebookError("malformed notebook: JSON nested too deeply") from None
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        if isinstance(document, dict) and "worksheets" in document:
            raise NotebookError("malformed notebook: nbformat 3 (worksheets) is not supported; "
                                "convert it with `jupyter nbconvert --to notebook`")
        raise NotebookError("malformed notebook: no list of \"cells\" (not an nbformat 4 notebook)")
    if not _is_python(document.get("metadata")):
        return None
    source, origins, code = [], [], {}
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
            raise NotebookError(f"malformed notebook: cell {number} has no \"cell_type\"")
        if cell["cell_type"] != "code":
            continue
        parts = cell.get("source", "")
        code[number] = parts
        if isinstance(parts, str):
            parts = [parts]
        if not isinstance(parts, list) or not all(isinstance(p, str) for p in parts):
            raise NotebookError(f"malformed notebook: the \"source\" of cell {number} is not text")
        lines = []  # (text, offset in the file)
        for part in parts:
            offset, walked = getattr(part, "offset", -1), 0
            for found in _LINE.finditer(part):
                if offset >= 0:  # from the previous line on: a long one-string source stays linear
                    offset, walked = _raw_offset(text, offset, found.start() - walked), found.start()
                lines.append((found.group(), offset))
        if lines and not lines[-1][0].endswith("\n"):
            lines[-1] = (lines[-1][0] + "\n", lines[-1][1])
        for index, line in enumerate(python_lines([line for line, _ in lines])):
            source.append(line)
            origins.append(_Line(number, index + 1, lines[index][1]))
    return Notebook(text, "".join(source), origins, code)


def _is_python(metadata) -> bool:
    """A notebook whose kernel says another language (R, Julia) holds no Python to lint."""
    if not isinstance(metadata, dict):
        return True
    for key, field in (("language_info", "name"), ("kernelspec", "language")):
        table = metadata.get(key)
        if isinstance(table, dict) and isinstance(table.get(field), str):
            return table[field].lower() in ("python", "python3", "ipython", "")
    return True


def python_lines(lines: List[str]) -> List[str]:
    """A cell's lines with IPython's syntax blanked; as many lines, each at its place."""
    if lines and lines[0].lstrip().startswith("%%"):
        words = lines[0].strip()[2:].split()
        if not words or words[0] not in PYTHON_CELL_MAGICS:
            return ["\n"] * len(lines)
        return ["\n"] + python_lines(lines[1:])
    out = []
    scanner = _LogicalLines()
    in_magic = False  # a magic continued with a backslash goes on on the next line
    for line in lines:
        if in_magic or scanner.at_start() and _is_magic(line):
            indent = "" if in_magic else _INDENT.match(line).group()
            out.append(f"{indent}pass\n" if indent else "\n")  # an indented block keeps a body
            in_magic = line.rstrip("\r\n").endswith("\\")
            continue
        scanner.feed(line)
        out.append(line)
    return out


def _is_magic(line: str) -> bool:
    stripped = line.lstrip(" \t")
    return stripped[:1] in ("%", "!") or bool(_MAGIC_ASSIGNMENT.match(line) or _HELP_OR_AUTOMAGIC.match(line))


class _LogicalLines:
    """Whether the next line starts a logical line: no bracket, string or backslash left open."""

    def __init__(self):
        self.depth = 0
        self.quote = ""
        self.continued = False

    def at_start(self) -> bool:
        return self.depth == 0 and not self.quote and not self.continued

    def feed(self, line: str) -> None:
        self.continued = False
        i, n = 0, len(line)
        while i < n:
            c = line[i]
            if self.quote:
                if c == "\\":
                    i += 2
                elif line.startswith(self.quote, i):
                    i += len(self.quote)
                    self.quote = ""
                else:
                    i += 1
                continue
            if c == "#":
                break
            if c in "([{":
                self.depth += 1
            elif c in ")]}":
                self.depth = max(0, self.depth - 1)
            elif c in "'\"":
                self.quote = line[i: i + 3] if line[i: i + 3] in ('"""', "'''") else c
                i += len(self.quote)
                continue
            elif c == "\\" and not line[i + 1:].strip():
                self.continued = True
            i += 1
        if len(self.quote) == 1 and not line.rstrip("\r\n").endswith("\\"):
            self.quote = ""  # a one-quote string ends with its line, closed or not
