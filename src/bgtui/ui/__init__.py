"""The Textual console: renders engine events and sends engine commands."""
