"""Everything that speaks to Neo4j through the official driver.

``Neo4jGraph`` is the engine's ``GraphPort``; every statement it sends comes from
``bgtui.graph.cypher``. Failures leave as ``GraphError`` (or the subclasses below).
"""

from bgtui.graph.client import Neo4jGraph
from bgtui.graph.errors import BadDataError, EnterpriseRequiredError, LoadCancelledError

__all__ = ["BadDataError", "EnterpriseRequiredError", "LoadCancelledError", "Neo4jGraph"]
