"""The one error type of ``bgtui.config``: it names the file, the line and the key."""

from __future__ import annotations


class ConfigError(Exception):
    """A settings file bgtui cannot use, explained for the operator who wrote it.

    ``str(error)`` reads ``config/bgtui.yaml, line 14: promotion.policy: expected …``; the
    parts are kept as attributes so a UI can highlight the line.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        key: str | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.key = key
        super().__init__(self._render())

    def _render(self) -> str:
        where = [part for part in (self.source, f"line {self.line}" if self.line else None) if part]
        prefix = ", ".join(where)
        body = f"{self.key}: {self.message}" if self.key else self.message
        return f"{prefix}: {body}" if prefix else body
