"""``[tool.cnnlint]`` in pyproject.toml: keys, layering under the command line, and one-line errors."""

import textwrap

import pytest

from cnnlint.config import ConfigError, Resolver, Settings
from cnnlint.runner import Options

#: 3072·2048 + 2048 + 2048·1024 + 1024 + 1024·10 + 10 = 8,401,930 parameters
BIG = """\
import keras

model = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    keras.layers.Flatten(),
    keras.layers.Dense(2048),
    keras.layers.Dense(1024),
    keras.layers.Dense(10),
])
"""
#: a forgotten Flatten: CNN302 on line 6
FORGOT_FLATTEN = """\
import keras

model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    keras.layers.Conv2D(8, 3),
    keras.layers.Dense(10),
])
"""
#: no declared input: the size must come from elsewhere
UNDECLARED = """\
import keras

model = keras.Sequential([
    keras.layers.Conv2D(8, 3),
    keras.layers.Flatten(),
    keras.layers.Dense(10),
])
"""


def project(tmp_path, config: str, files: dict) -> None:
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent(config), encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")


def codes(proc) -> list:
    return [line.split()[1] for line in proc.stdout.splitlines() if ": CNN" in line]


def test_max_params_from_pyproject_fails_the_run(tmp_path, cnnlint):
    project(tmp_path, "[tool.cnnlint]\nmax-params = 1000000\n", {"big.py": BIG})
    proc = cnnlint("big.py", cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "big.py:3:9: CNN201 [error] model has 8,401,930 parameters, over the budget of 1,000,000" in proc.stdout
    assert cnnlint("--max-params", "9000000", "big.py", cwd=tmp_path).returncode == 0  # the flag wins


@pytest.mark.parametrize("config, key", [
    ('max-params = "1M"', "max-params"),
    ("max-params = -5", "max-params"),
    ("max-macs = 1.5", "max-macs"),
    ('select = ["CNN999"]', "select"),
    ('ignore = "not-a-rule"', "ignore"),
    ("max-param = 10", "max-param"),
    ('input-shapes = { model = [28, 0, 1] }', "input-shapes"),
    ('per-file-ignores = ["CNN102"]', "per-file-ignores"),
    ("max-params = ", "invalid TOML"),
])
def test_a_bad_value_is_one_line_and_exit_2(tmp_path, cnnlint, config, key):
    project(tmp_path, f"[tool.cnnlint]\n{config}\n", {"big.py": BIG})
    proc = cnnlint("big.py", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("cnnlint: error: ") and "pyproject.toml" in proc.stderr and key in proc.stderr


def test_unknown_key_suggests_the_right_one(tmp_path, cnnlint):
    project(tmp_path, "[tool.cnnlint]\nmax-param = 10\n", {"big.py": BIG})
    assert "did you mean 'max-params'?" in cnnlint("big.py", cwd=tmp_path).stderr


def test_select_ignore_and_the_command_line_on_top(tmp_path, cnnlint):
    project(tmp_path, '[tool.cnnlint]\nignore = ["dense-on-feature-map"]\n', {"m.py": FORGOT_FLATTEN})
    assert codes(cnnlint("m.py", cwd=tmp_path)) == []
    assert codes(cnnlint("--extend-select", "CNN302", "m.py", cwd=tmp_path)) == ["CNN302"]
    assert codes(cnnlint("--select", "CNN3", "m.py", cwd=tmp_path)) == ["CNN302"]
    assert codes(cnnlint("--select", "CNN3", "--ignore", "CNN302", "m.py", cwd=tmp_path)) == []


def test_select_replaces_the_defaults(tmp_path, cnnlint):
    project(tmp_path, '[tool.cnnlint]\nselect = ["CNN1"]\nextend-select = ["CNN201"]\nmax-params = 10\n',
            {"m.py": FORGOT_FLATTEN})
    assert codes(cnnlint("m.py", cwd=tmp_path)) == ["CNN201"]


def test_per_file_ignores_and_exclude(tmp_path, cnnlint):
    project(tmp_path, """\
        [tool.cnnlint]
        exclude = ["generated"]
        [tool.cnnlint.per-file-ignores]
        "legacy/*" = ["CNN302"]
        """, {"legacy/old.py": FORGOT_FLATTEN, "generated/g.py": FORGOT_FLATTEN, "new.py": FORGOT_FLATTEN})
    proc = cnnlint(".", cwd=tmp_path)
    assert [line.split(":")[0] for line in proc.stdout.splitlines() if "CNN302" in line] == ["./new.py"]
    assert "generated" not in proc.stdout


def test_input_shapes_by_model_and_by_file(tmp_path, cnnlint_json):
    project(tmp_path, """\
        [tool.cnnlint.input-shapes]
        model = [28, 28, 1]
        "nets/*.py:model" = "32,32,3"
        """, {"m.py": UNDECLARED, "nets/n.py": UNDECLARED})
    doc, _ = cnnlint_json("m.py", "nets/n.py", cwd=tmp_path)
    shapes = {m["path"]: (m["input_shape"], m["input_source"]) for m in doc["models"]}
    assert shapes == {"m.py": ([28, 28, 1], "config"), "nets/n.py": ([32, 32, 3], "config")}
    doc, _ = cnnlint_json("--input-shape", "20,20,1", "m.py", cwd=tmp_path)
    assert doc["models"][0]["input_shape"] == [20, 20, 1]


def test_the_nearest_pyproject_with_a_section_wins(tmp_path, cnnlint):
    project(tmp_path, '[tool.cnnlint]\nignore = ["CNN302"]\n', {
        "plain/pyproject.toml": "[project]\nname = 'x'\n", "plain/m.py": FORGOT_FLATTEN,
        "own/pyproject.toml": "[tool.cnnlint]\n", "own/m.py": FORGOT_FLATTEN})
    proc = cnnlint("plain/m.py", "own/m.py", cwd=tmp_path)
    assert [line.split(":")[0] for line in proc.stdout.splitlines() if "CNN302" in line] == ["own/m.py"]


def test_config_flag_names_the_file(tmp_path, cnnlint):
    project(tmp_path, "[tool.cnnlint]\n", {"m.py": FORGOT_FLATTEN, "ci/cnnlint.toml": 'ignore = ["CNN302"]\n'})
    assert codes(cnnlint("m.py", cwd=tmp_path)) == ["CNN302"]
    assert codes(cnnlint("--config", "ci/cnnlint.toml", "m.py", cwd=tmp_path)) == []
    missing = cnnlint("--config", "nope.toml", "m.py", cwd=tmp_path)
    assert missing.returncode == 2 and "nope.toml" in missing.stderr


def test_resolver_without_any_configuration(tmp_path):
    (tmp_path / "m.py").write_text(FORGOT_FLATTEN, encoding="utf-8")
    options = Resolver(Settings()).options_for(str(tmp_path / "m.py"), Options())
    assert options == Options()


def test_relative_patterns_need_the_configuration_folder(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.cnnlint]\nexclude = ["*.py"]\n', encoding="utf-8")
    resolver = Resolver(Settings())
    assert resolver.options_for(str(tmp_path / "m.py"), Options()) is None
    with pytest.raises(ConfigError):
        Resolver(Settings(), str(tmp_path / "missing.toml"))
