"""What the editor shows, computed from a file's lint result: hovers and inlay hints.

Positions here are the analysis's own: 1-based lines, 1-based columns in
characters.  The protocol layer converts them to the client's encoding.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from ..reporters.summary import render_model


def shape_text(shape, batch: bool = True) -> str:
    """``(N, 6, 24, 24)``; ``?`` for an unknown dimension or shape."""
    if shape is None:
        return "?"
    dims = (["N"] if batch else []) + ["?" if d is None else str(d) for d in shape]
    return f"({', '.join(dims)})" if len(dims) != 1 else f"({dims[0]},)"


def _count(n) -> str:
    return "?" if n is None else f"{n:,}"


def _contains(span, line: int, column: int) -> bool:
    start_line, start_column, end_line, end_column = span
    return (start_line, start_column) <= (line, column) <= (end_line, end_column)


def _size(span) -> tuple:
    return (span[2] - span[0], span[3] - span[1] if span[2] == span[0] else span[3])


def _definition(row) -> Optional[list]:
    if row.line is None or row.end_line is None:
        return None
    return [row.line, row.column, row.end_line, row.end_column]


def hover(result, line: int, column: int) -> Optional[Tuple[str, list]]:
    """(Markdown, span) for the layer definition or application under the cursor, or a model's summary."""
    best = None
    for model in result.models:
        for row in model.layers:
            for span in (_definition(row), row.call):
                if span and _contains(span, line, column) and (best is None or _size(span) < _size(best[2])):
                    best = (model, row, span)
    if best is not None:
        model, row, span = best
        starts = {tuple(s[:2]) for s in (_definition(row), row.call) if s}
        found = [f"{d.code}: {d.message}" for d in result.diagnostics if (d.line, d.column) in starts]
        return _layer_markdown(model, row) + "".join(f"\n\n{line}" for line in found), span
    for model in result.models:
        if model.line == line:
            return f"```text\n{render_model(model)}```", None
    return None


def _layer_markdown(model, row) -> str:
    params = _count(row.params)
    if row.params == 0 and _shared(model, row):
        params += " here (a shared layer's weights are counted where it is first applied)"
    elif isinstance(row.params, int) and isinstance(model.total_params, int) and model.total_params:
        params += f" ({row.params / model.total_params:.1%} of {model.name}'s {model.total_params:,})"
    lines = [f"**{row.name}** `{row.type}` in {model.name} ({model.framework})", "",
             f"- input: `{shape_text(row.input_shape)}`", f"- output: `{shape_text(row.output_shape)}`",
             f"- parameters: {params}", f"- MACs: {_count(row.macs)}"]
    return "\n".join(lines)


def _shared(model, row) -> bool:
    return sum(1 for r in model.layers if r.line == row.line and r.column == row.column) > 1


def inlay_hints(result) -> List[Tuple[int, int, str]]:
    """(line, column, label): a layer's output and parameters where it is defined, a tensor's shape
    after each statement that produces one."""
    found: dict = {}  # (line, column) -> labels, in order
    defined_lines = set()
    for model in result.models:
        by_definition: dict = {}
        for row in model.layers:
            span = _definition(row)
            if span is not None:
                by_definition.setdefault((span[2], span[3]), []).append(row)
                defined_lines.add(span[2])
        for place, rows in by_definition.items():
            shapes = _shapes(shape_text(r.output_shape, batch=False) for r in rows)
            built = [r.params for r in rows if r.params != 0]  # a shared layer's later applications count 0
            params = "?" if None in built else f"{sum(built):,}"
            layers = f" in {len(built)} layers" if len(built) > 1 else ""
            label = shapes + (f" · {params} params{layers}" if built and params != "0" else "")
            _add(found, place, label)
        for place, shapes in _statements(model.trace).items():
            if place[0] not in defined_lines:
                _add(found, place, _shapes(shapes))
    return [(line, column, label) for (line, column), labels in sorted(found.items()) for label in labels]


def _statements(trace) -> dict:
    """(end line, end column) of each outermost traced expression -> the shapes it produced."""
    spans = [(step["line"], step["column"], step["end_line"], step["end_column"]) for step in trace]
    found: dict = {}
    for step, span in zip(trace, spans):
        inner = any(other != span and _contains(other, span[0], span[1]) and _contains(other, span[2], span[3])
                    for other in spans)
        if not inner:
            found.setdefault((span[2], span[3]), []).append(shape_text(step["output_shape"]))
    return found


#: shapes an inlay hint lists before it only counts them (a block run in every stage of a network)
_SHOWN_SHAPES = 3


def _shapes(labels) -> str:
    """The distinct shapes a line produced, in order; many are counted rather than all listed."""
    distinct = list(dict.fromkeys(labels))
    if len(distinct) > _SHOWN_SHAPES:
        return " | ".join(distinct[: _SHOWN_SHAPES - 1]) + f" | … ({len(distinct)} shapes)"
    return " | ".join(distinct)


def _add(found: dict, place, label: str) -> None:
    labels = found.setdefault(place, [])
    if label not in labels:
        labels.append(label)
