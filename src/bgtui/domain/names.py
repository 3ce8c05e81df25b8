"""Neo4j name rules: customer -> alias, snapshot -> database, label/type quoting.

These rules decide what may ever reach Neo4j. Database and alias names are always sent as
Cypher parameters, and never contain dots (a dot may name an alias inside a composite
database). Labels and relationship types cannot be parameters in Cypher 5, so they are
backtick-quoted with embedded backticks doubled: any name Neo4j accepts that way is allowed.

The sandbox imports ``database_name_problem`` too, so the stand-in and the real server agree
on which names are valid and on the wording of the messages (Neo4j's DatabaseNameValidator).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

MIN_NAME_LENGTH = 3
MAX_NAME_LENGTH = 63

_LEGAL_CHARS = re.compile(r"^[a-z0-9.-]+$")
# Dots are legal in database names but bgtui maps them to dashes: "When the given parameter
# includes dots, the first dot is considered the divider for the composite database"
# (https://neo4j.com/docs/operations-manual/current/database-administration/aliases/naming-aliases/),
# so alias `acme.eu` would land inside a composite database `acme` if one exists.
_NOT_LEGAL = re.compile(r"[^a-z0-9-]+")
_SEPARATORS = re.compile(r"-{2,}")

#: Labels and types that read the same unquoted; used where a folder or group *name* may
#: become a label implicitly. Explicit labels and types may be anything ``identifier_problem``
#: accepts.
IDENTIFIER_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")

#: Neo4j's limit on label, relationship type and property key names: "Names can be up to
#: 65534 characters" (https://neo4j.com/docs/cypher-manual/current/syntax/naming/);
#: UNCONFIRMED whether 65535 is accepted too, so the lower figure holds.
MAX_IDENTIFIER_LENGTH = 65534


class InvalidNameError(ValueError):
    """A folder, label or type name that cannot become a valid Neo4j name."""


def database_name_problem(name: str) -> str | None:
    """Return Neo4j's message for an invalid database name, or None when it is valid.

    Mirrors Neo4j 5's DatabaseNameValidator
    (https://neo4j.com/docs/operations-manual/current/database-administration/standard-databases/naming-databases/):
    lowercase first, then check the
    length, the leading letter, the character set and the reserved ``system`` prefix.
    """
    if not name:
        return "The provided database name is empty."
    normalised = name.lower()
    if not MIN_NAME_LENGTH <= len(normalised) <= MAX_NAME_LENGTH:
        return "The provided database name must have a length between 3 and 63 characters."
    if not ("a" <= normalised[0] <= "z"):
        return f"Database name '{normalised}' is not starting with an ASCII alphabetic character."
    if not _LEGAL_CHARS.match(normalised):
        return (
            f"Database name '{normalised}' contains illegal characters. "
            "Use simple ascii characters, numbers, dots and dashes."
        )
    if normalised.startswith("system"):
        return f"Database name '{normalised}' is invalid, due to the prefix 'system'."
    return None


def _sanitise(raw: str) -> str:
    """Lowercase and fold every run of characters Neo4j refuses into a single dash."""
    folded = _NOT_LEGAL.sub("-", raw.strip().lower())
    folded = _SEPARATORS.sub("-", folded)
    return folded.strip(".-")


def alias_for_customer(customer: str) -> str:
    """The alias that clients use for a customer, e.g. ``Acme_Corp`` -> ``acme-corp``.

    Raises:
        InvalidNameError: the folder name cannot become a valid name; the message says why.
    """
    alias = _sanitise(customer)
    problem = database_name_problem(alias)
    # Leave room for "-<timestamp>" so every snapshot database of the customer is valid too.
    if problem is None and len(alias) > MAX_NAME_LENGTH - 16:
        problem = f"the name is longer than {MAX_NAME_LENGTH - 16} characters"
    if problem:
        raise InvalidNameError(
            f"customer folder {customer!r} cannot become a Neo4j alias: {problem}"
        )
    return alias


def normalise_timestamp(timestamp: str) -> str:
    """The database-name part of a snapshot folder: ``2024-05-01T12:00Z`` -> ``20240501t1200z``."""
    part = re.sub(r"[^a-z0-9]+", "", timestamp.strip().lower())
    if not part:
        raise InvalidNameError(f"snapshot folder {timestamp!r} has no letters or digits")
    return part


def database_for_snapshot(customer: str, timestamp: str) -> str:
    """The database a snapshot loads into: ``<alias>-<normalised timestamp>``."""
    name = f"{alias_for_customer(customer)}-{normalise_timestamp(timestamp)}"
    problem = database_name_problem(name)
    if problem:
        raise InvalidNameError(
            f"snapshot {customer}/{timestamp} cannot become a database: {problem}"
        )
    return name


def parse_timestamp(timestamp: str) -> datetime:
    """Order snapshot folders by time: epoch seconds (or ms) or an ISO-like date-time.

    Raises:
        InvalidNameError: the folder name is neither.
    """
    text = timestamp.strip()
    if text.isdigit():
        value = int(text)
        if len(text) == 8:  # 20240501: a compact date, not epoch seconds in 1970
            return datetime.strptime(text, "%Y%m%d").replace(tzinfo=UTC)
        if value > 10**11:  # milliseconds
            value //= 1000
        return datetime.fromtimestamp(value, tz=UTC)
    compact_formats = ("%Y%m%dT%H%M%SZ", "%Y%m%dT%H%M%S", "%Y%m%d-%H%M%S", "%Y%m%d_%H%M%S")
    for fmt in compact_formats:
        try:
            return datetime.strptime(text.upper(), fmt).replace(tzinfo=UTC)
        except ValueError:
            pass
    iso = text.upper().replace("Z", "+00:00")
    # Producers often write colons as dashes or underscores in folder names.
    iso = re.sub(r"T(\d{2})[-_](\d{2})[-_](\d{2})", r"T\1:\2:\3", iso)
    try:
        parsed = datetime.fromisoformat(iso)
    except ValueError as exc:
        raise InvalidNameError(
            f"snapshot folder {timestamp!r} is not a timestamp "
            "(expected epoch seconds or an ISO date-time such as 2024-05-01T12:00:00Z)"
        ) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def identifier_problem(name: str) -> str | None:
    """Why Neo4j would not take ``name`` as a (backtick-quoted) label, type or key, or None.

    "Non-alphabetic characters, including numbers, symbols and whitespace characters, can be
    used in names, but must be quoted using backticks"
    (https://neo4j.com/docs/cypher-manual/current/syntax/naming/): so only the empty name and
    names over Neo4j's length limit are refused.
    """
    if not name:
        return "a label, type or property name cannot be empty"
    if len(name) > MAX_IDENTIFIER_LENGTH:
        return (
            f"a label, type or property name is at most {MAX_IDENTIFIER_LENGTH:,} characters, "
            f"Neo4j's limit (this one has {len(name):,})"
        )
    return None


def quote_identifier(name: str) -> str:
    """Backtick-quote a label, relationship type or property key, doubling its backticks.

    Raises:
        InvalidNameError: Neo4j would not accept the name (see ``identifier_problem``).
    """
    problem = identifier_problem(name)
    if problem:
        raise InvalidNameError(f"{name[:80]!r} is not an allowed name: {problem}")
    return "`" + name.replace("`", "``") + "`"
