"""JSON output, version 1: the stable interface other tools parse."""

from __future__ import annotations

import json

VERSION = 1


def model_json(m) -> dict:
    return {
        "path": m.path, "name": m.name, "cell": m.cell, "line": m.line, "framework": m.framework,
        "input_shape": m.input_shape, "output_shape": m.output_shape,
        "total_params": m.total_params, "trainable_params": m.trainable_params,
        "non_trainable_params": m.non_trainable_params, "macs": m.macs, "input_source": m.input_source,
        "layers": [{"name": r.name, "type": r.type, "cell": r.cell, "line": r.line, "column": r.column,
                    "output_shape": r.output_shape, "params": r.params, "macs": r.macs} for r in m.layers],
        "trace": m.trace,
    }


def render(results) -> str:
    doc = {
        "version": VERSION,
        "models": [model_json(m) for r in results for m in r.models],
        "diagnostics": [d.as_json() for r in results for d in r.diagnostics],
    }
    return json.dumps(doc, indent=2, ensure_ascii=True) + "\n"
