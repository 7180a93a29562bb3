"""The ``cnnlint`` command: one command, with ruff's flags and exit codes.

Exit status: 0 no error-level diagnostic, 1 errors found, 2 a usage or
configuration error, or an internal error (CNN000).  Reporters and the
configuration machinery are imported only when the run needs them.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import List, Optional

import typer

app = typer.Typer(add_completion=False, help="Static shape, parameter and bug checks for Keras and PyTorch models.")


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


class Colour(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


def _usage_error(message: str) -> None:
    typer.echo(f"cnnlint: error: {message}", err=True)
    raise typer.Exit(2)


def _warn(message: str) -> None:
    typer.echo(f"warning: {message}", err=True)


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"cnnlint {__version__}")
        raise typer.Exit()


def _extensions(values: Optional[List[str]]) -> tuple:
    """``--extension ipy:ipynb`` (repeated or comma-separated), as ruff maps extensions to languages."""
    from .discovery import LANGUAGES

    pairs = []
    for value in _selectors(values) or []:
        extension, _, language = value.partition(":")
        extension = extension.lstrip(".")
        if not extension or language not in set(LANGUAGES.values()):
            _usage_error(f"--extension takes EXTENSION:LANGUAGE with a language among "
                         f"{', '.join(sorted(set(LANGUAGES.values())))}, got {value!r}")
        pairs.append((extension, language))
    return tuple(pairs)


def _selectors(values: Optional[List[str]]) -> Optional[List[str]]:
    """Repeated flags and comma-separated lists alike: ``--select CNN1,CNN201 --select CNN301``."""
    if values is None:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _explain(code: str) -> None:
    from .rules import UnknownSelector, lookup
    from .rules.docs import read_doc

    try:
        rule = lookup(code)
    except UnknownSelector:
        _usage_error(f"unknown rule {code!r} (see cnnlint --list-rules)")
    document = read_doc(rule.code)
    if document is None:
        _usage_error(f"the document of {rule.code} is not installed")
    sys.stdout.write(document if document.endswith("\n") else document + "\n")


def _list_rules(output_format: "OutputFormat") -> None:
    from .rules import ALL_RULES

    if output_format is OutputFormat.json:  # as ``ruff rule --all --output-format json``
        import json

        from .rules.docs import read_doc

        listed = [{"code": rule.code, "name": rule.name, "severity": rule.severity,
                   "default_enabled": rule.default_enabled, "summary": rule.summary,
                   "explanation": read_doc(rule.code)} for rule in ALL_RULES]
        sys.stdout.write(json.dumps(listed, indent=2) + "\n")
        return
    if output_format is not OutputFormat.text:
        _usage_error(f"--list-rules prints text or JSON, not {output_format.value}")
    width = max(len(rule.name) for rule in ALL_RULES)
    for rule in ALL_RULES:
        default = "on" if rule.default_enabled else "off"
        sys.stdout.write(f"{rule.code}  {rule.name:<{width}}  {rule.severity:<7}  {default:<3}  {rule.summary}\n")


def _lint(files: List[str], resolver, base, stdin_name: Optional[str], jobs, cache_dir) -> list:
    """Lint files (and stdin), each with its own configuration; excluded files are skipped."""
    from .parallel import lint_many

    groups: list = []  # [options, [(position, path)]]: files sharing options are linted together
    for position, path in enumerate(files):
        options = resolver.options_for(path, base)
        if options is None:
            continue
        group = next((g for g in groups if g[0] == options), None)
        if group is None:
            groups.append([options, []])
            group = groups[-1]
        group[1].append((position, path))
    found: dict = {}
    for options, members in groups:
        results = lint_many([path for _, path in members], options, jobs=jobs, cache_dir=cache_dir)
        found.update(zip((position for position, _ in members), results))
    ordered = [found[position] for position in sorted(found)]
    if stdin_name is not None:
        options = resolver.options_for(stdin_name, base)
        if options is not None:
            from .files import Unreadable, read_stream
            from .parallel import lint_sources
            from .results import unreadable

            try:
                ordered.extend(lint_sources([(stdin_name, read_stream(sys.stdin.buffer))], options, jobs))
            except Unreadable as exc:
                ordered.append(unreadable(stdin_name, str(exc)))
    return ordered


def _default_cache_dir() -> str:
    from .cache import DEFAULT_DIR

    return DEFAULT_DIR


def _render(results, output_format: OutputFormat, summary: bool, statistics: bool, colour: bool,
            unsafe: bool = False, fixed: int = 0) -> str:
    if statistics:
        from .reporters import statistics as reporter

        return reporter.render_json(results) if output_format is OutputFormat.json else reporter.render(results)
    if output_format is OutputFormat.json:
        from .reporters import json as reporter
    elif output_format is OutputFormat.github:
        from .reporters import github as reporter
    elif output_format is OutputFormat.sarif:
        from .reporters import sarif as reporter
    else:
        from .reporters import text

        table = ""
        if summary:
            from .reporters import summary as summary_reporter

            table = summary_reporter.render(results)
        return (table + "\n" if table else "") + text.render(results, colour=colour, unsafe=unsafe, fixed=fixed)
    return reporter.render(results)


def _fails(results, fail_on: Severity) -> bool:
    from .diagnostics import SEVERITIES

    worst = SEVERITIES.index(fail_on.value)
    return any(SEVERITIES.index(d.severity) <= worst for r in results for d in r.diagnostics)


@app.command()
def main(
    paths: List[str] = typer.Argument(
        None, help="Files or folders to lint (folders are searched for *.py, *.pyi and *.ipynb, skipping what git "
                   "ignores); '-' reads standard input."),
    summary: bool = typer.Option(False, "--summary", help="Print a table per model, like model.summary()."),
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", "--output-format",
                                               envvar="CNNLINT_OUTPUT_FORMAT", help="Output format."),
    statistics: bool = typer.Option(False, "--statistics", help="Print how often each rule fired instead."),
    output_file: Optional[str] = typer.Option(None, "--output-file", "-o", help="Write the output to this file."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit with 0 even if errors are found."),
    fail_on: Severity = typer.Option(
        Severity.error, "--fail-on", help="Exit with 1 if a diagnostic this severe or more is found."),
    colour: Colour = typer.Option(
        Colour.auto, "--color", help="Colour the text output: auto (a terminal, unless NO_COLOR is set; always if "
                                     "FORCE_COLOR is), always or never."),
    extension: Optional[List[str]] = typer.Option(
        None, "--extension", help="Lint files with this extension as a language: ipy:ipynb (python, pyi, ipynb)."),
    input_shape: Optional[str] = typer.Option(
        None, "--input-shape", help="Input size without batch, in the framework's layout, e.g. 28,28,1."),
    model: Optional[str] = typer.Option(None, "--model", help="Only the models bound to this name (each binding)."),
    max_params: Optional[int] = typer.Option(None, "--max-params", help="CNN201 above this many parameters."),
    max_macs: Optional[int] = typer.Option(None, "--max-macs", help="CNN202 above this many multiply-accumulates."),
    select: Optional[List[str]] = typer.Option(
        None, "--select", help="Rules to run: codes, names, prefixes (CNN1) or ALL; replaces the configuration's."),
    extend_select: Optional[List[str]] = typer.Option(None, "--extend-select", help="Rules to run in addition."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Rules not to run."),
    config: Optional[str] = typer.Option(
        None, "--config", help="Use this pyproject.toml (or cnnlint.toml) instead of the nearest one."),
    stdin_filename: Optional[str] = typer.Option(
        None, "--stdin-filename", help="The name to report standard input under (with '-' as the path)."),
    explain: Optional[str] = typer.Option(None, "--explain", help="Print a rule's document (code or name)."),
    list_rules: bool = typer.Option(False, "--list-rules", help="List every rule: code, name, severity, default."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="Worker processes (default: all cores)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the result cache."),
    cache_dir: Optional[str] = typer.Option(None, "--cache-dir", help="Where to keep the cache (.cnnlint_cache)."),
    fix: bool = typer.Option(False, "--fix", help="Apply the safe fixes to the files."),
    unsafe_fixes: bool = typer.Option(False, "--unsafe-fixes", help="Offer and apply the unsafe fixes too."),
    diff: bool = typer.Option(False, "--diff", help="Print what --fix would change as a unified diff; change nothing."),
    add_noqa: bool = typer.Option(False, "--add-noqa", help="Add '# noqa: CODE' to every reported line."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    if explain is not None:
        _explain(explain)
        return
    if list_rules:
        _list_rules(output_format)
        return

    from .config import ConfigError, Resolver, Settings, codes
    from .discovery import discover
    from .results import Options, allow_long_integers
    from .suppressions import parse_shape

    allow_long_integers()
    paths = list(paths or [])
    reads_stdin = "-" in paths or (stdin_filename is not None and not paths)
    if not paths and not reads_stdin:
        _usage_error("no path given (try: cnnlint model.py)")
    if statistics and output_format in (OutputFormat.github, OutputFormat.sarif):
        _usage_error("--statistics prints text or JSON; drop --format github/sarif")
    if summary and (statistics or output_format in (OutputFormat.github, OutputFormat.sarif)):
        _warn(f"--summary has no place in {'--statistics' if statistics else '--format ' + output_format.value}: "
              "the models are not shown (use --format json for them)")
    if jobs is not None and jobs < 1:
        _usage_error("--jobs must be at least 1")
    shape = None
    if input_shape is not None:
        shape = parse_shape(input_shape)
        if shape is None:
            _usage_error(f"--input-shape must be positive integers separated by commas, got {input_shape!r}")
    for flag, value in (("--max-params", max_params), ("--max-macs", max_macs)):
        if value is not None and value < 0:
            _usage_error(f"{flag} must not be negative")
    try:
        chosen = {key: codes(_selectors(value), flag, "")
                  for key, flag, value in (("select", "--select", select), ("extend_select", "--extend-select",
                                           extend_select), ("ignore", "--ignore", ignore)) if value is not None}
        command_line = Settings(max_params=max_params, max_macs=max_macs, **chosen)
        resolver = Resolver(command_line, config)
        extensions = _extensions(extension)
        files, warnings = discover([p for p in paths if p != "-"], dict(extensions))
        for warning in warnings:
            _warn(warning)
        stdin_name = (stdin_filename or "-") if reads_stdin else None
        cache = None if no_cache else (cache_dir or _default_cache_dir())
        base = Options(input_shape=shape, model=model, report_models=summary or output_format is OutputFormat.json,
                       extensions=extensions)
        results = _lint(files, resolver, base, stdin_name, jobs, cache)
        for warning in resolver.unused_input_shapes(results):
            _warn(warning)
        if model is not None and results and not any(model in r.model_names for r in results):
            names = sorted({name for r in results for name in r.model_names})
            _warn(f"--model {model!r} matches no model" + (f" (models found: {', '.join(names)})" if names else ""))
    except ConfigError as exc:
        _usage_error(str(exc))

    # -- fixes: --fix and --diff rewrite or diff the files, --add-noqa silences what is reported ------------
    fixed = 0
    if fix or diff or add_noqa:
        from .autofix import command as fixes

        if reads_stdin:
            _usage_error("--fix, --diff and --add-noqa change files: give paths, not standard input")
        if add_noqa:
            fixes.report(fixes.add_noqa(results), diff=False)
            raise typer.Exit(0)
        run = fixes.fix_files(results, lambda path: resolver.options_for(path, base), unsafe_fixes, diff)
        if diff:
            if output_file is not None:
                with open(output_file, "wb") as handle:
                    handle.write(run.diff)
            else:
                sys.stdout.flush()
                sys.stdout.buffer.write(run.diff)
            fixes.report(run, diff=True)
            raise typer.Exit(1 if run.fixed else 0)
        fixes.report(run, diff=False)
        results, fixed = run.results, run.fixed
    # -- end of fixes -----------------------------------------------------------------------------------

    from .reporters.text import use_colour

    if not results:
        _warn("No Python files found")
    if output_file is not None:
        try:
            os.makedirs(os.path.dirname(os.path.abspath(output_file)), exist_ok=True)
            # a file name that is not valid UTF-8 is written back as the bytes it is on disk
            with open(output_file, "w", encoding="utf-8", errors="surrogateescape") as handle:
                handle.write(_render(results, output_format, summary, statistics, colour=colour is Colour.always,
                                     unsafe=unsafe_fixes, fixed=fixed))
        except OSError as exc:
            _usage_error(f"cannot write {output_file}: {exc.strerror or exc}")
    elif results or output_format is not OutputFormat.text:
        if sys.stdout.errors == "strict":  # PYTHONIOENCODING=utf-8: file names that are not UTF-8 as their bytes
            sys.stdout.reconfigure(errors="surrogateescape")
        sys.stdout.write(_render(results, output_format, summary, statistics,
                                 colour=use_colour(sys.stdout, colour.value), unsafe=unsafe_fixes, fixed=fixed))
    if any(r.internal_error for r in results):
        raise typer.Exit(2)
    if not exit_zero and _fails(results, fail_on):
        raise typer.Exit(1)
