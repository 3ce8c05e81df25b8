"""Typed reads from PyYAML's composed nodes, so every error names its key path and its line.

``yaml.safe_load`` forgets where a value came from; ``yaml.compose`` keeps a mark on every node.
A ``Section`` wraps one mapping: each read records the key as known, converts the value or raises
``ConfigError`` at the value's line, and ``reject_unknown`` then refuses any key nobody asked for,
suggesting the nearest known one. Duplicate keys, which PyYAML would silently collapse, are refused.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bgtui.config.durations import parse_duration
from bgtui.config.errors import ConfigError

_TAG = "tag:yaml.org,2002:"
_NULL, _BOOL, _INT, _FLOAT, _MERGE = (
    f"{_TAG}{name}" for name in ("null", "bool", "int", "float", "merge")
)


def compose(text: str, source: str) -> Node | None:
    """Parse ``text`` into a node tree, or None for an empty document.

    Raises:
        ConfigError: the text is not YAML; the line is where the parser gave up.
    """
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = "; ".join(part for part in (exc.context, exc.problem) if part) or "unreadable"
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(f"not valid YAML: {problem}", source=source, line=line) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}", source=source) from None


def line_of(node: Node) -> int:
    return int(node.start_mark.line) + 1


def scalar_value(node: ScalarNode) -> object:
    """The Python value of a scalar as YAML 1.1 resolves it (``yes`` is True, ``08`` a string)."""
    try:
        return SafeConstructor().construct_object(node, deep=True)
    except (ConstructorError, ValueError):
        return node.value


def is_null(node: Node | None) -> bool:
    return node is None or (isinstance(node, ScalarNode) and node.tag == _NULL)


class Section:
    """One YAML mapping at ``path`` (``snapshots.readiness``); empty when the key is absent."""

    def __init__(
        self,
        node: Node | None,
        path: str,
        source: str,
        *,
        line: int = 1,
        base_dir: Path | None = None,
    ) -> None:
        self.path = path
        self.source = source
        self.line = line
        self.base_dir = base_dir
        self._known: list[str] = []
        self._entries: dict[str, tuple[ScalarNode, Node]] = {}
        self._merged: set[str] = set()
        if is_null(node):
            return
        if not isinstance(node, MappingNode):
            self._raise(path or "(top level)", "expected a mapping of keys to values", line)
        self._collect(node)

    # ---- structure -------------------------------------------------------------------------

    def _collect(self, node: MappingNode, *, merged: bool = False) -> None:
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                for source in _merge_sources(value_node):
                    self._collect(source, merged=True)
                continue
            if not isinstance(key_node, ScalarNode):
                self._raise(
                    self.path or "(top level)", "keys must be plain names", line_of(key_node)
                )
            key = str(key_node.value)
            if key in self._entries:
                # Explicit keys win over merged ones (``<<: *anchor``), whatever the order.
                if merged:
                    continue
                if key in self._merged:
                    self._merged.discard(key)
                    self._entries[key] = (key_node, value_node)
                    continue
                first = line_of(self._entries[key][0])
                self._raise(
                    self.key_path(key), f"defined twice (first on line {first})", line_of(key_node)
                )
            self._entries[key] = (key_node, value_node)
            if merged:
                self._merged.add(key)

    def key_path(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def key_names(self) -> list[str]:
        return list(self._entries)

    def unread_keys(self) -> list[str]:
        """Keys present in the file that no read asked for (the old format's extras)."""
        return [key for key in self._entries if key not in self._known]

    def has(self, key: str) -> bool:
        return key in self._entries and not is_null(self._entries[key][1])

    def node(self, key: str) -> Node | None:
        """The value node for ``key`` (None when absent or null); marks ``key`` as known."""
        if key not in self._known:
            self._known.append(key)
        entry = self._entries.get(key)
        return None if entry is None or is_null(entry[1]) else entry[1]

    def key_line(self, key: str) -> int:
        entry = self._entries.get(key)
        return line_of(entry[0]) if entry else self.line

    def value_line(self, key: str) -> int:
        entry = self._entries.get(key)
        return line_of(entry[1]) if entry else self.line

    def fail(self, key: str, message: str) -> NoReturn:
        """Raise at ``key``'s value (or at this section when the key is absent)."""
        self._raise(self.key_path(key), message, self.value_line(key))

    def _raise(self, key_path: str, message: str, line: int) -> NoReturn:
        raise ConfigError(message, source=self.source, line=line, key=key_path)

    def reject_unknown(self, hints: dict[str, str] | None = None) -> None:
        """Refuse keys no read asked for; ``hints`` gives a specific message for some keys."""
        for key in self._entries:
            if key in self._known:
                continue
            if hints and key in hints:
                self._raise(self.key_path(key), hints[key], self.key_line(key))
            close = difflib.get_close_matches(key, self._known, n=1, cutoff=0.6)
            if close:
                message = f"unknown key (did you mean {close[0]}?)"
            else:
                message = f"unknown key (expected one of: {', '.join(self._known)})"
            self._raise(self.key_path(key), message, self.key_line(key))

    # ---- nested ----------------------------------------------------------------------------

    def section(self, key: str) -> Section:
        return Section(
            self.node(key),
            self.key_path(key),
            self.source,
            line=self.key_line(key),
            base_dir=self.base_dir,
        )

    def sections(self, key: str) -> list[Section]:
        """A sequence of mappings, each a ``Section`` at ``key[i]``."""
        node = self.node(key)
        if node is None:
            return []
        if not isinstance(node, SequenceNode):
            self.fail(key, "expected a list")
        return [
            Section(
                item,
                f"{self.key_path(key)}[{index}]",
                self.source,
                line=line_of(item),
                base_dir=self.base_dir,
            )
            for index, item in enumerate(node.value)
        ]

    # ---- scalars ---------------------------------------------------------------------------

    def _scalar(self, key: str, expected: str) -> ScalarNode | None:
        node = self.node(key)
        if node is None:
            return None
        if not isinstance(node, ScalarNode):
            self.fail(key, f"expected {expected}, got a {_kind(node)}")
        return node

    def text(self, key: str, default: str, *, allow_empty: bool = False) -> str:
        value = self.optional_text(key, allow_empty=allow_empty)
        return default if value is None else value

    def required_text(self, key: str, what: str) -> str:
        value = self.optional_text(key)
        if value is None:
            self._raise(self.key_path(key), f"required: {what}", self.key_line(key))
        return value

    def optional_text(self, key: str, *, allow_empty: bool = False) -> str | None:
        node = self._scalar(key, "text")
        if node is None:
            return None
        if not allow_empty and not str(node.value).strip():
            self.fail(key, "must not be empty")
        return str(node.value)

    def boolean(self, key: str, default: bool) -> bool:
        node = self._scalar(key, "true or false")
        if node is None:
            return default
        value = scalar_value(node)
        if node.tag != _BOOL or not isinstance(value, bool):
            self.fail(key, f"expected true or false, got {node.value!r}")
        return value

    def integer(
        self, key: str, default: int, *, minimum: int | None = None, maximum: int | None = None
    ) -> int:
        node = self._scalar(key, "a whole number")
        if node is None:
            return default
        value = scalar_value(node)
        if node.tag != _INT or not isinstance(value, int) or isinstance(value, bool):
            self.fail(key, f"expected a whole number, got {node.value!r}")
        self._check_range(key, value, minimum, maximum)
        return value

    def number(
        self,
        key: str,
        default: float,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> float:
        node = self._scalar(key, "a number")
        if node is None:
            return default
        value = scalar_value(node)
        if node.tag not in (_INT, _FLOAT) or isinstance(value, bool):
            self.fail(key, f"expected a number, got {node.value!r}")
        assert isinstance(value, int | float)
        self._check_range(key, value, minimum, maximum)
        return float(value)

    def _check_range(
        self, key: str, value: float, minimum: float | None, maximum: float | None
    ) -> None:
        if minimum is not None and value < minimum:
            self.fail(key, f"must be at least {minimum:g}, got {value:g}")
        if maximum is not None and value > maximum:
            self.fail(key, f"must be at most {maximum:g}, got {value:g}")

    def duration(self, key: str, default: float, *, minimum: float = 0.0) -> float:
        node = self._scalar(key, "a duration")
        if node is None:
            return default
        raw = scalar_value(node) if node.tag in (_INT, _FLOAT) else str(node.value)
        try:
            seconds = parse_duration(raw)
        except ValueError as exc:
            self.fail(key, str(exc))
        if seconds < minimum:
            self.fail(key, f"must be at least {minimum:g}s, got {node.value!r}")
        return seconds

    def choice(self, key: str, default: str, options: Sequence[str]) -> str:
        node = self._scalar(key, f"one of {', '.join(options)}")
        if node is None:
            return default
        value = str(node.value)
        if value not in options:
            self.fail(key, f"expected one of {', '.join(options)}, got {value!r}")
        return value

    def file_path(self, key: str, default: Path | None) -> Path | None:
        """A path; ``~`` expands, and a relative path is taken from the settings file's folder."""
        text = self.optional_text(key)
        if text is None:
            return default
        return self.resolve_path(text)

    def resolve_path(self, text: str) -> Path:
        path = Path(text).expanduser()
        if not path.is_absolute() and self.base_dir is not None:
            path = self.base_dir / path
        return path


def _merge_sources(node: Node) -> list[MappingNode]:
    if isinstance(node, MappingNode):
        return [node]
    if isinstance(node, SequenceNode):
        return [item for item in node.value if isinstance(item, MappingNode)]
    return []


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "mapping"
    if isinstance(node, SequenceNode):
        return "list"
    return "value"
