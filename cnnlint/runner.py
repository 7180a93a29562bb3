"""Lint one file: read, parse once, interpret, trace each model, run the rules."""

from __future__ import annotations

import gc
import os
import re
import weakref
from contextlib import contextmanager

import libcst as cst

from . import dims
from .diagnostics import Diagnostic
from .evaluator.budget import FILE_STEPS, BudgetExceeded
from .evaluator.interpreter import Budget, Interpreter
from .evaluator.modules import ModuleLoader
from .fixes.edits import resolve
from .graph import ModelGraph, Problem, ProblemKind, Tensor
from .parsing import BeyondParser, Source, check_syntax, parse, python_syntax_error
from .positions import Positions
from .results import FileResult, LayerRow, ModelReport, Options, file_diagnostic, read_source
from .rules import ALL_RULES, RuleContext
from .suppressions import Directives, scan

#: files that mention no framework and import nothing from their own project cannot hold a model and are
#: not parsed; those that do are checked for syntax errors (always worth reporting) but only analysed if
#: they name a construct models are built from or import from the project (``from models.resnet import
#: ResNet18; net = ResNet18()`` builds a model without naming a construct)
_FRAMEWORK_HINT = re.compile(rb"keras|torch|tensorflow")
_MODEL_HINT = re.compile(rb"\b(?:Sequential|Module|LightningModule|ModuleList|ModuleDict|Model|Functional|Input|InputLayer|"
                         rb"Layer|segmentation_models_pytorch)\b|torchvision\.models|from torchvision import[^\n]*\bmodels\b|"
                         rb"\bcreate_model\(|\.from_pretrained\(|\bhub\.load\(|keras\.applications")
_IMPORT = re.compile(rb"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import\b|import[ \t]+([\w.]+))", re.M)
_PARSER_POSITION = re.compile(r"error at (\d+):(\d+)")
#: cnnlint's own failure and a file it cannot read: whatever the selection and the noqa comments say
ALWAYS_SHOWN = ("CNN000", "CNN001")
#: "<... object at 0x7f...>": a memory address differs from run to run; no message carries one
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
#: allocations between two collections of the youngest generation while a file is analysed
_FILE_GC_THRESHOLD = 100_000
#: the unrun functions a step-bound note names before "and N more"
UNRUN_NAMED = 10


def imports_project(path: str, data: bytes) -> bool:
    """Whether the file imports one of its project's own modules (found by path, as Python would)."""
    loader = None
    for found in _IMPORT.finditer(data):
        name = (found.group(1) or found.group(2)).decode("ascii", "replace")
        if name.startswith("."):
            return True
        loader = loader or ModuleLoader(path)
        if loader.split(name)[0] is not None:
            return True
    return False


def frontends(data: bytes, project: bool = False) -> list:
    """The front ends a file can need, judged from its text (each costs an import); all of them for a
    file that imports from its project, whose models may come from there."""
    found = []
    if project or b"keras" in data or b"tensorflow" in data:
        from .frontends.keras import KerasFrontEnd

        found.append(KerasFrontEnd())
    if project or b"torch" in data:
        from .frontends.torch import TorchFrontEnd

        found.append(TorchFrontEnd())
    return found


def lint_path(path: str, options: Options) -> FileResult:
    data, failure = read_source(path)
    return failure if failure is not None else lint_source(path, data, options)


def lint_source(path: str, data: bytes, options: Options) -> FileResult:
    """Never raises: an internal failure becomes CNN000 for this file.

    Code nested deeper than Python's recursion limit, or analysis that runs
    out of memory, is a bound of the analysis (CNN900), not a cnnlint bug.
    """
    try:
        with _collecting_after():
            return _lint(path, data, options)
    except (RecursionError, MemoryError) as exc:
        result = FileResult(path)
        why = "is nested too deeply" if isinstance(exc, RecursionError) else "needs more memory than allowed"
        result.diagnostics.append(file_diagnostic(path, "CNN900", f"the file {why} for cnnlint to analyse it"))
        return result
    except BudgetExceeded as exc:  # a bound no front end caught: still a limit of the analysis, not a bug
        result = FileResult(path)
        result.diagnostics.append(file_diagnostic(path, "CNN900", f"the analysis of this file stopped: {exc.reason}"))
        return result
    except Exception as exc:  # noqa: BLE001 - one file's failure must not stop the run
        result = FileResult(path, internal_error=True)
        summary = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        result.diagnostics.append(file_diagnostic(path, "CNN000", f"internal error, please report it: {summary}"))
        return result


@contextmanager
def _collecting_after():
    """Collect a file's garbage once, after it, rather than hundreds of times while it is analysed.

    Parsing and interpreting allocate millions of objects, almost none of them
    garbage until the file is done; with Python's default threshold the
    collector scans them over and over (a quarter of the run time).
    """
    threshold = gc.get_threshold()
    gc.set_threshold(_FILE_GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.collect(1)


def _lint(path: str, data: bytes, options: Options) -> FileResult:
    if options.language(path) == "ipynb":
        return _lint_notebook(path, data, options)
    return _lint_python(path, data, options)


def _lint_notebook(path: str, data: bytes, options: Options) -> FileResult:
    """The code cells as one file; a notebook cnnlint cannot read is one CNN001 at the JSON's fault."""
    from .notebook import NotebookError, read

    try:
        book = read(data)
    except NotebookError as exc:
        result = FileResult(path)
        result.diagnostics.append(Diagnostic(path, exc.line, exc.column, exc.line, exc.column, "CNN001", "error",
                                             exc.message))
        return result
    if book is None or not book.source.strip():  # another kernel's language; no code (not an empty file)
        return FileResult(path)
    return book.relocate(_lint_python(path, book.python, options))


def _lint_python(path: str, data: bytes, options: Options) -> FileResult:
    result = FileResult(path)
    if not data.strip():
        if not path.endswith("__init__.py"):
            result.diagnostics.append(file_diagnostic(path, "CNN002", "the file is empty: there is no model to analyse"))
        return _filtered(result, options, Directives())
    framework, construct = _FRAMEWORK_HINT.search(data), _MODEL_HINT.search(data)
    project = not (framework and construct) and imports_project(path, data)
    if not framework and not project:
        return result
    directives = scan(data)
    try:
        if not construct and not project:
            check_syntax(data)
            return result
        parsed = parse(data)
    except BeyondParser as exc:
        result.diagnostics.append(file_diagnostic(
            path, "CNN900", f"Python accepts this file but LibCST, which cnnlint reads code with, cannot parse it "
                            f"({exc}): it is not analysed"))
        return _filtered(result, options, directives)
    except cst.ParserSyntaxError as exc:
        python = python_syntax_error(data)  # Python's own place and words: "'(' was never closed"
        if python is not None:
            line, column, message = python
        else:
            (line, column), message = _syntax_error_position(exc), exc.message
        result.diagnostics.append(Diagnostic(path, line, column, line, column, "CNN001", "error",
                                             f"syntax error: {message}"))
        return _filtered(result, options, directives)
    except (UnicodeDecodeError, LookupError, ValueError, SyntaxError) as exc:
        result.diagnostics.append(file_diagnostic(path, "CNN001", f"cannot decode the file: {exc}"))
        return _filtered(result, options, directives)
    with ModuleLoader.recording() as reads:
        _analyse(path, data, parsed, options, directives, result, project, reads)
    result.reads = dict(sorted(reads.items()))
    return _filtered(result, options, directives)


def _analyse(path: str, data: bytes, parsed: Source, options: Options, directives: Directives, result: FileResult,
             project: bool = False, reads: frozenset = frozenset()) -> None:
    """Run the module, trace every model it defines and add the rules' findings to ``result``."""
    positions = Positions(parsed)
    interp = Interpreter(parsed, frontends(data, project), Budget(), line_of=positions.line_of, path=path)
    interp.model_filter = options.model
    interp.run_module()
    for stop in interp.module_stops:
        result.diagnostics.append(_diagnostic_at(
            path, positions.of(stop.site), "CNN900", "info",
            f"the analysis of this statement stopped: {interp.render_lines(stop.message)}; a model it defines is not "
            "reported"))
    imported = _ImportedPositions(path, reads)
    ctx = RuleContext(max_params=options.max_params, max_macs=options.max_macs, source=parsed)
    for fe in interp.frontends:
        for candidate in fe.candidates(interp):
            result.model_names.append(candidate.name)
            if options.model is not None and candidate.name != options.model:
                continue
            locate = options.report_models or directives.disable or directives.input_shapes
            position = positions.of(candidate.site) if locate else None
            line = position.line if position else None
            input_shape, origin = options.input_shape, "command line"
            if input_shape is None and line in directives.input_shapes:
                input_shape, origin = directives.input_shapes[line], "pragma"
            if input_shape is None and candidate.name in options.input_shapes:
                input_shape, origin = options.input_shapes[candidate.name], "config"
            if input_shape is None and candidate.declared_input is not None:
                input_shape, origin = candidate.declared_input, "declared"
            graph = fe.trace(interp, candidate, input_shape)
            graph.input_source = graph.input_source or (origin if input_shape is not None else "unknown")
            if options.report_models:
                result.models.append(_report(path, graph, positions, line))
            graph.disabled = frozenset(r.code for r in ALL_RULES if directives.disabled(line, r.code))
            for rule in ALL_RULES:
                if rule.file_level or rule.code not in options.enabled or rule.code in graph.disabled:
                    continue
                for finding in rule.check(graph, ctx):
                    where, pos = path, positions.of(finding.site)
                    if pos is None and finding.site is not None:  # code of a module the file imports
                        where, pos = imported.of(finding.site) or (path, None)
                    pos = pos or position or positions.of(candidate.site)
                    here = where == path
                    result.diagnostics.append(_diagnostic_at(
                        where, pos, rule.code, rule.severity, interp.render_lines(finding.message), graph.name,
                        fix=resolve(finding.fix, positions) if finding.fix is not None and here else None,
                        related=_related(finding, positions, pos) if options.report_models else []))
    if interp.unrun_factories:
        result.diagnostics.append(_unrun_factories(path, interp.unrun_factories, positions))


def _unrun_factories(path: str, unrun: list, positions: Positions) -> Diagnostic:
    """One note, at the first of them, for the functions the file's step bound left unrun: each may build a
    model, and a model the file builds is never passed over in silence."""
    names = [f"{name}()" for name, _ in unrun]
    more = len(names) - UNRUN_NAMED
    shown = ", ".join(names[:UNRUN_NAMED]) + (f" and {more} more" if more > 0 else "")
    return _diagnostic_at(path, positions.of(unrun[0][1]), "CNN900", "info",
                          f"the analysis of this file reached its {FILE_STEPS:,}-step bound before running "
                          f"{len(names)} function{'s' if len(names) > 1 else ''} callable without arguments, which "
                          f"may build models: {shown}")


def _diagnostic_at(path: str, pos, code: str, severity: str, message: str, model=None, **extra) -> Diagnostic:
    """A diagnostic at a position, or at 1:1 when there is none (a site of code cnnlint generated)."""
    return Diagnostic(path, pos.line if pos else 1, pos.column if pos else 1, pos.end_line if pos else 1,
                      pos.end_column if pos else 1, code, severity, message, model, **extra)


def _related(finding, positions: Positions, reported) -> list:
    """The finding's other places, positioned; the reported place itself is not repeated."""
    found = []
    for site, message in finding.related:
        pos = positions.of(site)
        if pos is not None and pos != reported:
            found.append({"line": pos.line, "column": pos.column, "end_line": pos.end_line,
                          "end_column": pos.end_column, "message": message})
    return found


#: parsed project module -> its positions, kept while the module is: the modules a package's files import are
#: shared by the files a process lints, and re-generating their code for every file cost timm a seventh of its time
_MODULE_POSITIONS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


class _ImportedPositions:
    """Where a node of a project module the analysis read lies: its file and position there."""

    def __init__(self, origin: str, reads):
        self._origin = origin
        self._reads = reads  # the files the analysis read, filled while it runs

    def of(self, node):
        for path in sorted(self._reads):
            source = ModuleLoader.sources.get(path)
            if source is None:
                continue
            positions = _MODULE_POSITIONS.get(source)
            if positions is None:
                positions = _MODULE_POSITIONS[source] = Positions(source)
            pos = positions.of(node)
            if pos is not None:  # named as the linted file is: relative to where cnnlint runs, or absolute
                return (path if os.path.isabs(self._origin) else os.path.relpath(path)), pos
        return None


def _filtered(result: FileResult, options: Options, directives: Directives) -> FileResult:
    """Selected codes not silenced by a ``# noqa``; CNN000 and CNN001 are always shown, as ruff
    always shows a syntax error: a file nobody can read is never a pass.

    Models built by the same code (ResNet50/101/152 from one helper) report
    the same finding at the same place once.
    """
    unique = {}
    for d in result.diagnostics:
        d.message = _ADDRESS.sub("", d.message)
        elsewhere = d.path != result.path  # in a module the file imports: this file's noqa lines say nothing
        if d.code in ALWAYS_SHOWN or (d.code in options.enabled and (
                elsewhere or not directives.is_suppressed(d.line, d.code))):
            if d.code not in options.fixable:
                d.fix = None
            unique.setdefault((d.path, d.line, d.column, d.code, d.message), d)
    result.diagnostics = sorted(unique.values(), key=Diagnostic.sort_key)
    return result


def _syntax_error_position(exc: cst.ParserSyntaxError) -> tuple:
    """1-based (line, column); the native parser's message is right where ``raw_line`` can be one line late."""
    found = _PARSER_POSITION.search(exc.message)
    if found:
        return max(1, int(found.group(1))), int(found.group(2)) + 1
    return max(1, exc.raw_line), exc.raw_column + 1


def _report(path: str, graph: ModelGraph, positions: Positions, line) -> ModelReport:
    complete = not graph.stopped and not any(
        isinstance(f, Problem) and f.kind is ProblemKind.UNRESOLVED for node in graph.nodes for f in node.facts)
    weights = graph.weights()
    per_layer = graph.layer_weights()
    shown: set = set()
    rows = []
    for node in graph.nodes:
        if not node.is_layer:
            continue
        pos = positions.of(node.site)
        call = positions.of(node.call_site)
        first_input = node.inputs[0] if node.inputs and isinstance(node.inputs[0], Tensor) else None
        row = node.layer.summary_row(node, per_layer.get(id(node.layer)), id(node.layer) not in shown)
        shown.add(id(node.layer))
        rows.append(LayerRow(
            name=node.label or row.type, line=pos.line if pos else None, column=pos.column if pos else None,
            depth=node.depth, end_line=pos.end_line if pos else None, end_column=pos.end_column if pos else None,
            call=[call.line, call.column, call.end_line, call.end_column] if call else None,
            input_shape=first_input.without_batch() if first_input is not None else None, **row._asdict()))
    exact = complete or graph.params_known
    return ModelReport(
        path=path, name=graph.name, line=line, framework=graph.framework,
        input_shape=_shapes([t.without_batch() for t in graph.inputs]) if graph.inputs else None,
        output_shape=_shapes([t.without_batch() for t in graph.outputs]),
        total_params=dims.exact(weights.total) if exact else None,
        trainable_params=dims.exact(weights.trainable) if exact else None,
        non_trainable_params=dims.exact(weights.non_trainable) if exact else None,
        macs=dims.exact(graph.macs()) if complete else None,
        input_source=graph.input_source, layers=rows, complete=complete, trace=_trace(graph, positions))


def _trace(graph: ModelGraph, positions: Positions) -> list:
    """Which expression produced which tensor: every application the code makes, in execution order."""
    steps = []
    for node in graph.nodes:
        pos = positions.of(node.call_site)
        out = node.output_tensor
        if pos is None:
            continue
        steps.append({"line": pos.line, "column": pos.column, "end_line": pos.end_line, "end_column": pos.end_column,
                      "op": node.label or node.layer.type_name,
                      "output_shape": out.without_batch() if out is not None else None})
    return steps


def _shapes(shapes: list):
    """One input's or output's shape; for several, the list of their shapes, as Keras' ``model.input_shape``
    and ``output_shape`` (None when any is unknown, so that a list of lists always means several)."""
    if len(shapes) == 1:
        return shapes[0]
    return shapes if shapes and all(shape is not None for shape in shapes) else None


#: the results and options are defined beside the runner; callers may import them from here
__all__ = ["FileResult", "LayerRow", "ModelReport", "Options", "lint_path", "lint_source"]
