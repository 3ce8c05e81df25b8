"""Read a bgtui settings file into ``Settings``, or refuse it with the key and line at fault.

An old orchestrator file (``dataset:`` / ``orchestrator:`` at the top) is recognised and
converted in memory (``bgtui.config.legacy``), with a notice suggesting ``bgtui import-config``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from bgtui.config import legacy
from bgtui.config.errors import ConfigError
from bgtui.config.password import PasswordFileError, password_from_environment, read_password_file
from bgtui.config.paths import default_state_dir
from bgtui.config.settings import (
    BANNER_COLOURS,
    READINESS_RULES,
    STATUS_FILE_NAME,
    WATCH_MODES,
    EnvironmentSettings,
    LoadingSettings,
    NameTemplates,
    Neo4jSettings,
    ReadinessSettings,
    Settings,
    SnapshotSettings,
    UiSettings,
    ValidationSettings,
)
from bgtui.config.yaml_nodes import Section, compose
from bgtui.domain.loading import LoadOptions
from bgtui.domain.names import InvalidNameError, alias_for_customer
from bgtui.domain.policy import POLICIES, PromotionPolicy, ValidationCheck, normalise_expectation
from bgtui.domain.topology import Topology
from bgtui.readers.model import FORMATS, ID_TYPES, ImportOptions, option_character

URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_THEME_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")

_OLD_KEYS = (
    "this key belongs to the old orchestrator's settings; run `bgtui import-config OLD.yaml` "
    "to convert the whole file"
)
_ROOT_HINTS = {"dataset": _OLD_KEYS, "orchestrator": _OLD_KEYS, "worker": _OLD_KEYS}
_NEO4J_HINTS = {
    "password": (
        "bgtui never reads the password from its settings file; put it in the environment "
        "variable named by neo4j.password_env (default BGTUI_NEO4J_PASSWORD) or in a file "
        "with mode 0600 named by neo4j.password_file"
    ),
    "host": "write the address as neo4j.uri, e.g. bolt://localhost:7687",
    "bolt_port": "write the address as neo4j.uri, e.g. bolt://localhost:7687",
}


def load_settings(path: Path | str, *, environ: Mapping[str, str] | None = None) -> Settings:
    """Read, check and resolve the settings file at ``path``.

    Relative paths inside the file are taken from the file's folder. ``environ`` replaces
    ``os.environ`` for the password variable (tests).

    Raises:
        ConfigError: the file is missing or wrong; the message names the key and line.
    """
    file = Path(path)
    source = str(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            "no settings file here; pass --config, set $BGTUI_CONFIG, or create it "
            "(config/bgtui.example.yaml shows every key)",
            source=source,
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ConfigError(f"cannot read the settings file: {reason}", source=source) from None
    return parse_settings(
        text, source=source, base_dir=file.parent.absolute(), environ=environ, file=file
    )


def parse_settings(
    text: str,
    *,
    source: str = "<settings>",
    base_dir: Path | None = None,
    environ: Mapping[str, str] | None = None,
    file: Path | None = None,
) -> Settings:
    """Like ``load_settings`` for text already in hand; ``base_dir`` anchors relative paths."""
    root = Section(compose(text, source), "", source, base_dir=base_dir)
    if legacy.looks_legacy(root):
        return _load_legacy(text, source, base_dir, environ, file)
    settings = read_settings(root, environ)
    return replace(settings, source=file)


def _load_legacy(
    text: str,
    source: str,
    base_dir: Path | None,
    environ: Mapping[str, str] | None,
    file: Path | None,
) -> Settings:
    conversion = legacy.convert(text, source=source, base_dir=base_dir, environ=environ)
    root = Section(compose(conversion.yaml_text, source), "", source, base_dir=base_dir)
    settings = read_settings(root, environ)
    if settings.neo4j.password is None and conversion.literal_password is not None:
        settings = replace(
            settings, neo4j=replace(settings.neo4j, password=conversion.literal_password)
        )
    notice = (
        f"{source}: read as the old orchestrator's settings and converted in memory; "
        f"run `bgtui import-config {source}` to write a bgtui settings file"
    )
    return replace(settings, source=file, notices=(notice, *conversion.notes))


def read_settings(root: Section, environ: Mapping[str, str] | None = None) -> Settings:
    """Build ``Settings`` from the top-level section; every key is checked."""
    environment = _environment(root.section("environment"))
    neo4j = _neo4j(root.section("neo4j"), environ)
    snapshots, bad_data = _snapshots(root)
    loading = _loading(root.section("loading"), bad_data)
    promotion = _policy(root.section("promotion"), PromotionPolicy())
    customers = _customers(root, promotion)
    customer_topologies = _customer_topologies(root)
    validation = _validation(root.section("validation"))
    names = _names(root.section("names"))
    state_dir = root.file_path("state_dir", None) or default_state_dir()
    status_json = root.file_path("status_json", None) or state_dir / STATUS_FILE_NAME
    ui = _ui(root.section("ui"))
    root.reject_unknown(_ROOT_HINTS)
    return Settings(
        snapshots=snapshots,
        state_dir=state_dir,
        status_json=status_json,
        environment=environment,
        neo4j=neo4j,
        loading=loading,
        promotion=promotion,
        customers=customers,
        customer_topologies=customer_topologies,
        validation=validation,
        names=names,
        ui=ui,
    )


def _environment(section: Section) -> EnvironmentSettings:
    defaults = EnvironmentSettings()
    result = EnvironmentSettings(
        name=section.text("name", defaults.name),
        colour=section.choice("colour", defaults.colour, BANNER_COLOURS),
    )
    section.reject_unknown()
    return result


def _neo4j(section: Section, environ: Mapping[str, str] | None) -> Neo4jSettings:
    defaults = Neo4jSettings()
    uri = section.text("uri", defaults.uri)
    scheme, sep, rest = uri.partition("://")
    if not sep or scheme not in URI_SCHEMES or not rest:
        section.fail("uri", f"expected <scheme>://host:port with scheme {', '.join(URI_SCHEMES)}")
    password_env = section.text("password_env", defaults.password_env)
    if not _ENV_NAME.match(password_env):
        section.fail("password_env", f"{password_env!r} is not an environment variable name")
    password_file = section.file_path("password_file", None)
    if password_file is not None:
        try:
            password: str | None = read_password_file(password_file)
        except PasswordFileError as exc:
            section.fail("password_file", exc.message)
    else:
        password = password_from_environment(password_env, environ)
    result = Neo4jSettings(
        uri=uri,
        user=section.text("user", defaults.user),
        password_env=password_env,
        password_file=password_file,
        connect_timeout=section.duration("connect_timeout", defaults.connect_timeout, minimum=0.1),
        password=password,
        topology=_topology(section),
    )
    section.reject_unknown(_NEO4J_HINTS)
    return result


def _snapshots(root: Section) -> tuple[SnapshotSettings, LoadOptions]:
    """The snapshots block, and the load options its csv block sets (bad-data tolerance)."""
    section = root.section("snapshots")
    base_text = section.optional_text("base_path")
    if base_text is None:
        where = "snapshots.base_path" if root.has("snapshots") else "snapshots"
        raise ConfigError(
            "required: the folder that holds <customer>/<timestamp> snapshot folders "
            "(snapshots.base_path)",
            source=root.source,
            line=section.line if root.has("snapshots") else root.line,
            key=where,
        )
    defaults = SnapshotSettings(base_path=Path())
    snapshot_format = section.choice("format", defaults.format, FORMATS)
    reader, bad_data = _csv(section.section("csv"), snapshot_format)
    result = SnapshotSettings(
        base_path=section.resolve_path(base_text),
        watch=section.choice("watch", defaults.watch, WATCH_MODES),
        poll_interval=section.duration("poll_interval", defaults.poll_interval, minimum=0.05),
        debounce=section.duration("debounce", defaults.debounce),
        readiness=_readiness(section.section("readiness")),
        reader=reader,
    )
    section.reject_unknown()
    return result, bad_data


def _readiness(section: Section) -> ReadinessSettings:
    defaults = ReadinessSettings()
    result = ReadinessSettings(
        marker=_file_name(section, "marker", defaults.marker),
        settle=section.duration("settle", defaults.settle),
        manifest=_file_name(section, "manifest", defaults.manifest),
        require=section.choice("require", defaults.require, READINESS_RULES),
    )
    section.reject_unknown()
    return result


def _file_name(section: Section, key: str, default: str) -> str:
    name = section.text(key, default)
    if "/" in name or "\\" in name or name in {".", ".."}:
        section.fail(key, f"expected a file name inside the snapshot folder, got {name!r}")
    return name


def _csv(section: Section, snapshot_format: str) -> tuple[ImportOptions, LoadOptions]:
    """The neo4j-admin import options: how to read the files, and how much bad data to skip."""
    defaults, load_defaults = ImportOptions(), LoadOptions()
    delimiter = _character(section, "delimiter", defaults.delimiter)
    array_delimiter = _character(section, "array_delimiter", defaults.array_delimiter)
    quote = _character(section, "quote", defaults.quote)
    if delimiter == quote:
        section.fail("quote", "must differ from csv.delimiter")
    if array_delimiter == delimiter:
        section.fail("array_delimiter", "must differ from csv.delimiter")
    if array_delimiter == quote:
        section.fail("array_delimiter", "must differ from csv.quote")
    try:
        reader = ImportOptions(
            delimiter=delimiter,
            array_delimiter=array_delimiter,
            quote=quote,
            id_type=section.choice("id_type", defaults.id_type, ID_TYPES),
            ignore_empty_strings=section.boolean("ignore_empty_strings", False),
            trim_strings=section.boolean("trim_strings", False),
            ignore_extra_columns=section.boolean("ignore_extra_columns", False),
            format=snapshot_format,
        )
    except ValueError as exc:  # what the reader refuses that the checks above let through
        section.fail("delimiter", str(exc))
    bad_data = LoadOptions(
        skip_duplicate_nodes=section.boolean("skip_duplicate_nodes", False),
        skip_bad_relationships=section.boolean("skip_bad_relationships", False),
        bad_tolerance=section.integer("bad_tolerance", load_defaults.bad_tolerance, minimum=-1),
    )
    section.reject_unknown()
    return reader, bad_data


def _character(section: Section, key: str, default: str) -> str:
    """One character, as neo4j-admin wants it; ``\\t`` and ``TAB`` mean a tab."""
    value = option_character(section.text(key, default, allow_empty=True))
    if len(value) != 1:
        section.fail(key, f"expected a single character, got {value!r}")
    return value


def _loading(section: Section, bad_data: LoadOptions) -> LoadingSettings:
    defaults = LoadingSettings()
    batch_size = section.integer("batch_size", defaults.load.batch_size, minimum=1)
    result = LoadingSettings(
        load=replace(bad_data, batch_size=batch_size),
        max_parallel_loads=section.integer(
            "max_parallel_loads", defaults.max_parallel_loads, minimum=1, maximum=64
        ),
        max_retries=section.integer("max_retries", defaults.max_retries, minimum=0),
        retry_backoff=section.duration("retry_backoff", defaults.retry_backoff),
        max_databases=section.integer("max_databases", defaults.max_databases, minimum=1),
        heap_threshold_percent=section.number(
            "heap_threshold_percent", defaults.heap_threshold_percent, minimum=1, maximum=100
        ),
        gate_recheck=section.duration("gate_recheck", defaults.gate_recheck, minimum=1),
    )
    section.reject_unknown()
    return result


def _policy(section: Section, inherited: PromotionPolicy) -> PromotionPolicy:
    result = PromotionPolicy(
        policy=section.choice("policy", inherited.policy, POLICIES),
        auto_after_seconds=section.duration("auto_after", inherited.auto_after_seconds),
        keep_previous=section.integer("keep_previous", inherited.keep_previous, minimum=0),
        stop_standbys=section.boolean("stop_standbys", inherited.stop_standbys),
    )
    section.reject_unknown()
    return result


def _topology(section: Section) -> Topology | None:
    """``topology: {primaries: N, secondaries: M}``, for CREATE DATABASE … TOPOLOGY."""
    if not section.has("topology"):
        section.node("topology")  # known, so a null value is not an unknown key
        return None
    sub = section.section("topology")
    result = Topology(
        primaries=sub.integer("primaries", 1, minimum=1),
        secondaries=sub.integer("secondaries", 0, minimum=0),
    )
    sub.reject_unknown()
    return result


def _customer_topologies(root: Section) -> Mapping[str, Topology]:
    """``customers.<name>.topology``, filed by alias (names were checked by ``_customers``)."""
    found: dict[str, Topology] = {}
    holder = root.section("customers")
    for name in holder.key_names():
        topology = _topology(holder.section(name))
        if topology is not None:
            found[alias_for_customer(name)] = topology
    return MappingProxyType(found)


def _customers(root: Section, promotion: PromotionPolicy) -> Mapping[str, PromotionPolicy]:
    """Per-customer overrides, filed by alias; each inherits what it does not set."""
    found: dict[str, tuple[str, PromotionPolicy]] = {}
    holder = root.section("customers")
    for name in holder.key_names():
        section = holder.section(name)
        try:
            key = alias_for_customer(name)
        except InvalidNameError as exc:
            raise ConfigError(
                str(exc), source=root.source, line=holder.key_line(name), key=section.path
            ) from None
        if key in found:
            raise ConfigError(
                f"names the same customer as {found[key][0]!r} (both become alias {key!r})",
                source=root.source,
                line=holder.key_line(name),
                key=section.path,
            )
        section.node("topology")  # read by _customer_topologies
        found[key] = (name, _policy(section, promotion))
    return MappingProxyType({key: policy for key, (_, policy) in found.items()})


def _validation(section: Section) -> ValidationSettings:
    checks: list[ValidationCheck] = []
    seen: set[str] = set()
    for item in section.sections("checks"):
        name = item.required_text("name", "a short name shown when the check fails")
        if name in seen:
            item.fail("name", f"another check is already called {name!r}")
        seen.add(name)
        query = item.required_text("query", "the Cypher query, returning one value")
        checks.append(ValidationCheck(name=name, query=query, expect=_expectation(item)))
        item.reject_unknown()
    result = ValidationSettings(
        counts_must_match=section.boolean("counts_must_match", True), checks=tuple(checks)
    )
    section.reject_unknown()
    return result


def _expectation(item: Section) -> str:
    """``>= 1``, ``> 0``, ``== 5``, ``!= 0``, ``<= 9``, ``< 3``, ``true`` or ``false``."""
    text = item.required_text("expect", "e.g. '>= 1', '== 0' or true")
    try:
        return normalise_expectation(text)
    except ValueError as exc:
        item.fail("expect", str(exc))


def _names(section: Section) -> NameTemplates:
    defaults = NameTemplates()
    alias = section.text("alias", defaults.alias)
    database = section.text("database", defaults.database)
    # SnapshotId derives both names itself (domain.names); accepting another template here
    # would switch one alias while clients use another, so anything else is refused.
    if alias != defaults.alias:
        section.fail(
            "alias",
            f"only {defaults.alias!r} is supported: aliases are named after the customer folder",
        )
    if database != defaults.database:
        section.fail("database", f"only {defaults.database!r} is supported")
    section.reject_unknown()
    return NameTemplates(alias=alias, database=database)


def _ui(section: Section) -> UiSettings:
    defaults = UiSettings()
    theme = section.text("theme", defaults.theme)
    if not _THEME_NAME.match(theme):
        section.fail("theme", f"expected a theme name such as 'default', got {theme!r}")
    result = UiSettings(
        theme=theme,
        bell=section.boolean("bell", defaults.bell),
        mouse=section.boolean("mouse", defaults.mouse),
    )
    section.reject_unknown()
    return result
