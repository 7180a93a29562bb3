"""Finding a rule's Markdown document: inside the wheel, else in the source checkout."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional

#: where the wheel puts the repository's rules/ folder (pyproject force-include)
_INSTALLED = Path(__file__).resolve().parent.parent / "rule_docs"
#: the repository's rules/ folder, for editable installs and source checkouts
_CHECKOUT = Path(__file__).resolve().parent.parent.parent / "rules"


def doc_path(code: str) -> Optional[Path]:
    for folder in (_INSTALLED, _CHECKOUT):
        path = folder / f"{code}.md"
        if path.is_file():
            return path
    return None


def read_doc(code: str) -> Optional[str]:
    path = doc_path(code)
    return path.read_text(encoding="utf-8") if path else None


def sections(text: str) -> Dict[str, str]:
    """A document's ``## Heading`` sections, by heading, and its ``# title`` under the key ``""``."""
    found: Dict[str, List[str]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("# ") and current is None:
            found[""] = [line[2:].strip()]
        elif line.startswith("## "):
            current = line[3:].strip()
            found[current] = []
        elif current is not None:
            found[current].append(line)
    return {heading: "\n".join(lines).strip() for heading, lines in found.items()}


def first_paragraph(text: str) -> str:
    return " ".join(text.split("\n\n", 1)[0].split())
