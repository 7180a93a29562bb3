"""Linting imports no framework and executes none of the analysed code."""

import subprocess
import sys
import textwrap

from .conftest import FIXTURES, ROOT

FRAMEWORKS = ("torch", "keras", "tensorflow", "jax", "numpy", "sympy")


def test_no_framework_is_imported():
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "cnnlint", "--no-cache", "--summary", *sorted(
        str(p) for p in FIXTURES.glob("*.py"))], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    imported = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines()
                if line.startswith("import time:")}
    assert "libcst" in imported  # the check really saw the imports
    assert not imported & set(FRAMEWORKS), imported & set(FRAMEWORKS)


def test_analysed_code_is_never_run(tmp_path):
    marker = FIXTURES / "side_effect_keras.executed"
    marker.unlink(missing_ok=True)
    proc = subprocess.run([sys.executable, "-m", "cnnlint", str(FIXTURES / "side_effect_keras.py")],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not marker.exists()


AUDIT_SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from cnnlint.runner import Options, lint_path
    from tests.audit import install
    fixtures = sorted(Path(sys.argv[1]).glob("*.py"))
    texts = {p.read_bytes() for p in fixtures} | {p.read_text(encoding="utf-8") for p in fixtures}
    paths = {str(p) for p in fixtures}
    banned = {"torch", "keras", "tensorflow", "jax"} | {p.stem for p in fixtures}
    lint_path(str(fixtures[0]), Options())  # warm up: cnnlint's own lazy imports happen here
    violations = install(banned, texts, paths)
    models = sum(len(lint_path(str(p), Options()).models) for p in fixtures)
    print(models, violations)
    sys.exit(1 if violations or not models else 0)
""")


def test_audit_hook_sees_no_import_exec_or_compile():
    proc = subprocess.run([sys.executable, "-c", AUDIT_SCRIPT, str(FIXTURES)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-2000:]


def test_audit_hook_tells_parsing_from_compiling():
    script = textwrap.dedent("""
        import ast, sys
        from tests.audit import install
        text = "x = 1\\n"
        violations = install(set(), {text, text.encode()}, set())
        ast.parse(text)
        assert violations == [], violations
        compile(text, "<model>", "exec")
        assert violations == [("compile", "<model>")], violations
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
