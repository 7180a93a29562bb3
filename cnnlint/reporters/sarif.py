"""``--format sarif``: SARIF 2.1.0, as GitHub code scanning accepts it.

Every rule is described in ``tool.driver.rules`` from its document (short
and full description, the whole document as help), whether or not it fired,
so that code scanning can show the help of any alert.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from . import repository_path, repository_root
from ..rules import ALL_RULES
from ..rules.docs import doc_path, first_paragraph, sections

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
#: relative URIs are the repository's paths (GitHub reads them from the checkout's root, whatever
#: originalUriBaseIds says); the base names that root for other consumers
SRCROOT = "%SRCROOT%"


def rule_descriptor(rule) -> dict:
    path = doc_path(rule.code)
    document = path.read_text(encoding="utf-8") if path else ""
    what = sections(document).get("What it does", "")
    descriptor = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": first_paragraph(what) or rule.summary},
        "help": {"text": document or rule.summary, "markdown": document or rule.summary},
        "defaultConfiguration": {"level": LEVELS[rule.severity], "enabled": rule.default_enabled},
        "properties": {"tags": [rule.name]},
    }
    return descriptor


def artifact_location(path: str) -> dict:
    path = repository_path(path)
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(os.fsencode(Path(path).as_posix())), "uriBaseId": SRCROOT}  # a file name's own bytes


def fixes(d) -> list:
    """SARIF ``fixes``: every fix with edits, safe, unsafe or only suggested, as code scanning shows them."""
    if d.fix is None or not d.fix.available:
        return []
    return [{
        "description": {"text": f"{d.fix.title} ({d.fix.applicability})"},
        "artifactChanges": [{"artifactLocation": artifact_location(d.path), "replacements": [{
            "deletedRegion": {"startLine": e.line, "startColumn": e.column, "endLine": e.end_line,
                              "endColumn": e.end_column},
            "insertedContent": {"text": e.content}} for e in d.fix.edits]}],
    }]


def result(d, index: dict) -> dict:
    line, column, end_line, end_column = d.file_range()
    found = {
        "ruleId": d.code,
        "ruleIndex": index[d.code],
        "level": LEVELS.get(d.severity, "error"),
        "message": {"text": d.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": artifact_location(d.path),
            "region": {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column},
        }}],
    }
    if fixes(d):
        found["fixes"] = fixes(d)
    return found


def render(results) -> str:
    index = {rule.code: i for i, rule in enumerate(ALL_RULES)}
    run = {
        "tool": {"driver": {"name": "cnnlint", "version": __version__, "semanticVersion": __version__,
                            "rules": [rule_descriptor(rule) for rule in ALL_RULES]}},
        "originalUriBaseIds": {SRCROOT: {"uri": (repository_root(os.getcwd()) or Path(os.getcwd())).as_uri().rstrip("/")
                                         + "/"}},
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": not any(r.internal_error for r in results)}],
        "results": [result(d, index) for r in results for d in r.diagnostics],
    }
    doc = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
