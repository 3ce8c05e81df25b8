"""YAML settings: loading, validation with key and line, platformdirs paths."""
