"""The old orchestrator's settings file, read as it read it, and turned into bgtui's.

The replaced pipeline (a public ``orchestrator.py``) read ``neo4j.host``/``bolt_port``/``user``/
``password``, ``dataset.base_path`` and an ``orchestrator:`` block, expanding ``${VAR}`` and
``${VAR:default}`` everywhere. Its behaviour is kept where bgtui has the same knob: its defaults
(one load at a time, 30 s scans, 60 s health back-off), its immediate alias switch, its two kept
databases, its status file next to the settings file. A literal password is used when such a file
is loaded directly, but ``bgtui import-config`` never copies it into the new file.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import ScalarNode

from bgtui.config.legacy_yaml import LegacyValues, render
from bgtui.config.settings import DEFAULT_PASSWORD_ENV
from bgtui.config.yaml_nodes import Section, compose, scalar_value

LEGACY_SECTIONS = frozenset({"dataset", "orchestrator"})
OLD_PASSWORD_ENV = "NEO4J_PASSWORD"  # the old loader's fallback for an empty password
_VARIABLE = re.compile(r"\$\{([^}:]+)(?::([^}]*))?\}")
_WHOLE_VARIABLE = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}$")

# Old keys with no bgtui counterpart, and why.
_UNUSED = {
    "neo4j.concurrency": "Arrow-only",
    "worker": "Arrow loader tuning",
    "orchestrator.max_concurrent_loads": "the old orchestrator never read it; num_workers ruled",
    "orchestrator.pagecache_threshold_percent": "the old orchestrator never enforced it",
    "orchestrator.shutdown_timeout": "bgtui asks before quitting during a load",
}


@dataclass(frozen=True)
class LegacyConversion:
    """A converted file: bgtui YAML text, what the operator must know, and a literal password.

    ``literal_password`` is only for loading the old file directly; it is never written out.
    """

    yaml_text: str
    notes: tuple[str, ...]
    literal_password: str | None = field(default=None, repr=False)


def looks_legacy(root: Section) -> bool:
    """True for an old orchestrator file: its sections, and none of bgtui's."""
    keys = set(root.key_names())
    return bool(keys & LEGACY_SECTIONS) and "snapshots" not in keys


def convert_legacy(
    old_yaml_text: str,
    *,
    source_path: Path | None = None,
    polling: bool = False,
    environ: Mapping[str, str] | None = None,
) -> str:
    """bgtui settings YAML, with comments, for an old orchestrator file (``bgtui import-config``).

    ``source_path`` (the old file) turns relative paths absolute and names it in the header;
    ``polling`` writes ``watch: polling`` instead of keeping inotify. The notes to print for the
    operator (which password variable to set) come from ``legacy_conversion``.

    Raises:
        ConfigError: the old file is not YAML or holds a value the old orchestrator refused.
    """
    return legacy_conversion(
        old_yaml_text, source_path=source_path, polling=polling, environ=environ
    ).yaml_text


def legacy_conversion(
    old_yaml_text: str,
    *,
    source_path: Path | None = None,
    polling: bool = False,
    environ: Mapping[str, str] | None = None,
) -> LegacyConversion:
    """Like ``convert_legacy``, with the notes the CLI prints after writing the file."""
    source = str(source_path) if source_path is not None else "<old settings>"
    base_dir = source_path.parent.absolute() if source_path is not None else None
    return convert(
        old_yaml_text,
        source=source,
        base_dir=base_dir,
        environ=environ,
        polling=polling,
        absolute_paths=source_path is not None,
    )


def convert(
    text: str,
    *,
    source: str,
    base_dir: Path | None,
    environ: Mapping[str, str] | None = None,
    polling: bool = False,
    absolute_paths: bool = False,
) -> LegacyConversion:
    """Read the old file's values (errors name the OLD keys and lines) and render bgtui YAML."""
    env = os.environ if environ is None else environ
    root = Section(compose(text, source), "", source, base_dir=base_dir)
    reader = _LegacyReader(env)
    values, literal, notes = reader.read(root, source)
    if absolute_paths and base_dir is not None:
        values = values.with_paths_from(base_dir)
    if polling:
        values = values.with_polling()
    return LegacyConversion(render(values, source), tuple(notes), literal)


class _LegacyReader:
    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ

    def read(self, root: Section, source: str) -> tuple[LegacyValues, str | None, list[str]]:
        neo4j = root.section("neo4j")
        dataset = root.section("dataset")
        orchestrator = root.section("orchestrator")
        host = self.text(neo4j, "host", "localhost")
        port = int(self.number(neo4j, "bolt_port", 7687, integer=True, minimum=1, maximum=65535))
        user = self.text(neo4j, "user", "neo4j")
        password_env, literal, notes, password_comment = self.password(neo4j, source)
        arrow_port = int(
            self.number(neo4j, "arrow_port", 8491, integer=True, minimum=1, maximum=65535)
        )
        arrow_tls = self.flag(neo4j, "tls", False)
        base_path = self.text(dataset, "base_path", "")
        if not base_path:
            dataset.fail("base_path", "required: the folder that holds <customer>/<timestamp>")
        values = LegacyValues(
            uri=f"bolt://{host}:{port}",
            user=user,
            password_env=password_env,
            password_comment=password_comment,
            arrow_port=arrow_port,
            arrow_tls=arrow_tls,
            base_path=base_path,
            scan_interval=self.number(orchestrator, "scan_interval", 30, minimum=1),
            max_parallel_loads=int(
                self.number(orchestrator, "num_workers", 1, integer=True, minimum=1, maximum=64)
            ),
            max_databases=int(
                self.number(orchestrator, "max_databases", 50, integer=True, minimum=1)
            ),
            heap_threshold_percent=self.number(
                orchestrator, "heap_threshold_percent", 85, minimum=1, maximum=100
            ),
            max_retries=int(self.number(orchestrator, "max_retries", 3, integer=True, minimum=0)),
            retry_backoff_base=self.number(orchestrator, "retry_backoff_base", 2, minimum=0),
            gate_recheck=self.number(orchestrator, "health_check_retry_delay", 60, minimum=1),
            unused=tuple(self.unused(root, neo4j, dataset, orchestrator)),
        )
        return values, literal, notes

    def password(self, neo4j: Section, source: str) -> tuple[str, str | None, list[str], str]:
        """The variable bgtui will read, a literal for direct loading only, notes, a comment.

        The comment goes into the new file, so it never holds a literal password.
        """
        raw = (neo4j.optional_text("password", allow_empty=True) or "").strip()
        if not raw:
            return OLD_PASSWORD_ENV, None, [], "the old loader read it when password was empty"
        whole = _WHOLE_VARIABLE.match(raw)
        if whole is not None:
            name, fallback = whole.group(1), whole.group(2)
            comment = f"was password: ${{{name}}}"
            if fallback is None:
                return name, None, [], comment
            note = f"{source} gives a fallback password for ${name}; bgtui has none: set {name}"
            return name, fallback, [note], f"{comment} (with a fallback bgtui does not copy)"
        literal = self.expand(neo4j, "password", raw)
        comment = "the old file held the password itself; bgtui reads this variable instead"
        return (
            DEFAULT_PASSWORD_ENV,
            literal,
            [
                f"{source} holds the Neo4j password in plain text; bgtui does not copy it: "
                f"set {DEFAULT_PASSWORD_ENV} (or write it to a file with mode 0600 and name that "
                f"file in neo4j.password_file), then remove it from {source}"
            ],
            comment,
        )

    def expand(self, section: Section, key: str, text: str) -> str:
        """``${VAR}`` / ``${VAR:default}`` as the old loader expanded them."""

        def substitute(match: re.Match[str]) -> str:
            name, fallback = match.group(1), match.group(2)
            value = self.environ.get(name)
            if value is not None:
                return value
            if fallback is not None:
                return fallback
            section.fail(key, f"uses ${{{name}}}, but the environment variable {name} is not set")

        return _VARIABLE.sub(substitute, text)

    def text(self, section: Section, key: str, default: str) -> str:
        value = section.optional_text(key)
        return default if value is None else self.expand(section, key, value)

    def flag(self, section: Section, key: str, default: bool) -> bool:
        """A true/false value, possibly written as ``${VAR}``."""
        node = section.node(key)
        if node is None:
            return default
        if not isinstance(node, ScalarNode):
            section.fail(key, "expected true or false")
        value: object = scalar_value(node)
        if isinstance(value, str):
            with contextlib.suppress(yaml.YAMLError):
                value = yaml.safe_load(self.expand(section, key, value))
        if not isinstance(value, bool):
            section.fail(key, f"expected true or false, got {node.value!r}")
        return value

    def number(
        self,
        section: Section,
        key: str,
        default: float,
        *,
        integer: bool = False,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> float:
        node = section.node(key)
        if node is None:
            return default
        if not isinstance(node, ScalarNode):
            section.fail(key, "expected a number")
        value: object = scalar_value(node)
        if isinstance(value, str):  # "${PORT}" and the like
            with contextlib.suppress(yaml.YAMLError):
                value = yaml.safe_load(self.expand(section, key, value))
        kinds: tuple[type, ...] = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            what = "a whole number" if integer else "a number"
            section.fail(key, f"expected {what}, got {node.value!r}")
        assert isinstance(value, int | float)
        if minimum is not None and value < minimum:
            section.fail(key, f"must be at least {minimum:g}, got {value:g}")
        if maximum is not None and value > maximum:
            section.fail(key, f"must be at most {maximum:g}, got {value:g}")
        return value

    def unused(self, root: Section, *sections: Section) -> list[str]:
        """Old keys bgtui does not use, with the reason, for a comment in the new file."""
        found = [section.key_path(key) for section in sections for key in section.unread_keys()]
        found += [
            key for key in root.key_names() if key not in {"neo4j", "dataset", "orchestrator"}
        ]
        lines = []
        for key in found:
            reason = _UNUSED.get(key) or _UNUSED.get(key.split(".")[0])
            lines.append(f"{key} ({reason})" if reason else key)
        return lines
