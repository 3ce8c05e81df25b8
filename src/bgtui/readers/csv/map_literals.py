"""Cypher-style maps of plain values: point values and the ``{…}`` options of header tokens.

Both are written by hand by producers, so values may be quoted or bare (``{crs:WGS-84}``,
``{timezone:'Europe/Stockholm'}``) and keys are read case-insensitively.
"""

from __future__ import annotations

import re

from bgtui.readers.value_problem import ValueProblem

_ENTRY = re.compile(
    r"\s*(?P<key>`[^`]*`|'[^']*'|\"[^\"]*\"|[^:,{}\s]+)\s*:\s*"
    r"(?P<value>'[^']*'|\"[^\"]*\"|[^,{}]*?)\s*(?:,|$)",
    re.ASCII,
)


def parse_map(text: str) -> dict[str, str]:
    """A Cypher-style map of plain values, ``{a:1, b:'x'}`` (braces optional): key -> text.

    Raises:
        ValueProblem: the text is not such a map, or a key repeats.
    """
    body = text.strip()
    if body.startswith("{"):
        if not body.endswith("}"):
            raise ValueProblem("expected a map such as {x:1, y:2} (no closing brace)")
        body = body[1:-1]
    entries: dict[str, str] = {}
    position = 0
    body = body.strip()
    while position < len(body):
        match = _ENTRY.match(body, position)
        if match is None or match.end() == position:
            raise ValueProblem("expected a map such as {x:1, y:2}")
        key = _unquote(match["key"]).lower()
        if key in entries:
            raise ValueProblem(f"expected each key once, {key!r} repeats")
        entries[key] = _unquote(match["value"].strip())
        position = match.end()
    return entries


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"`":
        return text[1:-1]
    return text
