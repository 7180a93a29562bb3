"""Output formats: text, the problem matcher, GitHub workflow commands, SARIF and statistics."""

import json
import re
from importlib import resources

import jsonschema
import pytest

from cnnlint.diagnostics import Diagnostic
from cnnlint.reporters import github, sarif, text
from cnnlint.rules import ALL_RULES
from cnnlint.runner import FileResult

#: every kind of severity: CNN103 (error), CNN302 (warning), CNN900 (info)
SOURCE = """\
import os

import keras

model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    keras.layers.Conv2D(8, 3),
    keras.layers.Dense(10),
    keras.layers.Conv2D(8, 30),
])
other = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    keras.layers.Flatten(),
    keras.layers.Dense(int(os.environ["UNITS"])),
])
"""
SEVERITIES = {"error", "warning", "info"}


@pytest.fixture
def sample(tmp_path):
    (tmp_path / "net.py").write_text(SOURCE, encoding="utf-8")
    return tmp_path


@pytest.fixture
def expected(sample, cnnlint_json):
    doc, code = cnnlint_json("--no-cache", "net.py", cwd=sample)
    assert code == 1 and {d["severity"] for d in doc["diagnostics"]} == SEVERITIES
    return doc["diagnostics"]


def matcher_pattern():
    document = json.loads(resources.files("cnnlint").joinpath("problem-matcher.json").read_text(encoding="utf-8"))
    (matcher,) = document["problemMatcher"]
    (pattern,) = matcher["pattern"]
    return matcher, pattern


def parse_with_matcher(line: str) -> dict:
    _, pattern = matcher_pattern()
    found = re.match(pattern["regexp"], line)
    assert found, line
    return {key: found.group(pattern[key]) for key in ("file", "line", "column", "code", "severity", "message")}


def as_fields(d: dict) -> dict:
    return {"file": d["path"], "line": str(d["line"]), "column": str(d["column"]), "code": d["code"],
            "severity": d["severity"], "message": d["message"]}


def test_text_lines_round_trip_through_the_problem_matcher(sample, expected, cnnlint):
    proc = cnnlint("--no-cache", "net.py", cwd=sample)
    *lines, count = proc.stdout.splitlines()
    assert [parse_with_matcher(line) for line in lines] == [as_fields(d) for d in expected]
    assert count == "Found 3 diagnostics (1 error, 1 warning, 1 info)."
    assert "\033[" not in proc.stdout  # not a terminal: no colour


def test_problem_matcher_shape():
    matcher, pattern = matcher_pattern()
    assert matcher["owner"] == "cnnlint"
    assert re.match(pattern["regexp"], "a.py:1:2: CNN999 [error] x") is not None
    assert re.match(pattern["regexp"], "Found 3 diagnostics (3 errors).") is None


class FakeTerminal:
    def isatty(self):
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert text.use_colour(FakeTerminal()) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert text.use_colour(FakeTerminal()) is False


GITHUB_LINE = re.compile(r"^::(?P<level>error|warning|notice) (?P<properties>[^:]*)::(?P<message>.*)$")


def unescape(value: str) -> str:
    return (value.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",")
            .replace("%25", "%"))


def parse_github(line: str):
    found = GITHUB_LINE.match(line)
    assert found, line
    properties = dict(item.split("=", 1) for item in found.group("properties").split(","))
    return found.group("level"), {k: unescape(v) for k, v in properties.items()}, unescape(found.group("message"))


def test_github_lines_round_trip(sample, expected, cnnlint):
    proc = cnnlint("--no-cache", "--format", "github", "net.py", cwd=sample)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert len(lines) == len(expected)
    for line, d in zip(lines, expected):
        level, properties, message = parse_github(line)
        assert level == {"error": "error", "warning": "warning", "info": "notice"}[d["severity"]]
        assert properties == {"title": f"cnnlint ({d['code']})", "file": d["path"], "line": str(d["line"]),
                              "col": str(d["column"]), "endLine": str(d["end_line"]),
                              "endColumn": str(d["end_column"])}
        assert parse_with_matcher(message) == as_fields(d)


def test_github_escaping():
    d = Diagnostic("dir,with:odd%chars/m.py", 3, 5, 3, 9, "CNN102", "warning", "100% of\nrows, really: yes\r")
    line = github.annotation(d)
    assert "\n" not in line and "\r" not in line
    level, properties, message = parse_github(line)
    assert level == "warning" and properties["file"] == d.path
    assert message == text.diagnostic_line(d)


#: what GitHub code scanning requires of an uploaded SARIF file
GITHUB_SARIF = {
    "type": "object",
    "required": ["$schema", "version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "$schema": {"type": "string", "pattern": "sarif-2\\.1\\.0"},
        "runs": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "required": ["tool", "results"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                    "type": "object", "required": ["name", "rules"],
                    "properties": {"name": {"type": "string"}, "rules": {"type": "array", "items": {
                        "type": "object",
                        "required": ["id", "shortDescription", "fullDescription", "help"],
                        "properties": {
                            "id": {"type": "string"},
                            "shortDescription": {"$ref": "#/$defs/message"},
                            "fullDescription": {"$ref": "#/$defs/message"},
                            "help": {"$ref": "#/$defs/message"},
                            "helpUri": {"type": "string", "format": "uri", "pattern": "^[a-z]+:"},
                            "defaultConfiguration": {"type": "object", "properties": {
                                "level": {"enum": ["none", "note", "warning", "error"]}}},
                        }}}}}}},
                "results": {"type": "array", "items": {
                    "type": "object",
                    "required": ["ruleId", "level", "message", "locations"],
                    "properties": {
                        "ruleId": {"type": "string"},
                        "level": {"enum": ["none", "note", "warning", "error"]},
                        "message": {"$ref": "#/$defs/message"},
                        "locations": {"type": "array", "minItems": 1, "items": {
                            "type": "object", "required": ["physicalLocation"],
                            "properties": {"physicalLocation": {
                                "type": "object", "required": ["artifactLocation", "region"],
                                "properties": {
                                    "artifactLocation": {"type": "object", "required": ["uri"]},
                                    "region": {"type": "object", "required": ["startLine"], "properties": {
                                        k: {"type": "integer", "minimum": 1}
                                        for k in ("startLine", "startColumn", "endLine", "endColumn")}},
                                }}}}},
                    }}},
            }}},
    },
    "$defs": {"message": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}},
}


def test_sarif_has_every_field_github_requires(sample, expected, cnnlint):
    proc = cnnlint("--no-cache", "--format", "sarif", "net.py", cwd=sample)
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    jsonschema.validate(doc, GITHUB_SARIF)
    (run,) = doc["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [rule.code for rule in ALL_RULES]
    assert all(r["help"]["markdown"].startswith(f"# {r['name']} ({r['id']})") for r in rules)
    assert not any(r.get("helpUri", "").startswith("file:") for r in rules)  # never this machine's site-packages
    found = [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"],
              r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["message"]["text"])
             for r in run["results"]]
    assert found == [(d["code"], d["line"], "net.py", d["message"]) for d in expected]
    assert [rules[r["ruleIndex"]]["id"] for r in run["results"]] == [d["code"] for d in expected]
    assert {r["level"] for r in run["results"]} == {"error", "warning", "note"}


def test_sarif_absolute_paths_are_file_uris(tmp_path):
    result = FileResult(str(tmp_path / "a b.py"), diagnostics=[
        Diagnostic(str(tmp_path / "a b.py"), 1, 1, 1, 2, "CNN002", "info", "empty")])
    doc = json.loads(sarif.render([result]))
    location = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": (tmp_path / "a b.py").as_uri()}


def test_statistics(sample, cnnlint):
    proc = cnnlint("--no-cache", "--statistics", "net.py", cwd=sample)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == ["1  CNN103  non-positive-output-size [error]",
                                        "1  CNN302  dense-on-feature-map [warning]",
                                        "1  CNN900  analysis-incomplete [info]"]
    counts = json.loads(cnnlint("--no-cache", "--statistics", "--format", "json", "net.py", cwd=sample).stdout)
    assert [(c["code"], c["count"]) for c in counts] == [("CNN103", 1), ("CNN302", 1), ("CNN900", 1)]


def test_output_file_and_exit_zero(sample, cnnlint):
    proc = cnnlint("--no-cache", "--exit-zero", "--format", "sarif", "--output-file", "out.sarif", "net.py",
                   cwd=sample)
    assert proc.returncode == 0 and proc.stdout == ""
    jsonschema.validate(json.loads((sample / "out.sarif").read_text(encoding="utf-8")), GITHUB_SARIF)
