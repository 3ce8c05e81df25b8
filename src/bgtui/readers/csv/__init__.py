"""The neo4j-admin CSV import format: file groups, headers, typed values, streamed rows."""
