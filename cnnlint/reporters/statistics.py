"""``--statistics``: how often each rule fired, most frequent first, as ``ruff --statistics``."""

from __future__ import annotations

import json
from collections import Counter


def counts(results, unsafe: bool = False) -> list:
    """``fixable``: some of the rule's diagnostics have a fix ``--fix`` (``--unsafe-fixes`` with ``unsafe``) applies."""
    from ..fixes import applicable
    from ..rules import BY_CODE

    tally = Counter(d.code for r in results for d in r.diagnostics)
    fixable = {d.code for r in results for d in r.diagnostics if applicable(d.fix, unsafe)}
    return [{"code": code, "name": BY_CODE[code].name, "severity": BY_CODE[code].severity, "count": n,
             "fixable": code in fixable}
            for code, n in sorted(tally.items(), key=lambda item: (-item[1], item[0]))]


def render(results, unsafe: bool = False) -> str:
    """One row per rule; ``[*]`` before the name of a rule with fixable diagnostics, as ruff marks it."""
    rows = counts(results, unsafe)
    width = max((len(str(row["count"])) for row in rows), default=1)
    return "".join(f"{row['count']:>{width}}  {row['code']}  {'[*] ' if row['fixable'] else ''}{row['name']} "
                   f"[{row['severity']}]\n" for row in rows)


def render_json(results, unsafe: bool = False) -> str:
    return json.dumps(counts(results, unsafe), indent=2) + "\n"
