"""The result cache cannot lie: every dependency counts, entries are checked, links are not followed."""

import json
import os
import sys

import pytest

from cnnlint import parallel
from cnnlint.cache import Cache
from cnnlint.diagnostics import Diagnostic
from cnnlint.results import FileResult, Options

MODEL = ("from torch import nn\nfrom .blocks import head\n\n"
         "model = nn.Sequential(nn.Linear(4, 8), head())\n")
BLOCKS = "from torch import nn\n\ndef head():\n    return nn.Linear(8, {})\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    package = tmp_path / "nets"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "model.py").write_text(MODEL)
    return package


def _total():
    (result,) = parallel.lint_many(["nets/model.py"], Options(), jobs=1, cache_dir="cache")
    return [m.total_params for m in result.models]


def test_a_module_created_after_the_first_run_invalidates_the_result(project):
    assert _total() == [None] == _total()  # the helper does not exist: its count is unknown
    (project / "blocks.py").write_text(BLOCKS.format(2))
    assert _total() == [40 + 18]


def test_a_module_edited_during_the_run_leaves_no_stale_result(project, monkeypatch):
    (project / "blocks.py").write_text(BLOCKS.format(2))
    analyse = parallel.lint_sources

    def edited_after_the_analysis(*args, **kwargs):
        results = analyse(*args, **kwargs)
        (project / "blocks.py").write_text(BLOCKS.format(3))  # before the result is stored
        return results

    monkeypatch.setattr(parallel, "lint_sources", edited_after_the_analysis)
    assert _total() == [40 + 18]
    monkeypatch.setattr(parallel, "lint_sources", analyse)
    assert _total() == [40 + 27]


def _stored(tmp_path, result=None):
    cache = Cache(str(tmp_path / "cache"), Options())
    key = cache.key("m.py", b"data")
    cache.put(key, result or FileResult("m.py"))
    return cache, key, tmp_path / "cache" / key[:2] / f"{key}.json"


@pytest.mark.parametrize("entry", [
    "[" * 100_000 + "]" * 100_000,  # nested deeper than the JSON reader recurses
    json.dumps({"path": "m.py", "models": [[[[["deep"]]]]], "diagnostics": [], "internal_error": False,
                "reads": {}, "transient": False}),
    json.dumps({"path": "m.py", "models": [], "diagnostics": [], "internal_error": False,
                "reads": {"/dev/zero": "0" * 64}, "transient": False}),
    json.dumps({"path": "m.py", "models": [], "diagnostics": [], "internal_error": False,
                "reads": {"FIFO": "0" * 64}, "transient": False}),
    "\xff not json",
])
def test_a_corrupt_entry_is_recomputed(tmp_path, entry):
    cache, key, path = _stored(tmp_path)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    path.write_text(entry.replace("FIFO", str(fifo)), encoding="utf-8", errors="surrogateescape")
    assert cache.get(key) is None


def test_an_internal_error_is_cached_keyed_to_the_code(tmp_path):
    failed = FileResult("m.py", diagnostics=[Diagnostic("m.py", 1, 1, 1, 1, "CNN000", "error", "boom")],
                        internal_error=True)
    cache, key, _ = _stored(tmp_path, failed)
    assert cache.get(key) == failed


def test_a_linked_cache_folder_is_not_written_through(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "cache").symlink_to(outside, target_is_directory=True)
    cache, key, _ = _stored(tmp_path)
    assert list(outside.iterdir()) == [] and cache.get(key) is None


def test_a_dangling_gitignore_link_does_not_create_its_target(tmp_path):
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / ".gitignore").symlink_to(tmp_path / "created")
    cache, key, _ = _stored(tmp_path)
    assert not (tmp_path / "created").exists()
    assert cache.get(key) == FileResult("m.py")


def test_a_failed_write_leaves_no_temporary_file(tmp_path):
    huge = Diagnostic("m.py", 10 ** 5000, 1, 1, 1, "CNN900", "info", "a line number past Python's digit limit")
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(4300)
    try:
        _, _, path = _stored(tmp_path, FileResult("m.py", diagnostics=[huge]))
    finally:
        sys.set_int_max_str_digits(limit)
    assert not path.parent.exists() or [p.name for p in path.parent.iterdir()] == []
