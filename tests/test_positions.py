"""cnnlint's own position recorder must agree with LibCST's PositionProvider exactly."""

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from cnnlint.parsing import Source
from cnnlint.positions import Positions

from .conftest import FIXTURES

SOURCES = sorted(FIXTURES.glob("*.py")) + sorted(Path(cst.__file__).parent.glob("_nodes/*.py"))[:4]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_same_ranges_as_libcst(path):
    module = cst.parse_module(path.read_bytes())
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    positions = Positions(Source(module))
    for node, r in expected.items():
        pos = positions.of(node)
        assert (pos.line, pos.column, pos.end_line, pos.end_column) == (
            r.start.line, r.start.column + 1, r.end.line, r.end.column + 1), type(node).__name__


def test_crlf_and_tabs():
    source = "import torch\r\nif True:\r\n\tx = torch.nn.Linear(\r\n\t\t3, 4)\r\n"
    module = cst.parse_module(source)
    call = module.body[1].body.body[0].body[0].value
    pos = Positions(Source(module)).of(call)
    assert (pos.line, pos.column, pos.end_line, pos.end_column) == (3, 6, 4, 8)


BLOCKS = "from torch import nn\n\n\ndef stem():\n    return nn.Linear(3, 4)\n\n\ndef head():\n    return nn.Linear(10, 5)\n"


def _imported_findings(path):
    from cnnlint.results import Options
    from cnnlint.runner import lint_path

    return [(Path(d.path).name, d.line, d.column, d.end_line, d.end_column, d.code)
            for d in lint_path(str(path), Options()).diagnostics if d.path != str(path)]


def test_positions_in_an_imported_module_are_shared_between_files_and_renewed_with_it(tmp_path):
    """Files linted one after another reuse an imported module's positions; an edit of it gives new ones."""
    from cnnlint.evaluator.modules import ModuleLoader

    (tmp_path / "blocks.py").write_text(BLOCKS)
    first, second = tmp_path / "model_a.py", tmp_path / "model_b.py"
    first.write_text("from torch import nn\nfrom blocks import head, stem\n\nmodel = nn.Sequential(stem(), head())\n")
    second.write_text("from torch import nn\nfrom blocks import head\n\nmodel = nn.Sequential(nn.Linear(7, 4), head())\n")
    ModuleLoader.forget()
    alone = _imported_findings(second)
    ModuleLoader.forget()
    assert _imported_findings(first) == [("blocks.py", 9, 12, 9, 28, "CNN101")]
    assert _imported_findings(second) == alone == [("blocks.py", 9, 12, 9, 28, "CNN101")]
    (tmp_path / "blocks.py").write_text("# moved down\n\n" + BLOCKS)
    ModuleLoader.forget()
    assert _imported_findings(second) == [("blocks.py", 11, 12, 11, 28, "CNN101")]
    ModuleLoader.forget()
