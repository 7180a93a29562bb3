"""The ``cnnlint`` command."""

from __future__ import annotations

import sys
from enum import Enum
from typing import List, Optional

import typer

app = typer.Typer(add_completion=False, help="Static shape, parameter and bug checks for Keras and PyTorch models.")


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


def _usage_error(message: str) -> None:
    typer.echo(f"cnnlint: error: {message}", err=True)
    raise typer.Exit(2)


@app.command()
def main(
    paths: List[str] = typer.Argument(None, help="Files or folders to lint (folders are searched for *.py)."),
    summary: bool = typer.Option(False, "--summary", help="Print a table per model, like model.summary()."),
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", help="Output format."),
    input_shape: Optional[str] = typer.Option(
        None, "--input-shape", help="Input size without batch, in the framework's layout, e.g. 28,28,1."),
    model: Optional[str] = typer.Option(None, "--model", help="Only the model with this name."),
    max_params: Optional[int] = typer.Option(None, "--max-params", help="CNN201 above this many parameters."),
) -> None:
    from .discovery import discover
    from .runner import Options, lint_path, parse_shape

    if not paths:
        _usage_error("no path given (try: cnnlint model.py)")
    shape = None
    if input_shape is not None:
        shape = parse_shape(input_shape)
        if shape is None:
            _usage_error(f"--input-shape must be positive integers separated by commas, got {input_shape!r}")
    if max_params is not None and max_params < 0:
        _usage_error("--max-params must not be negative")
    options = Options(input_shape=shape, model=model, max_params=max_params)
    files = discover(paths)
    results = [lint_path(path, options) for path in files]

    if output_format is OutputFormat.json:
        from .reporters import json as json_reporter

        sys.stdout.write(json_reporter.render(results))
    else:
        from .reporters import text

        if summary:
            from .reporters import summary as summary_reporter

            table = summary_reporter.render(results)
            if table:
                sys.stdout.write(table + "\n")
        sys.stdout.write(text.render(results, colour=text.use_colour()))
    if any(r.internal_error for r in results):
        raise typer.Exit(2)
    if any(d.severity == "error" for r in results for d in r.diagnostics):
        raise typer.Exit(1)
