"""History in SQLite, the status JSON export and the controller lock."""
