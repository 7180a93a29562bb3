"""Function bodies parsed on demand must be the bodies a whole-file parse gives, at the same positions."""

import importlib.util
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from cnnlint.parsing import _cst_definitions, check_syntax, parse
from cnnlint.positions import Positions

from .conftest import FIXTURES

TRICKY = "".join([
    "import torch\r\n",
    "\r\n",
    "def one_liner(x): return x\r\n",
    "def spread(\r\n    a,\r\n    b=2,\r\n):  # the header ends here\r\n",
    "    '''A docstring\r\nwhose lines are less indented than the body.'''\r\n",
    "    @decorate\r\n    def inner(y):\r\n        return y\r\n",
    "    return inner(a)  # trailing comment\r\n",
    "    # a comment after the body\r\n",
    "\r\n",
    "def body_on_colon_line(\r\n    a): return a\r\n",
    "class Net(torch.nn.Module):\r\n",
    "\tdef __init__(self, n=3):\r\n",
    "\t\tsuper().__init__()\r\n",
    "\t\tself.fc = torch.nn.Linear(n, 4)  # \u00e9t\u00e9 \u00fcber\r\n",
    "\tasync def forward(self, x):\r\n",
    "\t\treturn self.fc(x)\r\n",
    "if torch:\r\n",
    "    def in_if(): \r\n        pass\r\n",
    "else:\r\n",
    "    def in_else():\r\n        pass\r\n",
    "try:\r\n    def in_try():\r\n        return 1\r\nexcept ImportError:\r\n    def in_except():\r\n        return 2\r\n",
    "finally:\r\n    def in_finally():\r\n        return 3\r\n",
    "match torch:\r\n    case _:\r\n        def in_case():\r\n            return 4\r\n",
    "def last(): \r\n    x = '\u00e9'\r\n    return x",
])

def _installed(package: str, *names: str) -> list:
    spec = importlib.util.find_spec(package)  # locates without importing
    folder = Path(list(spec.submodule_search_locations)[0]) if spec and spec.submodule_search_locations else None
    return [folder / name for name in names] if folder else []


SOURCES = (sorted(FIXTURES.glob("*.py")) + sorted(Path(cst.__file__).parent.glob("_nodes/*.py"))[:3]
           + _installed("torchvision", "models/efficientnet.py", "models/swin_transformer.py", "ops/misc.py")
           + _installed("keras", "src/applications/efficientnet.py", "src/layers/layer.py"))


def _walk(node):
    yield node
    for child in node.children:
        yield from _walk(child)


def _ranges(nodes, position_of):
    return [(type(n).__name__, position_of(n)) for n in nodes]


@pytest.mark.parametrize("data", [TRICKY.encode()] + [p.read_bytes() for p in SOURCES],
                         ids=["tricky"] + [p.name for p in SOURCES])
def test_deferred_bodies_match_a_whole_parse(data):
    full = cst.parse_module(data)
    expected = MetadataWrapper(full, unsafe_skip_copy=True).resolve(PositionProvider)

    def full_position(node):
        r = expected[node]
        return r.start.line, r.start.column + 1, r.end.line, r.end.column + 1

    source = parse(data)
    positions = Positions(source)

    def lazy_position(node):
        p = positions.of(node)
        return p.line, p.column, p.end_line, p.end_column

    pairs = list(zip(_cst_definitions(source.module), _cst_definitions(full), strict=True))
    assert source._deferred or not pairs, "nothing was deferred: the test would prove nothing"
    for lazy, whole in pairs:
        assert lazy.name.value == whole.name.value
        assert lazy_position(lazy) == full_position(whole), lazy.name.value
        # the statements, that is: comment lines after the last one are the block's trivia
        statements, expected_statements = source.body(lazy).body, whole.body.body
        assert len(statements) == len(expected_statements), lazy.name.value
        for mine, theirs in zip(statements, expected_statements):
            assert mine.deep_equals(theirs), lazy.name.value
            assert _ranges(_walk(mine), lazy_position) == _ranges(_walk(theirs), full_position), lazy.name.value


def test_tricky_source_defers_what_it_can():
    deferred = {d.name.value for d in parse(TRICKY.encode())._deferred}
    assert deferred == {"spread", "__init__", "forward", "in_if", "in_else", "in_try", "in_except", "in_finally",
                        "in_case", "last"}


def test_newer_syntax_than_this_python_falls_back_to_libcst():
    source = parse(b"type Shape = tuple[int, int]\ndef f():\n    return 1\n")
    assert isinstance(source.module.body[0], cst.SimpleStatementLine) and not source._deferred


@pytest.mark.parametrize("bad", [b"def f(:\n    pass\n", b"x = (\n", b"class A\n", b"\xff\xfe = 1\n"])
def test_syntax_errors_are_libcst_s(bad):
    with pytest.raises(Exception) as whole:
        cst.parse_module(bad)
    for check in (parse, check_syntax):
        with pytest.raises(type(whole.value)) as ours:
            check(bad)
        assert str(ours.value) == str(whole.value)
