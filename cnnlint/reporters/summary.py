"""``--summary``: a table per model, like Keras ``model.summary()`` and torchinfo.

The multiply-accumulates column sits before "Param #" so that each row still
ends with the parameter count, as in Keras' own table.
"""

from __future__ import annotations

from . import location, printable


def _shape(shape) -> str:
    if shape is None:
        return "?"
    inner = ", ".join("?" if d is None else str(d) for d in shape)
    return f"(None, {inner})" if inner else "(None,)"


def _count(n) -> str:
    return "?" if n is None else f"{n:,}"


def render_model(m) -> str:
    rows = [("Layer (type)", "Output Shape", "MACs", "Param #")]
    for r in m.layers:
        indent = "  " * r.depth
        macs, params = ("--", "--") if r.container else (_count(r.macs), _count(r.params))
        rows.append((printable(f"{indent}{r.name} ({r.type})"), _shape(r.output_shape), macs, params))
    minimum = (32, 24, 12, 12)
    widths = [max(max(len(row[i]) for row in rows), minimum[i]) for i in range(4)]
    rule = "─" * (sum(widths) + 6)
    out = []
    source = {"command line": "from --input-shape", "pragma": "from the input-shape pragma",
              "declared": "declared in the code", "implied": "implied by the code", "config": "from configuration"}
    where = location(m.path, m.line, m.cell) if m.line else printable(m.path)
    out.append(f'Model: "{printable(m.name)}" ({m.framework}, {where})')
    if m.input_shape and isinstance(m.input_shape[0], list):  # several inputs
        out.append(f"Inputs: {', '.join(_shape(shape) for shape in m.input_shape)} "
                   f"{source.get(m.input_source, m.input_source)}")
    elif m.input_shape is not None:
        out.append(f"Input: {_shape(m.input_shape)} {source.get(m.input_source, m.input_source)}")
    else:
        out.append("Input: unknown")
    if m.output_shape and isinstance(m.output_shape[0], list):  # several outputs
        out.append(f"Outputs: {', '.join(_shape(shape) for shape in m.output_shape)}")
    out.append(rule)
    for i, row in enumerate(rows):
        out.append(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]:>{widths[3]}}")
        if i == 0:
            out.append("━" * (sum(widths) + 6))
    out.append(rule)
    out.append(f" Total params: {_count(m.total_params)}")
    out.append(f" Trainable params: {_count(m.trainable_params)}")
    out.append(f" Non-trainable params: {_count(m.non_trainable_params)}")
    out.append(f" Multiply-accumulates: {_count(m.macs)}")
    if not m.complete:
        out.append(" (analysis incomplete: see CNN900; unknown counts are shown as ?)")
    return "\n".join(out) + "\n"


def render(results) -> str:
    return "\n".join(render_model(m) for r in results for m in r.models)
