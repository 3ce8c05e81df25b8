"""A small Neo4j stand-in that speaks Bolt, for the demo and the tests. Not a database."""
