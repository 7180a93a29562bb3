"""The language server: diagnostics, hovers, inlay hints and code actions over pygls.

Every buffer is linted by the command line's own analysis with the same
``[tool.cnnlint]`` configuration, re-read for every analysis (it costs well
under a millisecond) so that an edit to pyproject.toml applies at once.
Positions are converted to the encoding the client negotiated (UTF-16
unless it offers another).
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass
from typing import Dict, List, Optional

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .. import __version__
from ..config import ConfigError, Resolver, Settings
from ..diagnostics import Diagnostic
from ..fixes import DISPLAY_ONLY, LINE, SAFE, UNSAFE
from ..fixes.noqa import add_noqa
from ..parallel import stopped_result
from ..results import FileResult, Options
from ..rules.docs import doc_path
from . import views
from .analysis import Job
from .worker import Analyst, Died, Stopped

#: after a change, how long to wait for the next keystroke before analysing (initializationOptions.debounceMs)
DEBOUNCE_SECONDS = 0.005
SHOW_RULE_DOC = "cnnlint.showRuleDocument"
_SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
             "info": types.DiagnosticSeverity.Information}


@dataclass
class Snapshot:
    """A result and the text it was computed from (its positions refer to that text)."""

    lines: List[str]
    result: FileResult
    version: Optional[int] = None


@dataclass
class DocumentState:
    wanted: Optional[int] = None  # the newest version; an analysis of an older one is stale
    latest: Optional[Snapshot] = None
    good: Optional[Snapshot] = None  # the last result of a file that parsed: its hints survive a syntax error


class CnnlintServer(LanguageServer):
    def __init__(self):
        super().__init__("cnnlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
                         notebook_document_sync=types.NotebookDocumentSyncOptions(notebook_selector=[
                             types.NotebookDocumentFilterWithCells(
                                 notebook="jupyter-notebook", cells=[types.NotebookCellLanguage(language="python")])]))
        self.analyst = Analyst()
        self.documents: Dict[str, DocumentState] = {}
        self.debounce = DEBOUNCE_SECONDS
        self.docs_url: Optional[str] = None  # e.g. https://example.org/rules/{code}
        self.generation = 0  # bumped when files on disk may have changed

    # -- analysis ---------------------------------------------------------

    def state(self, uri: str) -> DocumentState:
        return self.documents.setdefault(uri, DocumentState())

    async def lint(self, uri: str, delay: float = 0.0) -> None:
        """Analyse a document or a notebook (its code cells as one file) and show what was found."""
        path, version, text, show = self._target(uri)
        state = self.state(uri)
        state.wanted = version
        self.analyst.stop(uri)  # a stale analysis of this document ends now
        if delay:
            await asyncio.sleep(delay)
            path, version, text, show = self._target(uri)

        def job() -> Optional[Job]:
            if state.wanted != version or uri not in self.documents:
                return None
            return self._job(path, text)

        try:
            found = await self.analyst.analyse(uri, job)
        except Stopped:
            return
        except _NotLinted:
            found = FileResult(path)
        except ConfigError as exc:
            found = _failure(path, "CNN000", f"configuration error: {exc}")
        except Died as exc:  # the command line's bounds: the file gets CNN900, the server goes on
            found = stopped_result(path, str(exc))
        except Exception as exc:  # noqa: BLE001 - the server's own failure is shown on the file, never fatal
            found = _failure(path, "CNN000", f"internal error, please report it: {type(exc).__name__}: {exc}")
        if state.wanted != version or uri not in self.documents:
            return
        show(found)

    def _target(self, uri: str) -> tuple:
        """(path, version, text to analyse, how to show its result) of a document or a notebook."""
        notebook = self.workspace.get_notebook_document(notebook_uri=uri)
        if notebook is None:
            document = self.workspace.get_text_document(uri)
            version, text = document.version, document.source
            return document.path, version, text, lambda found: self.show(
                uri, Snapshot(split_lines(text), found, version))
        cells = [self.workspace.get_text_document(cell.document) for cell in notebook.cells
                 if cell.kind == types.NotebookCellKind.Code]
        # the command line's notebook reader joins the code cells and maps positions back to them
        text = json.dumps({"cells": [{"cell_type": "code", "source": cell.source} for cell in cells], "metadata": {}})
        path = self.workspace.get_text_document(uri).path
        return path, notebook.version, text, lambda found: self.show_cells(cells, found)

    def show_cells(self, cells: list, found: FileResult) -> None:
        """A notebook's diagnostics, each on its cell (a whole-file one on the first)."""
        for number, cell in enumerate(cells, 1):
            mine = FileResult(found.path, diagnostics=[d for d in found.diagnostics
                                                       if d.cell == number or (d.cell is None and number == 1)])
            self.show(cell.uri, Snapshot(split_lines(cell.source), mine, cell.version))

    def _job(self, path: str, text: str) -> Job:
        options = Resolver(Settings()).options_for(path, Options(report_models=True))
        if options is None:
            raise _NotLinted()
        overlay = {}
        for other in self.workspace.text_documents.values():
            if other.path != path and other.path.endswith(".py"):
                overlay[os.path.abspath(other.path)] = other.source.encode("utf-8", "surrogateescape")
        return Job(path, text.encode("utf-8", "surrogateescape"), options, overlay, self.generation)

    def show(self, uri: str, snapshot: Snapshot) -> None:
        state = self.state(uri)
        state.latest = snapshot
        if snapshot.result.models or not any(d.code == "CNN001" for d in snapshot.result.diagnostics):
            state.good = snapshot
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=snapshot.version, diagnostics=[self.diagnostic(uri, d, snapshot.lines)
                                                   for d in snapshot.result.diagnostics]))
        capabilities = self.client_capabilities.workspace
        if capabilities and capabilities.inlay_hint and capabilities.inlay_hint.refresh_support:
            self.workspace_inlay_hint_refresh(None)

    async def lint_with_dependents(self, uri: str, delay: float = 0.0) -> None:
        """Lint a document and the open documents whose analysis followed an import into it."""
        path = os.path.abspath(self.workspace.get_text_document(uri).path)
        others = [other for other, state in self.documents.items()
                  if other != uri and state.latest is not None and path in state.latest.result.reads]
        await asyncio.gather(self.lint(uri, delay), *(self.lint(other, delay) for other in others))

    def is_python(self, uri: str) -> bool:
        """Whether a document is Python (an editor may send the configuration file it has open too)."""
        document = self.workspace.get_text_document(uri)
        return document.language_id == "python" or document.path.endswith((".py", ".pyi"))

    def forget(self, uri: str) -> None:
        """A closed document: no analysis, no state, no diagnostics left in the editor."""
        self.analyst.stop(uri)
        self.documents.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    async def relint_all(self) -> None:
        """Every open document and notebook (a notebook's cells are analysed with it)."""
        await asyncio.gather(*(self.lint(uri) for uri in list(self.documents)
                               if self.workspace.get_notebook_document(cell_uri=uri) is None))

    # -- conversions ------------------------------------------------------

    def position(self, lines: List[str], line: int, column: int) -> types.Position:
        """A 1-based line and character column as an LSP position in the client's encoding."""
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        units = self.workspace.position_codec.client_num_units(text[: max(column - 1, 0)])
        return types.Position(line=max(line - 1, 0), character=units)

    def range(self, lines: List[str], line, column, end_line, end_column) -> types.Range:
        return types.Range(start=self.position(lines, line, column), end=self.position(lines, end_line, end_column))

    def rule_href(self, code: str) -> Optional[str]:
        if self.docs_url:
            return self.docs_url.replace("{code}", code)
        path = doc_path(code)
        return path.as_uri() if path else None

    def diagnostic(self, uri: str, d: Diagnostic, lines: List[str]) -> types.Diagnostic:
        href = self.rule_href(d.code)
        related = [types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri, range=self.range(
                lines, r["line"], r["column"], r["end_line"], r["end_column"])),
            message=r["message"]) for r in d.related]
        return types.Diagnostic(
            range=self.range(lines, d.line, d.column, d.end_line, d.end_column), message=d.message,
            severity=_SEVERITY.get(d.severity, types.DiagnosticSeverity.Error), code=d.code, source="cnnlint",
            code_description=types.CodeDescription(href=href) if href else None,
            related_information=related or None)

    # -- code actions -----------------------------------------------------

    def actions_for(self, uri: str, d: types.Diagnostic) -> List[types.CodeAction]:
        """The rule's fix (from the shared fix engine), "Disable CODE for this line", the rule's document."""
        document = self.workspace.get_text_document(uri)
        actions = []
        ours = self.linted(uri, d)
        if ours is not None and ours.fix is not None:
            fix = ours.fix
            action = types.CodeAction(title=fix.title + (" (unsafe)" if fix.applicability == UNSAFE else ""),
                                      kind=types.CodeActionKind.QuickFix, diagnostics=[d],
                                      is_preferred=fix.applicability == SAFE)
            if fix.available and fix.applicability != DISPLAY_ONLY:
                lines = self.state(uri).latest.lines
                action.edit = types.WorkspaceEdit(changes={uri: [types.TextEdit(
                    range=self.range(lines, e.line, e.column, e.end_line, e.end_column), new_text=e.content)
                    for e in fix.edits]})
            else:
                action.disabled = types.CodeActionDisabled(reason=fix.reason or "a suggestion, not applied")
            actions.append(action)
        line = d.range.start.line
        text = document.source
        silenced, added, _ = add_noqa(text, {line + 1: [d.code]})
        if added:
            old, new = split_lines(text)[line], split_lines(silenced)[line]
            body = old.rstrip("\r\n")
            end = types.Position(line=line, character=self.workspace.position_codec.client_num_units(body))
            actions.append(types.CodeAction(
                title=f"Disable {d.code} for this line", kind=types.CodeActionKind.QuickFix, diagnostics=[d],
                edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(
                    range=types.Range(start=types.Position(line=line, character=0), end=end),
                    new_text=new.rstrip("\r\n"))]})))
        href = self.rule_href(d.code)
        if href:
            actions.append(types.CodeAction(
                title=f"Show the documentation of {d.code}", kind=types.CodeActionKind.QuickFix, diagnostics=[d],
                command=types.Command(title=f"{d.code} documentation", command=SHOW_RULE_DOC, arguments=[d.code])))
        return actions

    def linted(self, uri: str, d: types.Diagnostic) -> Optional[Diagnostic]:
        """Our diagnostic the client sent back, if the analysed text is still the buffer's."""
        state = self.state(uri)
        snapshot = state.latest
        if snapshot is None or snapshot.version != self.workspace.get_text_document(uri).version:
            return None
        for ours in snapshot.result.diagnostics:
            if ours.code == d.code and self.diagnostic(uri, ours, snapshot.lines).range == d.range:
                return ours
        return None

    def server_position(self, uri: str, position: types.Position) -> tuple:
        """An LSP position in the current buffer as a 1-based (line, character column)."""
        document = self.workspace.get_text_document(uri)
        found = document.position_codec.position_from_client_units(document.lines, position)
        return found.line + 1, found.character + 1


def split_lines(text: str) -> List[str]:
    """Lines with their ends, counted as Python, LibCST and the protocol count them (CR, LF or CRLF)."""
    return [m.group() for m in LINE.finditer(text) if m.group()]


class _NotLinted(Exception):
    """The configuration excludes the file."""


def _failure(path: str, code: str, message: str) -> FileResult:
    result = FileResult(path, internal_error=True)
    result.diagnostics.append(Diagnostic(path, 1, 1, 1, 1, code, "error", message))
    return result


def build() -> CnnlintServer:
    server = CnnlintServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: CnnlintServer, params: types.InitializeParams):
        options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
        if isinstance(options.get("debounceMs"), (int, float)) and options["debounceMs"] >= 0:
            ls.debounce = options["debounceMs"] / 1000
        if isinstance(options.get("ruleDocumentUrl"), str):
            ls.docs_url = options["ruleDocumentUrl"]

    @server.feature(types.INITIALIZED)
    async def initialized(ls: CnnlintServer, params: types.InitializedParams):
        """Ask to hear of changes to configuration and project files the editor does not have open."""
        workspace = ls.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace else None
        if watched and watched.dynamic_registration:
            try:
                await ls.client_register_capability_async(types.RegistrationParams(registrations=[types.Registration(
                    id="cnnlint-watched-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=[
                        types.FileSystemWatcher(glob_pattern="**/pyproject.toml"),
                        types.FileSystemWatcher(glob_pattern="**/cnnlint.toml"),
                        types.FileSystemWatcher(glob_pattern="**/*.py")]))]))
            except Exception:  # noqa: BLE001 - without watchers, changes apply at the next analysis
                pass

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: CnnlintServer, params: types.DidOpenTextDocumentParams):
        if ls.is_python(params.text_document.uri):
            await ls.lint_with_dependents(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: CnnlintServer, params: types.DidChangeTextDocumentParams):
        if ls.is_python(params.text_document.uri):
            await ls.lint_with_dependents(params.text_document.uri, ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: CnnlintServer, params: types.DidSaveTextDocumentParams):
        ls.generation += 1  # the saved file may be imported by the others
        if params.text_document.uri.endswith(".toml"):
            await ls.relint_all()
        elif ls.is_python(params.text_document.uri):
            await ls.lint_with_dependents(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: CnnlintServer, params: types.DidCloseTextDocumentParams):
        ls.forget(params.text_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    async def notebook_opened(ls: CnnlintServer, params: types.DidOpenNotebookDocumentParams):
        await ls.lint(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    async def notebook_changed(ls: CnnlintServer, params: types.DidChangeNotebookDocumentParams):
        await ls.lint(params.notebook_document.uri, ls.debounce)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    async def notebook_saved(ls: CnnlintServer, params: types.DidSaveNotebookDocumentParams):
        await ls.lint(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def notebook_closed(ls: CnnlintServer, params: types.DidCloseNotebookDocumentParams):
        ls.forget(params.notebook_document.uri)
        for cell in params.cell_text_documents:
            ls.forget(cell.uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def watched_files_changed(ls: CnnlintServer, params: types.DidChangeWatchedFilesParams):
        ls.generation += 1
        await ls.relint_all()

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: CnnlintServer, params: types.HoverParams) -> Optional[types.Hover]:
        snapshot = ls.state(params.text_document.uri).good
        if snapshot is None:
            return None
        line, column = ls.server_position(params.text_document.uri, params.position)
        found = views.hover(snapshot.result, line, column)
        if found is None:
            return None
        markdown, span = found
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown),
                           range=ls.range(snapshot.lines, *span) if span else None)

    @server.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
    def inlay_hint(ls: CnnlintServer, params: types.InlayHintParams) -> List[types.InlayHint]:
        snapshot = ls.state(params.text_document.uri).good
        if snapshot is None:
            return []
        first, last = params.range.start.line + 1, params.range.end.line + 1
        return [types.InlayHint(position=ls.position(snapshot.lines, line, column), label=label,
                                kind=types.InlayHintKind.Type, padding_left=True)
                for line, column, label in views.inlay_hints(snapshot.result) if first <= line <= last]

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: CnnlintServer, params: types.CodeActionParams) -> List[types.CodeAction]:
        uri = params.text_document.uri
        actions = []
        for d in params.context.diagnostics:
            if d.source == "cnnlint" and isinstance(d.code, str):
                actions.extend(ls.actions_for(uri, d))
        return actions

    @server.command(SHOW_RULE_DOC)
    async def show_rule_document(ls: CnnlintServer, code: str):
        href = ls.rule_href(str(code))
        if href:
            await ls.window_show_document_async(types.ShowDocumentParams(uri=href, external=href.startswith("http")))

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: CnnlintServer, params):
        ls.analyst.close()

    return server
