"""Everything that speaks to Neo4j through the official driver."""
