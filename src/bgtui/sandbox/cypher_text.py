"""Reading just enough Cypher text: statement templates, names, literal values, filters.

The sandbox is not a Cypher parser. It recognises a fixed set of statement shapes, written as
templates that read like the Cypher they match::

    "MATCH ({n:var}[[:{label:symbol}]]) RETURN count({n}) [[AS {column:symbol}]]"

- words and punctuation match themselves (keywords case-insensitively); whitespace is required
  between two words and optional elsewhere;
- ``{name:kind}`` captures a fragment of a kind from ``KINDS``; a later ``{name}`` must repeat
  the same text (the same variable);
- ``[[ ... ]]`` is optional; ``[[flag: ...]]`` also records whether it was present.

All regex work happens once per statement, never per row of a batch.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from bgtui.sandbox import errors

SYMBOL = r"(?:`(?:[^`]|``)+`|[A-Za-z_][A-Za-z0-9_]*)"
_NAME_STOP = r"(?!(?:YIELD|WHERE|FOR|IF|WAIT|NOWAIT)\b)"
NAME = rf"(?:\$[A-Za-z_]\w*|`(?:[^`]|``)+`|{_NAME_STOP}[A-Za-z_][A-Za-z0-9_.]*)"
_WAIT = r"(?:WAIT(?:\s+\d+(?:\s+SEC(?:OND)?S?)?)?|NOWAIT)"
_COUNT_OR_PARAM = r"(?:\$\w+|\d+)"

#: What a ``{name:kind}`` placeholder may match.
KINDS: dict[str, str] = {
    "var": r"[A-Za-z_][A-Za-z0-9_]*",
    "symbol": SYMBOL,
    "labels": rf"(?:\s*:\s*{SYMBOL})*",
    "map": r"\{[^{}]*\}",
    "param": r"\$[A-Za-z_]\w*",
    "int": r"\d+",
    "count": _COUNT_OR_PARAM,
    "countable": r"\*|[A-Za-z_][A-Za-z0-9_]*",
    "literal": r"-?\d+(?:\.\d+)?|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|true|false|null",
    "procedure": r"[A-Za-z_][A-Za-z0-9_.]*",
    "args": r"[^()]*",
    "rest": r".+?",
    "tail": r".*?",
    "name": NAME,
    "databases": r"DATABASES?",
    "default_or_home": r"DEFAULT|HOME",
    "aliases": r"ALIAS(?:ES)?",
    "wait": _WAIT,
    "topology": rf"(?:SET\s+)?TOPOLOGY(?:\s+{_COUNT_OR_PARAM}\s+PRIMAR(?:Y|IES))?"
    rf"(?:\s+{_COUNT_OR_PARAM}\s+SECONDAR(?:Y|IES))?",
    "restrict": r"RESTRICT|CASCADE\s+ALIAS(?:ES)?",
    "data": r"(?:DUMP|DESTROY)(?:\s+DATA)?",
}
_WORDLIKE = {"var", "symbol", "param", "int", "count", "procedure", "name", "databases"}
_WORDLIKE |= {"aliases", "wait", "topology", "restrict", "data", "literal", "default_or_home"}

_TEMPLATE_TOKEN = re.compile(r"\[\[(?:\w+:)?|\]\]|\{\w+(?::\w+)?\}|\w+|\S")


def compile_template(template: str) -> re.Pattern[str]:
    """Turn a statement template into an anchored, case-insensitive regex."""
    parts: list[str] = []
    seen: set[str] = set()
    previous_is_word = False
    for token in _TEMPLATE_TOKEN.findall(template):
        if token.startswith("[["):
            flag = token[2:-1]
            parts.append(f"(?P<{flag}>" if flag else "(?:")
            continue
        if token == "]]":
            parts.append(")?")
            continue
        word = _is_wordlike(token)
        if parts or previous_is_word:
            parts.append(r"\s+" if (word and previous_is_word) else r"\s*")
        parts.append(_token_regex(token, seen))
        previous_is_word = word
    return re.compile(r"^\s*" + "".join(parts) + r"\s*;?\s*$", re.IGNORECASE | re.DOTALL)


def _is_wordlike(token: str) -> bool:
    if token.startswith("{"):
        kind = token[1:-1].partition(":")[2]
        return kind in _WORDLIKE if kind else True
    return token[0].isalnum() or token[0] == "_"


def _token_regex(token: str, seen: set[str]) -> str:
    if not token.startswith("{"):
        return re.escape(token)
    name, _, kind = token[1:-1].partition(":")
    if not kind:
        if name not in seen:
            raise ValueError(f"template repeats {{{name}}} before defining it")
        return f"(?P={name})"
    seen.add(name)
    return f"(?P<{name}>{KINDS[kind]})"


# --- names and symbols -------------------------------------------------------------------


def unquote(symbol: str) -> str:
    """The text of a label, type, key or name, without backticks (``` `` ``` is one backtick)."""
    symbol = symbol.strip()
    if len(symbol) >= 2 and symbol[0] == symbol[-1] == "`":
        return symbol[1:-1].replace("``", "`")
    return symbol


def parse_labels(text: str | None) -> tuple[str, ...]:
    """``:`A`:B`` -> ("A", "B")."""
    if not text:
        return ()
    return tuple(unquote(match) for match in re.findall(SYMBOL, text))


def parameter(parameters: Mapping[str, Any], name: str) -> Any:
    """The value of ``$name``; a missing parameter is Neo4j's ParameterMissing."""
    name = name.lstrip("$")
    if name not in parameters:
        raise errors.parameter_missing(name)
    return parameters[name]


def resolve_name(token: str, parameters: Mapping[str, Any]) -> tuple[str, str | None]:
    """A database or alias name as written: ``$p``, ```quoted```, or plain; lower-cased.

    Returns the normalised name and the parameter it came from (None when written inline).
    """
    if token.startswith("$"):
        value = parameter(parameters, token)
        if not isinstance(value, str):
            raise errors.parameter_type(token[1:], "a String", value)
        return value.lower(), token[1:]
    return unquote(token).lower(), None


# --- literal values ------------------------------------------------------------------------

_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def read_value(text: str, parameters: Mapping[str, Any]) -> Any:
    """One Cypher literal (string, number, boolean, null, list, map) or ``$parameter``."""
    value, end = _read(text, _skip(text, 0), parameters)
    if _skip(text, end) != len(text):
        raise errors.invalid_syntax(f"Unexpected text after a value: {text[end:]!r}")
    return value


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _read(text: str, pos: int, parameters: Mapping[str, Any]) -> tuple[Any, int]:
    if pos >= len(text):
        raise errors.invalid_syntax("Expected a value but the statement ended")
    char = text[pos]
    if char in "'\"":
        return _read_string(text, pos)
    if char == "$":
        word = _WORD.match(text, pos + 1)
        if word is None:
            raise errors.invalid_syntax(f"Invalid parameter at: {text[pos:]!r}")
        return parameter(parameters, word.group()), word.end()
    if char == "[":
        return _read_sequence(text, pos, "]", parameters)
    if char == "{":
        return _read_sequence(text, pos, "}", parameters)
    number = _NUMBER.match(text, pos)
    if number:
        literal = number.group()
        is_float = number.group(1) or number.group(2)
        return (float(literal) if is_float else int(literal)), number.end()
    word = _WORD.match(text, pos)
    if word and word.group().lower() in ("true", "false", "null"):
        return {"true": True, "false": False, "null": None}[word.group().lower()], word.end()
    raise errors.invalid_syntax(f"The bgtui sandbox cannot read this value: {text[pos:]!r}")


def _read_string(text: str, pos: int) -> tuple[str, int]:
    quote, out, pos = text[pos], [], pos + 1
    while pos < len(text):
        char = text[pos]
        if char == "\\" and pos + 1 < len(text):
            out.append({"n": "\n", "t": "\t"}.get(text[pos + 1], text[pos + 1]))
            pos += 2
            continue
        if char == quote:
            return "".join(out), pos + 1
        out.append(char)
        pos += 1
    raise errors.invalid_syntax("A string literal is not closed")


def _read_sequence(
    text: str, pos: int, closing: str, parameters: Mapping[str, Any]
) -> tuple[Any, int]:
    items: list[Any] = []
    entries: dict[str, Any] = {}
    pos = _skip(text, pos + 1)
    while pos < len(text) and text[pos] != closing:
        if closing == "}":
            key = re.compile(SYMBOL).match(text, pos)
            if key is None:
                raise errors.invalid_syntax(f"Expected a map key at: {text[pos:]!r}")
            pos = _skip(text, key.end())
            if pos >= len(text) or text[pos] != ":":
                raise errors.invalid_syntax(f"Expected ':' after a map key at: {text[pos:]!r}")
            value, pos = _read(text, _skip(text, pos + 1), parameters)
            entries[unquote(key.group())] = value
        else:
            value, pos = _read(text, pos, parameters)
            items.append(value)
        pos = _skip(text, pos)
        if pos < len(text) and text[pos] == ",":
            pos = _skip(text, pos + 1)
    if pos >= len(text):
        raise errors.invalid_syntax(f"A list or map is not closed (expected {closing!r})")
    return (entries if closing == "}" else items), pos + 1


# --- WHERE filters and the YIELD/RETURN tail of SHOW commands --------------------------------

Row = dict[str, Any]
_CONDITION = re.compile(r"\s*(?P<column>\w+)\s*(?P<op>=|<>|IN\b)\s*", re.IGNORECASE)
_AND = re.compile(r"\s+AND\s+", re.IGNORECASE)
_SHOW_TAIL = re.compile(
    r"""^\s*
    (?:YIELD\s+(?P<yielded>\*|\w+(?:\s*,\s*\w+)*)
        (?:\s+ORDER\s+BY\s+(?P<order>\w+(?:\s+(?:ASC|DESC|ASCENDING|DESCENDING))?))?
        (?:\s+SKIP\s+(?P<skip>\d+))?
        (?:\s+LIMIT\s+(?P<limit>\d+))?
    )?
    (?:\s*WHERE\s+(?P<where>.+?))?
    (?:\s*RETURN\s+(?P<returned>\w+(?:\s+AS\s+\w+)?(?:\s*,\s*\w+(?:\s+AS\s+\w+)?)*))?
    \s*;?\s*$""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)


def row_filter(where: str, parameters: Mapping[str, Any]) -> Callable[[Row], bool]:
    """A predicate for ``col = v``, ``col <> v`` and ``col IN [...]`` joined by AND."""
    tests: list[tuple[str, str, Any]] = []
    pos = 0
    while True:
        match = _CONDITION.match(where, pos)
        if match is None:
            raise errors.not_understood(
                where, "In WHERE it reads only `col = v`, `col <> v`, `col IN [...]` and AND."
            )
        value, pos = _read(where, match.end(), parameters)
        tests.append((match["column"], match["op"].upper(), value))
        joint = _AND.match(where, pos)
        if joint is None:
            break
        pos = joint.end()
    if _skip(where, pos) != len(where):
        raise errors.not_understood(where, f"It stopped reading WHERE at {where[pos:]!r}.")
    return lambda row: all(_holds(row.get(column), op, value) for column, op, value in tests)


def _holds(actual: Any, op: str, expected: Any) -> bool:
    if actual is None or expected is None:
        return False  # Cypher's null comparisons are never true
    if op == "IN":
        return isinstance(expected, list) and actual in expected
    return (actual == expected) if op == "=" else (actual != expected)


def project_show(
    rows: list[Row],
    tail: str,
    parameters: Mapping[str, Any],
    default_columns: list[str],
    all_columns: list[str],
) -> tuple[list[str], list[list[Any]]]:
    """Apply ``YIELD … [ORDER BY] [SKIP] [LIMIT] [WHERE …] [RETURN …]`` to SHOW rows."""
    match = _SHOW_TAIL.match(tail)
    if match is None:
        raise errors.not_understood(tail, "After SHOW it reads YIELD, WHERE and RETURN.")
    columns = default_columns
    if match["yielded"]:
        wanted = match["yielded"].strip()
        columns = all_columns if wanted == "*" else [c.strip() for c in wanted.split(",")]
        for column in columns:
            if column not in all_columns:
                raise errors.invalid_syntax(f"Trying to YIELD non-existing column: `{column}`")
    if match["where"]:
        keep = row_filter(match["where"], parameters)
        rows = [row for row in rows if keep(row)]
    if match["order"]:
        column, _, direction = match["order"].partition(" ")
        descending = direction.strip().upper().startswith("DESC")
        rows = sorted(rows, key=lambda row: _sort_key(row.get(column)), reverse=descending)
    start = int(match["skip"] or 0)
    stop = start + int(match["limit"]) if match["limit"] else None
    rows = rows[start:stop]
    names = columns
    if match["returned"]:
        items = match["returned"].split(",")
        picked = [re.split(r"\s+AS\s+", item.strip(), flags=re.IGNORECASE) for item in items]
        for item in picked:
            if item[0] not in columns:
                raise errors.invalid_syntax(f"Variable `{item[0]}` not defined")
        columns = [item[0] for item in picked]
        names = [item[-1] for item in picked]
    return names, [[row.get(column) for column in columns] for row in rows]


def _sort_key(value: Any) -> tuple[int, Any]:
    return (1, "") if value is None else (0, value)
