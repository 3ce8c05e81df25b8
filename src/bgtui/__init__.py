"""bgtui: an operator console for blue/green Neo4j snapshot deployments."""

__version__ = "0.1.0"
