"""``--statistics``: how often each rule fired, most frequent first, as ``ruff --statistics``."""

from __future__ import annotations

import json
from collections import Counter


def counts(results) -> list:
    from ..rules import BY_CODE

    tally = Counter(d.code for r in results for d in r.diagnostics)
    return [{"code": code, "name": BY_CODE[code].name, "severity": BY_CODE[code].severity, "count": n}
            for code, n in sorted(tally.items(), key=lambda item: (-item[1], item[0]))]


def render(results) -> str:
    rows = counts(results)
    width = max((len(str(row["count"])) for row in rows), default=1)
    return "".join(f"{row['count']:>{width}}  {row['code']}  {row['name']} [{row['severity']}]\n" for row in rows)


def render_json(results) -> str:
    return json.dumps(counts(results), indent=2) + "\n"
