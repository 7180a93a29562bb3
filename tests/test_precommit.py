"""The pre-commit hook, run for real: it fails on the buggy LeNet-5 and passes once it is fixed.

``pre-commit try-repo`` installs cnnlint from a throwaway git copy of this
checkout (so uncommitted work is what gets tested) into pre-commit's own
environment, with a private PRE_COMMIT_HOME so that nothing is reused.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT

#: LeNet-5's third convolution on MNIST's 28×28: nothing is left to convolve (CNN103)
BUGGY = """\
import keras

model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    keras.layers.Conv2D(6, 5, activation="tanh"),
    keras.layers.AveragePooling2D(2),
    keras.layers.Conv2D(16, 5, activation="tanh"),
    keras.layers.AveragePooling2D(2),
    keras.layers.Conv2D(120, 5, activation="tanh"),
    keras.layers.Flatten(),
    keras.layers.Dense(84, activation="tanh"),
    keras.layers.Dense(10, activation="softmax"),
])
"""
FIXED = BUGGY.replace('Conv2D(6, 5, activation="tanh")', 'Conv2D(6, 5, padding="same", activation="tanh")')
SHIPPED = ("cnnlint", "rules", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml")
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


def git(*args, cwd, check=True, env=None):
    return subprocess.run(["git", "-c", "user.name=cnnlint tests", "-c", "user.email=tests@example.invalid",
                           "-c", "commit.gpgsign=false", *args], cwd=cwd, check=check, capture_output=True,
                          text=True, env=env, timeout=900)


def commit_all(folder: Path) -> None:
    git("init", "-q", "-b", "main", cwd=folder)
    git("add", "-A", cwd=folder)
    git("commit", "-q", "-m", "snapshot", cwd=folder)


needs_pre_commit = pytest.mark.skipif(not PRE_COMMIT.exists() or shutil.which("git") is None,
                                      reason="needs pre-commit and git")


def hook_repository(tmp_path) -> Path:
    """A git copy of what this checkout ships, as pre-commit would clone it."""
    hook_repo = tmp_path / "cnnlint-copy"
    hook_repo.mkdir()
    for name in SHIPPED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, hook_repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, hook_repo / name)
    commit_all(hook_repo)
    return hook_repo


@needs_pre_commit
def test_hook_fails_on_the_bug_and_passes_once_fixed(tmp_path):
    hook_repo = hook_repository(tmp_path)

    project = tmp_path / "project"
    project.mkdir()
    (project / "lenet.py").write_text(BUGGY, encoding="utf-8")
    commit_all(project)
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), NO_COLOR="1")

    def run():
        return subprocess.run([str(PRE_COMMIT), "try-repo", str(hook_repo), "cnnlint", "--all-files"],
                              cwd=project, env=env, capture_output=True, text=True, timeout=900)

    failed = run()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "lenet.py:9:5: CNN103 [error]" in failed.stdout, failed.stdout

    (project / "lenet.py").write_text(FIXED, encoding="utf-8")
    git("commit", "-q", "-am", "fix the input size", cwd=project)
    passed = run()
    assert passed.returncode == 0, passed.stdout + passed.stderr


#: a warning only (CNN102: the last row and column are never read), no error
WARNING_ONLY = """\
from torch import nn

model = nn.Sequential(nn.Conv2d(1, 4, 3, stride=2), nn.ReLU())  # cnnlint: input-shape=1,28,28
"""


@needs_pre_commit
def test_git_commit_runs_the_installed_hook_on_notebooks_and_warnings(tmp_path):
    """As a user has it: the README's configuration, ``pre-commit install``, then ``git commit``."""
    hook_repo = hook_repository(tmp_path)
    rev = git("rev-parse", "HEAD", cwd=hook_repo).stdout.strip()
    project = tmp_path / "project"
    project.mkdir()
    git("init", "-q", "-b", "main", cwd=project)
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo.as_uri()}\n    rev: {rev}\n    hooks:\n      - id: cnnlint\n",
        encoding="utf-8")
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), NO_COLOR="1")
    subprocess.run([str(PRE_COMMIT), "install"], cwd=project, env=env, check=True, capture_output=True)
    git("add", ".pre-commit-config.yaml", cwd=project)
    git("commit", "-q", "-m", "pre-commit", cwd=project, env=env)

    def commit(name: str, content: str):
        (project / name).write_text(content, encoding="utf-8")
        git("add", name, cwd=project)
        return git("commit", "-q", "-m", f"add {name}", cwd=project, check=False, env=env)

    notebook = commit("lenet.ipynb", (FIXTURES / "notebooks" / "lenet_torch_buggy.ipynb").read_text("utf-8"))
    assert notebook.returncode != 0, notebook.stdout + notebook.stderr
    assert "lenet.ipynb:cell 3:6:20: CNN101 [error]" in notebook.stdout + notebook.stderr
    git("rm", "-q", "--cached", "lenet.ipynb", cwd=project)

    warned = commit("strided.py", WARNING_ONLY)
    assert warned.returncode != 0, warned.stdout + warned.stderr
    assert "strided.py:3:23: CNN102 [warning]" in warned.stdout + warned.stderr

    fixed = commit("strided.py", WARNING_ONLY.replace("stride=2)", "stride=2, padding=1)"))
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert git("log", "--format=%s", "-1", cwd=project).stdout.strip() == "add strided.py"
