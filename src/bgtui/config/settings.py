"""bgtui's settings as frozen, typed values: what the YAML means once it has been checked.

Every default here is the default of the settings file (``config/bgtui.example.yaml`` shows
them all). Only ``snapshots.base_path`` has none. The loader (``bgtui.config.loader``) is the only
place that builds these from text; tests and tools may build them directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from bgtui.config.errors import ConfigError
from bgtui.domain.loading import LoadOptions
from bgtui.domain.policy import PromotionPolicy, ValidationCheck
from bgtui.domain.topology import Topology
from bgtui.readers.model import ImportOptions

WATCH_MODES = ("auto", "events", "polling")
READINESS_RULES = ("auto", "marker", "settle", "manifest")
BANNER_COLOURS = ("red", "orange", "yellow", "green", "blue", "magenta", "cyan", "grey")
PRODUCTION_NAMES = frozenset({"production", "prod"})
DEFAULT_PASSWORD_ENV = "BGTUI_NEO4J_PASSWORD"
STATUS_FILE_NAME = "orchestrator_status.json"


@dataclass(frozen=True)
class EnvironmentSettings:
    """The banner: which installation this console is driving."""

    name: str = "production"
    colour: str = "red"

    @property
    def is_production(self) -> bool:
        """Production asks for typed confirmations before an alias moves."""
        return self.name.strip().lower() in PRODUCTION_NAMES


@dataclass(frozen=True)
class Neo4jSettings:
    """Where Neo4j is and who bgtui is there.

    The password is left out of ``repr()`` and comparisons; ``dataclasses.asdict`` would still
    copy it, so settings are never serialised wholesale.
    """

    uri: str = "bolt://localhost:7687"
    user: str = "neo4j"
    password_env: str = DEFAULT_PASSWORD_ENV
    password_file: Path | None = None
    connect_timeout: float = 5.0
    password: str | None = field(default=None, repr=False, compare=False)
    #: ``neo4j.topology``: copies a cluster keeps of each new database (None: server default).
    topology: Topology | None = None

    @property
    def password_source(self) -> str:
        """Where the password is read from, for messages (never the password itself)."""
        if self.password_file is not None:
            return f"the file {self.password_file}"
        return f"the environment variable {self.password_env}"

    def require_password(self) -> str:
        """The password, or a ``ConfigError`` saying where bgtui looked for it."""
        if self.password is None:
            raise ConfigError(
                f"no Neo4j password: set {self.password_source}",
                key="neo4j.password_file" if self.password_file else "neo4j.password_env",
            )
        return self.password


@dataclass(frozen=True)
class ReadinessSettings:
    """When a snapshot folder counts as complete: a marker file, a manifest, or quiet time."""

    marker: str = "_SUCCESS"
    settle: float = 30.0
    manifest: str = "manifest.json"
    require: str = "auto"  # auto | marker | settle | manifest


@dataclass(frozen=True)
class SnapshotSettings:
    """Where snapshots arrive and how the watcher decides they are complete."""

    base_path: Path
    watch: str = "auto"  # auto | events | polling
    poll_interval: float = 5.0
    debounce: float = 1.0
    readiness: ReadinessSettings = field(default_factory=ReadinessSettings)
    reader: ImportOptions = field(default_factory=ImportOptions)  # format and snapshots.csv

    @property
    def format(self) -> str:
        """auto | csv | parquet"""
        return self.reader.format


@dataclass(frozen=True)
class LoadingSettings:
    """How hard bgtui may push Neo4j while loading.

    ``load`` gathers loading.batch_size and the bad-data options written under snapshots.csv.
    """

    load: LoadOptions = field(default_factory=LoadOptions)
    max_parallel_loads: int = 2
    max_retries: int = 3
    retry_backoff: float = 2.0  # seconds before the first retry; doubles after each failure
    max_databases: int = 50
    heap_threshold_percent: float = 85.0
    gate_recheck: float = 30.0


@dataclass(frozen=True)
class ValidationSettings:
    counts_must_match: bool = True
    checks: tuple[ValidationCheck, ...] = ()


@dataclass(frozen=True)
class NameTemplates:
    """How folder names become Neo4j names; only the defaults are accepted today."""

    alias: str = "{customer}"
    database: str = "{customer}-{timestamp}"


@dataclass(frozen=True)
class UiSettings:
    theme: str = "default"
    bell: bool = False
    mouse: bool = True


@dataclass(frozen=True)
class Settings:
    """Everything bgtui reads from its settings file, checked and resolved.

    Paths are absolute or relative to the working directory: the loader has already resolved
    paths written relative to the settings file. ``notices`` are one-line messages the CLI shows
    once (for instance that an old orchestrator file was converted in memory).
    """

    snapshots: SnapshotSettings
    state_dir: Path
    status_json: Path
    environment: EnvironmentSettings = field(default_factory=EnvironmentSettings)
    neo4j: Neo4jSettings = field(default_factory=Neo4jSettings)
    loading: LoadingSettings = field(default_factory=LoadingSettings)
    promotion: PromotionPolicy = field(default_factory=PromotionPolicy)
    customers: Mapping[str, PromotionPolicy] = field(default_factory=lambda: MappingProxyType({}))
    #: ``customers.<name>.topology``, filed by alias like ``customers``.
    customer_topologies: Mapping[str, Topology] = field(
        default_factory=lambda: MappingProxyType({})
    )
    validation: ValidationSettings = field(default_factory=ValidationSettings)
    names: NameTemplates = field(default_factory=NameTemplates)
    ui: UiSettings = field(default_factory=UiSettings)
    source: Path | None = None
    notices: tuple[str, ...] = ()
