"""``[tool.cnnlint]`` in pyproject.toml, layered under the command line as ruff does.

Each file is linted with the nearest pyproject.toml above it that has a
``[tool.cnnlint]`` table (a pyproject without one, such as a vendored
package's, does not hide the project's), unless ``--config`` names one file
for all.  Patterns in ``exclude``, ``per-file-ignores`` and ``input-shapes``
are globs relative to the configuration file's folder.
"""

from __future__ import annotations

import difflib
import os
import sys
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import Dict, FrozenSet, Optional, Tuple

from .rules import DEFAULT_ENABLED, UnknownSelector, select
from .suppressions import parse_shape

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib

SECTION = "[tool.cnnlint]"
KEYS = ("select", "ignore", "extend-select", "per-file-ignores", "exclude", "extend-exclude", "max-params",
        "max-macs", "input-shapes", "fixable", "unfixable")


class ConfigError(Exception):
    """A configuration mistake, reported on one line with exit status 2."""


@dataclass(frozen=True)
class Settings:
    """One layer of settings: a configuration file, or the command line on top of it."""

    select: Optional[FrozenSet[str]] = None
    extend_select: FrozenSet[str] = frozenset()
    ignore: FrozenSet[str] = frozenset()
    per_file_ignores: Tuple[Tuple[str, FrozenSet[str]], ...] = ()
    exclude: Tuple[str, ...] = ()
    max_params: Optional[int] = None
    max_macs: Optional[int] = None
    #: (file glob or None for every file, model name, shape)
    input_shapes: Tuple[Tuple[Optional[str], str, tuple], ...] = ()
    root: Optional[Path] = None  # the folder patterns are relative to
    source: str = ""  # the configuration file, as messages name it
    #: codes whose fixes are offered (None: every code), and those whose fixes never are
    fixable: Optional[FrozenSet[str]] = None
    unfixable: FrozenSet[str] = frozenset()

    def enabled(self, enabled: FrozenSet[str]) -> FrozenSet[str]:
        """Apply this layer's selection: ``select`` replaces, then extend-select adds and ignore removes."""
        chosen = set(self.select) if self.select is not None else set(enabled)
        return frozenset((chosen | self.extend_select) - self.ignore)


def codes(value, key: str, where: str) -> FrozenSet[str]:
    """Rule selectors (codes, names, prefixes, ALL) as a set of codes."""
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}{key} must be a list of rule codes or names, got {value!r}")
    try:
        return frozenset(select(value))
    except UnknownSelector as exc:
        raise ConfigError(f"{where}{key}: unknown rule {str(exc)!r} (see cnnlint --list-rules)") from None


#: counts (max-params, max-macs) beyond this are refused rather than carried around as huge integers
MAX_COUNT = 10 ** 18


def count(value, key: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        shown = repr(value) if not isinstance(value, int) or value.bit_length() < 100 else "a larger number"
        raise ConfigError(f"{where}{key} must be an integer from 0 to 10**18, got {shown}")
    return value


def shape(value, key: str, where: str) -> tuple:
    """A shape without batch: [28, 28, 1] or "28,28,1"; several inputs' shapes: [[3, 224, 224], [3, 224, 224]]."""

    def sizes(items) -> bool:
        return isinstance(items, list) and all(isinstance(v, int) and not isinstance(v, bool) and v.bit_length() < 64
                                               for v in items)

    if isinstance(value, str):
        parsed = parse_shape(value)
    elif sizes(value):
        parsed = parse_shape(",".join(map(str, value)))
    elif isinstance(value, list) and value and all(sizes(v) for v in value):
        parsed = parse_shape(";".join(",".join(map(str, v)) for v in value))
    else:
        parsed = None
    if parsed is None:
        shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
        raise ConfigError(f"{where}{key} must be positive integers such as [28, 28, 1], got {shown}")
    return parsed


def _globs(value, key: str, where: str) -> Tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}{key} must be a list of glob patterns, got {value!r}")
    return tuple(value)


def _table(value, key: str, where: str) -> dict:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}{key} must be a table, got {value!r}")
    return value


def parse(table: dict, root: Path, where: str) -> Settings:
    """Validate a ``[tool.cnnlint]`` table; ``where`` prefixes every error message."""
    unknown = [key for key in table if key not in KEYS]
    if unknown:
        close = difflib.get_close_matches(unknown[0], KEYS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(KEYS)})"
        raise ConfigError(f"{where}unknown key {unknown[0]!r} in {SECTION}{hint}")
    settings = Settings(root=root, source=where.rstrip(": "))
    if "select" in table:
        settings = replace(settings, select=codes(table["select"], "select", where))
    if "extend-select" in table:
        settings = replace(settings, extend_select=codes(table["extend-select"], "extend-select", where))
    if "ignore" in table:
        settings = replace(settings, ignore=codes(table["ignore"], "ignore", where))
    for key in ("fixable", "unfixable"):
        if key in table:
            settings = replace(settings, **{key: codes(table[key], key, where)})
    for key in ("exclude", "extend-exclude"):  # no default list to replace: the two add up
        if key in table:
            settings = replace(settings, exclude=settings.exclude + _globs(table[key], key, where))
    for key in ("max-params", "max-macs"):
        if key in table:
            settings = replace(settings, **{key.replace("-", "_"): count(table[key], key, where)})
    if "per-file-ignores" in table:
        ignores = _table(table["per-file-ignores"], "per-file-ignores", where)
        settings = replace(settings, per_file_ignores=tuple(
            (pattern, codes(value, f"per-file-ignores.{pattern!r}", where)) for pattern, value in ignores.items()))
    if "input-shapes" in table:
        shapes = []
        for name, value in _table(table["input-shapes"], "input-shapes", where).items():
            pattern, _, model = name.rpartition(":")
            shapes.append((pattern or None, model, shape(value, f"input-shapes.{name!r}", where)))
        settings = replace(settings, input_shapes=tuple(shapes))
    return settings


def load(path: Path) -> Settings:
    """Read a pyproject.toml's [tool.cnnlint], or a whole cnnlint.toml given with --config."""
    where = f"{path}: "
    document = _document(path, where)
    if path.name == "pyproject.toml":
        table = _tool(document, where).get("cnnlint", {})
        if not isinstance(table, dict):
            raise ConfigError(f"{where}{SECTION} must be a table")
    else:
        table = document
    return parse(table, path.resolve().parent, where)


def _document(path: Path, where: str) -> dict:
    """The parsed TOML of a regular file of bounded size; every failure is a one-line ConfigError."""
    from .files import Unreadable, read_regular

    try:
        text = read_regular(str(path)).decode("utf-8")
        return tomllib.loads(text)
    except Unreadable as exc:
        raise ConfigError(f"{where}cannot read the configuration: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{where}invalid TOML: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except RecursionError:
        raise ConfigError(f"{where}invalid TOML: nested too deeply") from None
    except ValueError as exc:  # tomllib's TOMLDecodeError, or an integer too long to convert
        raise ConfigError(f"{where}invalid TOML: {str(exc)[:200]}") from None


def _tool(document: dict, where: str) -> dict:
    tool = document.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{where}tool must be a table ([tool.cnnlint]), got {type(tool).__name__}")
    return tool


def has_section(path: Path) -> bool:
    """Whether a pyproject.toml has [tool.cnnlint]; a broken one counts, so that its error is shown."""
    try:
        return "cnnlint" in _tool(_document(path, ""), "")
    except ConfigError:
        return True


def matches(pattern: str, relative: PurePosixPath) -> bool:
    """A glob matches the path itself, one of its parent folders, or (without a slash) any path component."""
    pattern = pattern.rstrip("/")
    candidates = [str(relative)] + [str(parent) for parent in relative.parents if str(parent) != "."]
    if "/" not in pattern:
        candidates += relative.parts
    return any(fnmatchcase(c, pattern) for c in candidates)


class Resolver:
    """The options each file is linted with: its configuration file under the command line."""

    def __init__(self, command_line: Settings, config_path: Optional[str] = None):
        self.command_line = command_line
        self.fixed = load(Path(config_path)) if config_path else None
        self._by_folder: Dict[Path, Optional[Path]] = {}
        self._loaded: Dict[Path, Settings] = {}

    def settings_for(self, path: str) -> Settings:
        if self.fixed is not None:
            return self.fixed
        found = self._nearest(Path(os.path.abspath(path)).parent)
        if found is None:
            return Settings()
        if found not in self._loaded:
            self._loaded[found] = load(found)
        return self._loaded[found]

    def _nearest(self, folder: Path) -> Optional[Path]:
        if folder not in self._by_folder:
            candidate = folder / "pyproject.toml"
            if candidate.is_file() and has_section(candidate):
                self._by_folder[folder] = candidate
            else:
                self._by_folder[folder] = None if folder.parent == folder else self._nearest(folder.parent)
        return self._by_folder[folder]

    def options_for(self, path: str, base):
        """``base`` (a runner.Options) adjusted for ``path``; None if the configuration excludes it."""
        file = self.settings_for(path)
        relative = _relative(path, file.root)
        if any(matches(p, relative) for p in file.exclude):
            return None
        enabled = self.command_line.enabled(file.enabled(DEFAULT_ENABLED))
        for pattern, ignored in file.per_file_ignores:
            if matches(pattern, relative):
                enabled -= ignored
        shapes = {model: value for pattern, model, value in file.input_shapes
                  if pattern is None or matches(pattern, relative)}
        cli = self.command_line
        fixable = (file.fixable if file.fixable is not None else base.fixable) - file.unfixable
        return replace(base, enabled=frozenset(enabled), input_shapes=shapes, fixable=frozenset(fixable),
                       max_params=cli.max_params if cli.max_params is not None else file.max_params,
                       max_macs=cli.max_macs if cli.max_macs is not None else file.max_macs)

    def unused_input_shapes(self, results) -> list:
        """Warnings for ``input-shapes`` keys that named no model of the files they applied to."""
        found: Dict[tuple, set] = {}  # (config, key) -> model names of the files the key applied to
        for result in results:
            settings = self.settings_for(result.path)
            relative = _relative(result.path, settings.root)
            for pattern, model, _ in settings.input_shapes:
                if pattern is None or matches(pattern, relative):
                    key = (settings.source, f"{pattern}:{model}" if pattern else model)
                    found.setdefault(key, set()).update(result.model_names)
        warnings = []
        for (source, key), names in found.items():
            model = key.rpartition(":")[2]
            if model in names:
                continue
            close = difflib.get_close_matches(model, sorted(names), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else (
                f" (models found: {', '.join(sorted(names))})" if names else "")
            warnings.append(f"{source}: [tool.cnnlint.input-shapes] {key!r} matches no model of the files "
                            f"linted{hint}")
        return warnings


def _relative(path: str, root: Optional[Path]) -> PurePosixPath:
    absolute = Path(os.path.abspath(path))
    try:
        return PurePosixPath((absolute.relative_to(root) if root else absolute).as_posix())
    except ValueError:  # outside the configuration's folder: only absolute patterns can match it
        return PurePosixPath(absolute.as_posix())
