"""The language server, end to end: ``cnnlint server`` in a subprocess, driven as an editor drives it."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp")
from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
BUGGY = FIXTURES / "lenet5_torch_buggy.py"
#: a model whose analysis takes a second or more
SLOW = "import torch.nn as nn\n\nmodel = nn.Sequential(\n" + "    nn.Linear(64, 64),\n" * 3000 + ")\n"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "cnnlint", "server"]))
async def client(lsp_client: LanguageClient):
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams):
        lsp_client.registrations = params.registrations

    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=ROOT.as_uri()))
    yield
    await lsp_client.shutdown_session()


async def published(client: LanguageClient, uri: str) -> list:
    """Wait for the next diagnostics of ``uri`` (call it before anything awaits after the request)."""
    seen = client.diagnostics.get(uri)
    for _ in range(6000):  # the client stores each publication as a new sequence
        if client.diagnostics.get(uri) is not seen:
            return list(client.diagnostics[uri])
        await asyncio.sleep(0.01)
    raise TimeoutError(f"no diagnostics for {uri}")


async def open_document(client: LanguageClient, path: Path, text: str = None) -> str:
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="python", version=1, text=path.read_text(encoding="utf-8") if text is None else text)))
    await published(client, uri)
    return uri


async def replace_text(client: LanguageClient, uri: str, version: int, text: str) -> list:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
    return await published(client, uri)


def line_of(text: str, needle: str) -> int:
    """0-based line of the first line containing ``needle``."""
    return next(i for i, line in enumerate(text.splitlines()) if needle in line)


async def hover_text(client: LanguageClient, uri: str, line: int, character: int) -> str:
    found = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=line, character=character)))
    return found.contents.value if found else ""


async def inlay_hints(client: LanguageClient, uri: str) -> list:
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=10_000, character=0))))
    return hints or []


@pytest.mark.asyncio
async def test_cnn101_on_fc1_with_its_rule_document_and_origins(client: LanguageClient):
    text = BUGGY.read_text(encoding="utf-8")
    uri = await open_document(client, BUGGY)
    [d] = client.diagnostics[uri]
    assert d.code == "CNN101" and d.source == "cnnlint" and d.severity == types.DiagnosticSeverity.Error
    assert d.range.start.line == line_of(text, "self.fc1 = nn.Linear")
    assert d.range.start.character == text.splitlines()[d.range.start.line].index("nn.Linear")
    assert d.code_description.href.endswith("/CNN101.md")
    assert Path(d.code_description.href.removeprefix("file://")).is_file()
    related = {r.location.range.start.line: r.message for r in d.related_information}
    assert "applied" in related[line_of(text, "self.fc1(x)")]
    assert "view" in related[line_of(text, "x.view(")]


@pytest.mark.asyncio
async def test_positions_count_utf16_units_before_the_layer(client: LanguageClient):
    text = BUGGY.read_text(encoding="utf-8").replace(
        "        self.fc1 = nn.Linear", '        self.tag = "🙂é"; self.fc1 = nn.Linear')
    uri = await open_document(client, FIXTURES / "utf16_probe.py", text)
    [d] = client.diagnostics[uri]
    line = text.splitlines()[d.range.start.line]
    prefix = line[: line.index("nn.Linear")]
    assert d.range.start.character == len(prefix.encode("utf-16-le")) // 2 == len(prefix) + 1


@pytest.mark.asyncio
async def test_positions_count_utf8_bytes_when_the_client_negotiates_them():
    client = await ClientServerConfig(server_command=[sys.executable, "-m", "cnnlint", "server"]).start()
    found = await client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf8]))))
    assert found.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    text = BUGGY.read_text(encoding="utf-8").replace(
        "        self.fc1 = nn.Linear", '        self.tag = "🙂é"; self.fc1 = nn.Linear')
    uri = await open_document(client, FIXTURES / "utf8_probe.py", text)
    [d] = client.diagnostics[uri]
    line = text.splitlines()[d.range.start.line]
    assert d.range.start.character == len(line[: line.index("nn.Linear")].encode("utf-8"))
    await client.shutdown_session()
    await client.stop()


@pytest.mark.asyncio
async def test_hover_on_a_layer_its_call_and_the_model(client: LanguageClient):
    text = BUGGY.read_text(encoding="utf-8")
    uri = await open_document(client, BUGGY)
    definition = line_of(text, "self.fc1 = nn.Linear")
    shown = await hover_text(client, uri, definition, text.splitlines()[definition].index("Linear") + 2)
    assert "Linear" in shown and "48,120 (78.0% of Net's 61,706)" in shown and "(N, 256)" in shown
    assert "- output: `?`" in shown and "CNN101: fc1 expects 400 features" in shown
    good = (FIXTURES / "lenet5_torch.py").read_text(encoding="utf-8")
    good_uri = await open_document(client, FIXTURES / "lenet5_torch.py")
    call = line_of(good, "self.fc1(x)")
    shown = await hover_text(client, good_uri, call, good.splitlines()[call].index("fc1(x)"))
    assert "Linear" in shown and "(N, 120)" in shown and "30,840" in shown and "(N, 256)" in shown
    summary = await hover_text(client, good_uri, line_of(good, "class LeNet5"), 3)
    assert "Total params: 44,426" in summary and "fc3 (Linear)" in summary


@pytest.mark.asyncio
async def test_inlay_hints_after_layers_and_statements(client: LanguageClient):
    text = BUGGY.read_text(encoding="utf-8")
    uri = await open_document(client, BUGGY)
    hints = {}
    for hint in await inlay_hints(client, uri):
        hints.setdefault(hint.position.line, []).append(hint.label)
    conv1 = line_of(text, "self.conv1 = ")
    assert hints[conv1] == ["(6, 24, 24) · 156 params"]
    assert hints[line_of(text, "x = F.max_pool2d(F.relu(self.conv1(x))")] == ["(N, 6, 12, 12)"]
    assert hints[line_of(text, "x = x.view(")] == ["(N, 256)"]


@pytest.mark.asyncio
async def test_keras_layers_in_a_sequential_list_and_functional_calls(client: LanguageClient):
    text = (FIXTURES / "lenet5_keras.py").read_text(encoding="utf-8")
    uri = await open_document(client, FIXTURES / "lenet5_keras.py")
    dense = line_of(text, "keras.layers.Dense(120")
    shown = await hover_text(client, uri, dense, text.splitlines()[dense].index("Dense"))
    assert "`Dense`" in shown and "(N, 256)" in shown and "(N, 120)" in shown
    assert "30,840 (69.4% of model's 44,426)" in shown
    text = (FIXTURES / "keras_functional.py").read_text(encoding="utf-8")
    uri = await open_document(client, FIXTURES / "keras_functional.py")
    first = line_of(text, 'activation="relu")(inputs)')
    shown = await hover_text(client, uri, first, text.splitlines()[first].index("(inputs)") + 2)
    assert "`Conv2D`" in shown and "(N, 32, 32, 3)" in shown and "(N, 32, 32, 16)" in shown and "448" in shown
    hints = {h.position.line: h.label for h in await inlay_hints(client, uri)}
    assert hints[first] == "(32, 32, 16) · 448 params"
    assert hints[line_of(text, "use_bias=False)(x)")] == "(32, 32, 16) · 4,608 params in 2 layers"
    assert hints[line_of(text, "shared = layers.Dense(8)")] == "(8,) · 40 params"


@pytest.mark.asyncio
async def test_a_fixed_buffer_clears_the_diagnostic_and_a_syntax_error_keeps_the_hints(client: LanguageClient):
    text = BUGGY.read_text(encoding="utf-8")
    uri = await open_document(client, BUGGY)
    assert await replace_text(client, uri, 2, text.replace("16 * 5 * 5", "16 * 4 * 4")) == []
    hints = await inlay_hints(client, uri)
    [broken] = await replace_text(client, uri, 3, text.replace("def forward(self, x):", "def forward(self, x:"))
    assert broken.code == "CNN001"
    assert [h.label for h in await inlay_hints(client, uri)] == [h.label for h in hints]


@pytest.mark.asyncio
async def test_disable_for_this_line_merges_the_noqa_and_silences_it(client: LanguageClient):
    text = BUGGY.read_text(encoding="utf-8").replace("16 * 5 * 5, 120)", "16 * 5 * 5, 120)  # noqa: CNN102")
    uri, d, actions = await actions_on_the_diagnostic(client, "noqa_probe.py", text)
    assert "cnnlint.showRuleDocument" in str(actions["Show the documentation of CNN101"])
    await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="cnnlint.showRuleDocument", arguments=["CNN101"]))
    assert [shown.uri for shown in client.shown_documents] == [d.code_description.href]
    [edit] = actions["Disable CNN101 for this line"].edit.changes[uri]
    silenced = apply_edits(text, [edit])
    assert "120)  # noqa: CNN102, CNN101\n" in silenced
    assert await replace_text(client, uri, 2, silenced) == []


def apply_edits(text: str, edits) -> str:
    """Apply LSP text edits (UTF-16 positions) to ``text``, as an editor does."""
    lines = text.splitlines(keepends=True)

    def offset(position: types.Position) -> int:
        line = lines[position.line]
        units, index = 0, 0
        while units < position.character:
            units += len(line[index].encode("utf-16-le")) // 2
            index += 1
        return sum(len(l) for l in lines[: position.line]) + index

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


async def actions_on_the_diagnostic(client: LanguageClient, name: str, text: str) -> tuple:
    """Open ``text`` as fixtures/``name``; (its URI, its one diagnostic, the code actions on it by title)."""
    uri = await open_document(client, FIXTURES / name, text)
    [d] = client.diagnostics[uri]
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=d.range,
        context=types.CodeActionContext(diagnostics=[d])))
    return uri, d, {a.title: a for a in actions}


@pytest.mark.asyncio
async def test_the_quick_fix_sets_in_features_and_clears_the_diagnostic(client: LanguageClient):
    text = BUGGY.read_text(encoding="utf-8").replace("        self.fc1", '        self.tag = "🙂"; self.fc1')
    uri, d, actions = await actions_on_the_diagnostic(client, "fix_probe.py", text)
    [fix] = [a for title, a in actions.items() if "in_features" in title]
    fixed = apply_edits(text, fix.edit.changes[uri])
    assert 'self.tag = "🙂"; self.fc1 = nn.Linear(16 * 4 * 4, 120)' in fixed
    assert await replace_text(client, uri, 2, fixed) == []


@pytest.mark.asyncio
async def test_a_notebook_gets_each_diagnostic_on_its_cell(client: LanguageClient, tmp_path: Path):
    text = BUGGY.read_text(encoding="utf-8")
    imports, model = text[: text.index("class Net")], text[text.index("class Net"):]
    notebook = (tmp_path / "lenet.ipynb").as_uri()
    cells = [types.TextDocumentItem(uri=f"{notebook}#cell{n}", language_id=language, version=1, text=source)
             for n, (language, source) in enumerate([("python", imports), ("markdown", "# LeNet"), ("python", model)])]
    client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
        notebook_document=types.NotebookDocument(uri=notebook, notebook_type="jupyter-notebook", version=1, cells=[
            types.NotebookCell(kind=types.NotebookCellKind.Markup if cell.language_id == "markdown"
                               else types.NotebookCellKind.Code, document=cell.uri) for cell in cells]),
        cell_text_documents=cells))
    [d] = await published(client, cells[2].uri)
    assert d.code == "CNN101" and d.range.start.line == line_of(model, "self.fc1 = nn.Linear")
    assert list(client.diagnostics.get(cells[0].uri, [])) == []
    client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
        notebook_document=types.VersionedNotebookDocumentIdentifier(uri=notebook, version=2),
        change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(text_content=[
            types.NotebookDocumentCellContentChanges(
                document=types.VersionedTextDocumentIdentifier(uri=cells[2].uri, version=2),
                changes=[types.TextDocumentContentChangeWholeDocument(text=model.replace("16 * 5 * 5", "16 * 4 * 4"))])
        ]))))
    assert await published(client, cells[2].uri) == []


@pytest.mark.asyncio
async def test_imports_are_followed_into_open_buffers(client: LanguageClient, tmp_path: Path):
    (tmp_path / "blocks.py").write_text("import torch.nn as nn\n\n\ndef head(features):\n"
                                        "    return nn.Linear(features, 120)\n", encoding="utf-8")
    model = tmp_path / "model.py"
    model.write_text(textwrap.dedent("""\
        import torch
        import torch.nn as nn

        from blocks import head


        class Net(nn.Module):  # cnnlint: input-shape=1,28,28
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(1, 16, 3)
                self.fc1 = head(16 * 26 * 26)

            def forward(self, x):
                return self.fc1(torch.flatten(self.conv(x), 1))
        """), encoding="utf-8")
    uri = await open_document(client, model)
    assert list(client.diagnostics[uri]) == []
    blocks = (tmp_path / "blocks.py").as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=blocks, language_id="python", version=1,
        text="import torch.nn as nn\n\n\ndef head(features):\n    return nn.Linear(features + 1, 120)\n")))
    [d] = await published(client, uri)
    assert d.code == "CNN101"


@pytest.mark.asyncio
async def test_configuration_is_read_and_reloaded(client: LanguageClient, tmp_path: Path):
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.cnnlint]\nignore = ["CNN101"]\n', encoding="utf-8")
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=config.as_uri(), language_id="toml", version=1, text=config.read_text(encoding="utf-8"))))
    uri = await open_document(client, tmp_path / "net.py", BUGGY.read_text(encoding="utf-8"))
    assert list(client.diagnostics[uri]) == []
    [watching] = client.registrations
    assert watching.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    assert "**/pyproject.toml" in [w["globPattern"] for w in watching.register_options["watchers"]]
    config.write_text('[tool.cnnlint]\nignroe = ["CNN101"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]))
    [d] = await published(client, uri)
    assert "unknown key 'ignroe'" in d.message and d.range.start.line == 0
    config.write_text("[tool.cnnlint]\n", encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]))
    [d] = await published(client, uri)
    assert d.code == "CNN101"
    assert config.as_uri() not in client.diagnostics  # the configuration file itself is not linted as Python


def _children(pid: int) -> list:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree from /proc")
@pytest.mark.asyncio
async def test_a_dead_analysis_is_a_diagnostic_not_a_dead_server(client: LanguageClient):
    uri, workers = await start_a_slow_analysis(client)
    await asyncio.sleep(0.2)
    for pid in workers:  # processes this test's server started for the analysis it is running
        os.kill(pid, signal.SIGKILL)
    [d] = await published(client, uri)
    assert d.code == "CNN900" and "process ended abnormally (signal 9)" in d.message
    [d] = await replace_text(client, uri, 2, BUGGY.read_text(encoding="utf-8"))
    assert d.code == "CNN101"


def _workers(client: LanguageClient) -> list:
    """The analysis processes: forked by the fork server, the server's child."""
    return [pid for child in _children(client._server.pid) for pid in _children(child)]


async def start_a_slow_analysis(client: LanguageClient) -> tuple:
    """Open a document whose analysis takes a second or more; (its URI, the processes analysing it)."""
    uri = (FIXTURES / "slow_probe.py").as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="python", version=1, text=SLOW)))
    while not _workers(client):
        await asyncio.sleep(0.05)
    return uri, set(_workers(client))


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree from /proc")
@pytest.mark.asyncio
async def test_a_newer_version_stops_the_stale_analysis(client: LanguageClient):
    uri, stale = await start_a_slow_analysis(client)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=BUGGY.read_text(encoding="utf-8"))]))
    params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert params.version == 2 and [d.code for d in params.diagnostics] == ["CNN101"]
    assert stale.isdisjoint(_workers(client))


@pytest.mark.asyncio
async def test_shutdown_and_exit_end_the_process():
    config = ClientServerConfig(server_command=[sys.executable, "-m", "cnnlint", "server"])
    client = await config.start()
    await client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
    await client.shutdown_session()
    assert client._server.returncode == 0
    await client.stop()


def test_a_plain_lint_run_imports_no_server_library():
    code = ("import sys\nfrom cnnlint.cli import app\n"
            f"try:\n    app([{str(BUGGY)!r}, '--no-cache'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol', 'cattrs')))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert found.stdout.strip().splitlines()[-1] == "[]"
    assert "CNN101" in found.stdout


def test_inlay_hints_of_a_block_run_in_every_stage_count_its_shapes():
    from cnnlint.results import Options
    from cnnlint.runner import lint_source
    from cnnlint.server.views import inlay_hints

    path = FIXTURES / "resnet50_torch.py"
    text = path.read_text(encoding="utf-8")
    hints = {line: label for line, _, label in inlay_hints(lint_source(str(path), text.encode(), Options()))}
    assert hints[line_of(text, "x = self.layer3(x)") + 1] == "(N, 1024, 14, 14)"
    assert hints[line_of(text, "out = out + identity") + 1] == \
        "(N, 256, 56, 56) | (N, 512, 28, 28) | … (4 shapes)"
    assert hints[line_of(text, "self.fc = nn.Linear") + 1] == "(1000,) · 2,049,000 params"
    assert hints[line_of(text, "self.bn3 = ") + 1].endswith("· 30,208 params in 16 layers")
