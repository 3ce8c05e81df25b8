"""The Neo4j a test talks to: the sandbox, or a real server named in the environment."""

from __future__ import annotations

from dataclasses import dataclass

from bgtui.sandbox.server import SandboxServer

SANDBOX_USER, SANDBOX_PASSWORD = "neo4j", "bgtui-sandbox"


@dataclass(frozen=True)
class Neo4jTarget:
    """Where a test's Neo4j is and how to log in; ``server`` is None for a real Neo4j."""

    uri: str
    routing_uri: str
    user: str
    password: str
    server: SandboxServer | None = None

    @property
    def is_sandbox(self) -> bool:
        return self.server is not None

    @property
    def auth(self) -> tuple[str, str]:
        return self.user, self.password
