"""Where the GDS Arrow Flight server listens, and which path a load takes.

Kept apart from the Flight client so that settings and wiring can name an endpoint without
importing pyarrow, which is an optional extra.
"""

from __future__ import annotations

from dataclasses import dataclass

from bgtui.domain.loading import DEFAULT_ARROW_PORT, LOADING_METHODS

__all__ = ["DEFAULT_ARROW_PORT", "LOADING_METHODS", "ArrowEndpoint", "tls_for"]


@dataclass(frozen=True)
class ArrowEndpoint:
    """Where the Arrow Flight server listens and how to log in (the Neo4j user).

    ``tls`` is already decided here; ``auto`` in the settings follows the Bolt address.
    """

    host: str
    port: int
    user: str
    password: str
    tls: bool = False
    timeout: float = 30.0

    @property
    def location(self) -> str:
        scheme = "grpc+tls" if self.tls else "grpc+tcp"
        return f"{scheme}://{self.host}:{self.port}"


def tls_for(setting: str | bool, bolt_uri: str) -> bool:
    """``tls: auto`` uses TLS when the Bolt address does (``+s`` / ``+ssc``), as the GDS
    Python client turns TLS on when its Bolt connection is encrypted."""
    if isinstance(setting, bool):
        return setting
    if setting == "auto":
        return "+s" in bolt_uri.partition("://")[0]
    return setting.lower() in ("true", "yes", "on")
