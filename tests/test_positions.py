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
