"""A small Neo4j stand-in that speaks Bolt, for the demo and the tests. Not a database.

``SandboxServer`` listens on a local port and answers the real neo4j driver; ``Dbms`` holds
what it knows (databases, aliases, graphs); ``Faults`` makes it misbehave on purpose.
"""

from bgtui.sandbox.dbms import Dbms
from bgtui.sandbox.faults import FaultError, Faults
from bgtui.sandbox.packstream import Structure
from bgtui.sandbox.server import SandboxError, SandboxServer

__all__ = ["Dbms", "FaultError", "Faults", "SandboxError", "SandboxServer", "Structure"]
