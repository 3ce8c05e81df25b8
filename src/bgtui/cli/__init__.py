"""The bgtui command line."""
