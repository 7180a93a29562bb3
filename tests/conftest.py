import contextlib
import json
import os
import re
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

# Keras 3 runs its oracle tests on the PyTorch backend: no TensorFlow needed
os.environ.setdefault("KERAS_BACKEND", "torch")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def run_cnnlint(*args, cwd=None, input=None, env=None):
    """Run the real command in a subprocess, as users and CI do."""
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    if env:
        full_env.update(env)
    return subprocess.run([sys.executable, "-m", "cnnlint", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, input=input, env=full_env, timeout=120)


DIAGNOSTIC_LINE = re.compile(r"^(.+?):(?:cell \d+:)?\d+:\d+: CNN\d{3} ")


def reported_paths(stdout: str) -> list:
    """The path of each diagnostic line of the text output, in order (summary and fix lines skipped)."""
    return [m.group(1) for m in map(DIAGNOSTIC_LINE.match, stdout.splitlines()) if m]


#: what a CI runner sets that changes cnnlint's output: the tests set these themselves where they mean to
CI_ENVIRONMENT = ("NO_COLOR", "FORCE_COLOR", "CNNLINT_OUTPUT_FORMAT", "GITHUB_WORKSPACE")


@pytest.fixture(autouse=True)
def without_ci_environment(monkeypatch):
    for name in CI_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def cnnlint():
    return run_cnnlint


@pytest.fixture
def cnnlint_json():
    def run(*args, **kw):
        proc = run_cnnlint("--format", "json", *args, **kw)
        assert proc.returncode in (0, 1), proc.stderr
        return json.loads(proc.stdout), proc.returncode

    return run


@contextlib.contextmanager
def keras_as_tensorflow():
    """Let code written for ``tf.keras`` run on Keras 3 (the test oracle), then restore sys.modules."""
    import keras

    tf = types.ModuleType("tensorflow")
    tf.keras = keras
    for name in ("TensorShape", "DType", "TypeSpec"):  # Keras' serialization asks whether values are these
        setattr(tf, name, type(name, (), {}))
    ops = keras.ops
    # the TensorFlow ops tf.keras code applies to symbolic tensors, as their Keras 3 equivalents
    tf.nn = types.SimpleNamespace(
        relu=ops.relu, relu6=ops.relu6, swish=ops.silu, silu=ops.silu, sigmoid=ops.sigmoid, tanh=ops.tanh,
        elu=ops.elu, selu=ops.selu, gelu=ops.gelu, softmax=lambda logits, axis=-1: ops.softmax(logits, axis),
        leaky_relu=lambda features, alpha=0.2: ops.leaky_relu(features, negative_slope=alpha))
    tf.math = types.SimpleNamespace(sigmoid=ops.sigmoid, tanh=ops.tanh, exp=ops.exp, square=ops.square)
    tf.concat = lambda values, axis: ops.concatenate(values, axis=axis)
    tf.reshape = lambda tensor, shape: ops.reshape(tensor, shape)
    tf.expand_dims = lambda input, axis: ops.expand_dims(input, axis)
    tf.squeeze = lambda input, axis=None: ops.squeeze(input, axis)
    tf.transpose = lambda a, perm=None: ops.transpose(a, perm)
    tf.reduce_mean = lambda input_tensor, axis=None, keepdims=False: ops.mean(input_tensor, axis, keepdims)
    tf.add, tf.multiply, tf.sigmoid, tf.tanh = ops.add, ops.multiply, ops.sigmoid, ops.tanh
    saved = {name: sys.modules.get(name) for name in ("tensorflow", "tensorflow.keras")}
    sys.modules["tensorflow"], sys.modules["tensorflow.keras"] = tf, keras
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


KERAS_HEADER = "from tensorflow import keras\nfrom tensorflow.keras import layers\n"


def lint(source: str, input_shape=None, **options):
    """Lint source text in this process (dedented), as a file named model.py; never an internal error."""
    from cnnlint.runner import Options, lint_source

    result = lint_source("model.py", textwrap.dedent(source).encode(), Options(input_shape=input_shape, **options))
    assert not any(d.code == "CNN000" for d in result.diagnostics), result.diagnostics
    return result


def lint_file(tmp_path, name, content, *args):
    """Write ``content`` to ``name`` and run the real command on it: the JSON document and the exit code."""
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    proc = run_cnnlint("--format", "json", *args, str(path))
    assert "Traceback" not in proc.stderr, proc.stderr
    return json.loads(proc.stdout), proc.returncode


def codes(doc):
    """(code, line) of each diagnostic in a JSON document."""
    return [(d["code"], d["line"]) for d in doc["diagnostics"]]
