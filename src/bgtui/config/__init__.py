"""YAML settings: loading, validation with key and line, platformdirs paths.

The public surface: ``load_settings`` (or ``parse_settings``) returns frozen ``Settings``;
``resolve_config_path`` picks the file; ``convert_legacy`` / ``legacy_conversion`` turn the old
orchestrator's file into bgtui's; every problem is a ``ConfigError`` naming the key and line.
"""

from bgtui.config.durations import format_duration, parse_duration
from bgtui.config.errors import ConfigError
from bgtui.config.legacy import LegacyConversion, convert_legacy, legacy_conversion
from bgtui.config.loader import load_settings, parse_settings
from bgtui.config.password import PasswordFileError, read_password_file
from bgtui.config.paths import (
    CONFIG_ENV,
    default_config_path,
    default_state_dir,
    resolve_config_path,
)
from bgtui.config.settings import (
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

__all__ = [
    "CONFIG_ENV",
    "ConfigError",
    "EnvironmentSettings",
    "LegacyConversion",
    "LoadingSettings",
    "NameTemplates",
    "Neo4jSettings",
    "PasswordFileError",
    "ReadinessSettings",
    "Settings",
    "SnapshotSettings",
    "UiSettings",
    "ValidationSettings",
    "convert_legacy",
    "default_config_path",
    "default_state_dir",
    "format_duration",
    "legacy_conversion",
    "load_settings",
    "parse_duration",
    "parse_settings",
    "read_password_file",
    "resolve_config_path",
]
