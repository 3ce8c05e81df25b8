"""Writes an old orchestrator's values as a commented bgtui settings file.

Each line says where its value came from, so an operator can check the conversion by eye.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from bgtui.config.durations import format_duration
from bgtui.config.settings import STATUS_FILE_NAME

_COMMENT_COLUMN = 40


@dataclass(frozen=True)
class LegacyValues:
    """What the old file said, already expanded and checked, in bgtui's terms."""

    uri: str
    user: str
    password_env: str
    password_comment: str
    base_path: str
    scan_interval: float
    max_parallel_loads: int
    max_databases: int
    heap_threshold_percent: float
    max_retries: int
    retry_backoff_base: float
    gate_recheck: float
    arrow_port: int = 8491
    arrow_tls: bool = False
    unused: tuple[str, ...] = ()
    status_json: str = STATUS_FILE_NAME  # the old orchestrator wrote it beside its settings
    watch: str = "auto"

    def with_paths_from(self, folder: Path) -> LegacyValues:
        """Relative paths made absolute against the old file's folder, as the old code did."""

        def absolute(text: str) -> str:
            path = Path(text).expanduser()
            return str(path if path.is_absolute() else folder / path)

        return replace(
            self, base_path=absolute(self.base_path), status_json=absolute(self.status_json)
        )

    def with_polling(self) -> LegacyValues:
        return replace(self, watch="polling")


def render(values: LegacyValues, source: str) -> str:
    """The bgtui YAML text for ``values``; ``source`` names the old file in the header."""
    lines = [
        f"# bgtui settings converted from {source} (the old orchestrator's settings).",
        "# Every key is described in config/bgtui.example.yaml; relative paths are read from",
        "# this file's folder.",
        "",
        "environment:",
        _entry("name", "production", "production asks for typed confirmations"),
        _entry("colour", "red"),
        "",
        "neo4j:",
        _entry("uri", values.uri, "was neo4j.host and neo4j.bolt_port"),
        _entry("user", values.user),
        _entry("password_env", values.password_env, values.password_comment),
        _entry("connect_timeout", "5s"),
        "  arrow:",
        _entry("port", values.arrow_port, "was neo4j.arrow_port", indent=4),
        _entry(
            "tls",
            values.arrow_tls,
            "was neo4j.tls (the old pipeline never used TLS for Arrow)",
            indent=4,
        ),
        "",
        "snapshots:",
        _entry("base_path", values.base_path, "was dataset.base_path"),
        _entry("watch", values.watch, _watch_comment(values.watch)),
        _entry(
            "poll_interval", format_duration(values.scan_interval), "was orchestrator.scan_interval"
        ),
        "  readiness:",
        _entry("require", "auto", "was: nodes/ and relationships/ hold files", indent=4),
        _comment("now: _SUCCESS, a verified manifest.json,"),
        _comment("or 30 seconds without changes"),
        _entry("format", "parquet", "the old pipeline read Parquet only"),
        "",
        "loading:",
        _entry("method", "auto", "the old pipeline loaded through Arrow; Bolt if it is off"),
        _entry("max_parallel_loads", values.max_parallel_loads, "was orchestrator.num_workers"),
        _entry("max_retries", values.max_retries),
        _entry(
            "retry_backoff",
            format_duration(values.retry_backoff_base),
            _backoff_comment(values.retry_backoff_base, values.max_retries),
        ),
        _entry("max_databases", values.max_databases),
        _entry("heap_threshold_percent", _number(values.heap_threshold_percent)),
        _entry(
            "gate_recheck",
            format_duration(values.gate_recheck),
            "was orchestrator.health_check_retry_delay",
        ),
        "",
        "promotion:",
        _entry("policy", "auto", "as before: switch once loaded"),
        _entry("keep_previous", 1, "it kept the newest 2 databases"),
        "",
        _entry("status_json", values.status_json, "where the old orchestrator wrote it", indent=0),
    ]
    if values.unused:
        lines += ["", "# Old keys bgtui does not use:"]
        lines += [f"#   {key}" for key in values.unused]
    return "\n".join(lines) + "\n"


def _watch_comment(watch: str) -> str:
    if watch == "polling":
        return "scans every poll_interval, as before"
    return "inotify events; scans if unavailable"


def _backoff_comment(base: float, retries: int) -> str:
    shown = max(1, min(retries, 3))
    old = ", ".join(format_duration(base**n) for n in range(1, shown + 1))
    new = ", ".join(format_duration(base * 2 ** (n - 1)) for n in range(1, shown + 1))
    if old == new:
        return f"was retry_backoff_base: waits {old}"
    return f"was retry_backoff_base: waits {old}; now {new}"


def _number(value: float) -> int | float:
    return int(value) if value == int(value) else value


def _scalar(value: object) -> str:
    """``value`` as YAML, quoted only when it has to be."""
    dumped = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1 << 20)
    return dumped.removesuffix("\n").removesuffix("\n...")


def _entry(key: str, value: object, comment: str = "", *, indent: int = 2) -> str:
    text = f"{' ' * indent}{key}: {_scalar(value)}"
    if not comment:
        return text
    return f"{text.ljust(_COMMENT_COLUMN - 1)} # {comment}"


def _comment(text: str) -> str:
    """A comment continuing the one on the line above, in the same column."""
    return f"{' ' * _COMMENT_COLUMN}# {text}"
