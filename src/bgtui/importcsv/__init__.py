"""The neo4j-admin CSV import format: headers, typed values, ID spaces, streamed batches."""
