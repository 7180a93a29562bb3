"""``--summary``: a table per model, like Keras ``model.summary()`` and torchinfo."""

from __future__ import annotations


def _shape(shape) -> str:
    if shape is None:
        return "?"
    inner = ", ".join("?" if d is None else str(d) for d in shape)
    return f"(None, {inner})" if inner else "(None,)"


def _count(n) -> str:
    return "?" if n is None else f"{n:,}"


def render_model(m) -> str:
    rows = [("Layer (type)", "Output Shape", "Param #")]
    for r in m.layers:
        indent = "  " * r.depth
        rows.append((f"{indent}{r.name} ({r.type})", _shape(r.output_shape), _count(r.params)))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    widths = [max(widths[0], 32), max(widths[1], 24), max(widths[2], 12)]
    rule = "─" * (sum(widths) + 4)
    out = []
    source = {"command line": "from --input-shape", "pragma": "from the input-shape pragma",
              "declared": "declared in the code", "implied": "implied by the code", "config": "from configuration"}
    where = f"{m.path}:{m.line}" if m.line else m.path
    out.append(f'Model: "{m.name}" ({m.framework}, {where})')
    if m.input_shape is not None:
        out.append(f"Input: {_shape(m.input_shape)} {source.get(m.input_source, m.input_source)}")
    else:
        out.append("Input: unknown")
    out.append(rule)
    header = rows[0]
    out.append(f"{header[0]:<{widths[0]}}  {header[1]:<{widths[1]}}  {header[2]:>{widths[2]}}")
    out.append("━" * (sum(widths) + 4))
    for row in rows[1:]:
        out.append(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}")
    out.append(rule)
    out.append(f" Total params: {_count(m.total_params)}")
    out.append(f" Trainable params: {_count(m.trainable_params)}")
    out.append(f" Non-trainable params: {_count(m.non_trainable_params)}")
    if m.macs is not None:
        out.append(f" Multiply-accumulates: {m.macs:,}")
    if not m.complete:
        out.append(" (analysis incomplete: see CNN900; unknown counts are shown as ?)")
    return "\n".join(out) + "\n"


def render(results) -> str:
    return "\n".join(render_model(m) for r in results for m in r.models)
