"""Helpers shared by tests: plain modules, imported by name (conftest files hold only fixtures)."""
