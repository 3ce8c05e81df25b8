"""The old orchestrator's settings: loaded directly, or converted by ``bgtui import-config``."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest
import yaml

from bgtui.config import ConfigError, convert_legacy, legacy_conversion, load_settings
from tests.helpers.config import LoadText

REPO = Path(__file__).resolve().parents[3]
OLD_EXAMPLE = REPO / "config" / "legacy-orchestrator.example.yaml"


def old_file(
    password: str = "${NEO4J_PASSWORD}", orchestrator: Mapping[str, object] | None = None
) -> str:
    values = {
        "scan_interval": 30,
        "max_databases": 40,
        "heap_threshold_percent": 80,
        "max_retries": 5,
        "retry_backoff_base": 2,
        **(orchestrator or {}),
    }
    block = "\n".join(f"  {key}: {value}" for key, value in values.items())
    return (
        textwrap.dedent(
            f"""\
        neo4j:
          host: graph.internal
          bolt_port: 7688
          user: loader
          password: {password}
        dataset:
          base_path: data
        orchestrator:
        """
        )
        + block
        + "\n"
    )


def test_the_old_example_loads_with_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    shutil.copy(OLD_EXAMPLE, path)
    settings = load_settings(path, environ={"NEO4J_PASSWORD": "pw"})
    assert settings.notices[0].endswith(
        f"run `bgtui import-config {path}` to write a bgtui settings file"
    )
    assert "converted in memory" in settings.notices[0]
    assert settings.snapshots.base_path == tmp_path / "data"
    assert settings.snapshots.watch == "auto"
    assert settings.snapshots.poll_interval == 30.0
    assert settings.snapshots.format == "parquet"
    assert settings.neo4j.uri == "bolt://localhost:7687"
    assert settings.neo4j.password_env == "NEO4J_PASSWORD"
    assert settings.neo4j.require_password() == "pw"
    assert settings.loading.max_parallel_loads == 1  # num_workers
    assert settings.loading.gate_recheck == 60.0  # health_check_retry_delay
    assert settings.loading.max_databases == 50
    assert settings.loading.retry_backoff == 2.0
    assert (settings.promotion.policy, settings.promotion.keep_previous) == ("auto", 1)
    assert settings.status_json == tmp_path / "orchestrator_status.json"


def test_values_move_to_their_new_keys(load_text: LoadText) -> None:
    settings = load_text(
        old_file(
            orchestrator={
                "scan_interval": 45,
                "retry_backoff_base": 3,
                "num_workers": 2,
                "health_check_retry_delay": 90,
            }
        )
    )
    assert settings.neo4j.uri == "bolt://graph.internal:7688"
    assert settings.neo4j.user == "loader"
    assert settings.snapshots.poll_interval == 45.0
    assert settings.loading.max_databases == 40
    assert settings.loading.heap_threshold_percent == 80.0
    assert settings.loading.max_retries == 5
    assert settings.loading.retry_backoff == 3.0
    assert settings.loading.max_parallel_loads == 2
    assert settings.loading.gate_recheck == 90.0


def test_the_converted_file_means_the_same_as_the_old_one(
    load_text: LoadText, config_dir: Path
) -> None:
    text = old_file()
    direct = load_text(text, environ={"NEO4J_PASSWORD": "pw"}, name="old.yaml")
    converted = convert_legacy(text)
    new = load_text(converted, environ={"NEO4J_PASSWORD": "pw"}, name="new.yaml")
    assert new.notices == ()
    for part in (
        "snapshots",
        "neo4j",
        "loading",
        "promotion",
        "customers",
        "validation",
        "status_json",
        "environment",
    ):
        assert getattr(new, part) == getattr(direct, part), part
    assert new.neo4j.password == "pw"


def test_conversion_explains_where_values_came_from() -> None:
    converted = convert_legacy(
        old_file(orchestrator={"retry_backoff_base": 3, "pagecache_threshold_percent": 90})
    )
    assert "poll_interval: 30s" in converted
    assert "was orchestrator.scan_interval" in converted
    assert "retry_backoff: 3s" in converted
    assert "waits 3s, 9s, 27s; now 3s, 6s, 12s" in converted
    assert "keep_previous: 1" in converted
    assert "orchestrator.pagecache_threshold_percent" in converted
    yaml.safe_load(converted)  # valid YAML, whatever the comments


def test_watch_stays_auto_unless_polling_is_asked_for(load_text: LoadText) -> None:
    assert load_text(convert_legacy(old_file())).snapshots.watch == "auto"
    assert load_text(convert_legacy(old_file(), polling=True)).snapshots.watch == "polling"


def test_a_source_path_makes_relative_paths_absolute(tmp_path: Path) -> None:
    old = tmp_path / "old" / "config.yaml"
    converted = yaml.safe_load(convert_legacy(old_file(), source_path=old))
    assert converted["snapshots"]["base_path"] == str(old.parent.absolute() / "data")
    assert converted["status_json"] == str(old.parent.absolute() / "orchestrator_status.json")


def test_a_literal_password_is_used_directly_but_never_written(load_text: LoadText) -> None:
    text = old_file(password="'hunter2-literal'")
    direct = load_text(text)
    assert direct.neo4j.password == "hunter2-literal"
    assert direct.neo4j.password_env == "BGTUI_NEO4J_PASSWORD"
    assert any("plain text" in notice for notice in direct.notices)
    assert "hunter2" not in repr(direct)
    conversion = legacy_conversion(text)
    assert "hunter2" not in conversion.yaml_text
    assert "hunter2" not in " ".join(conversion.notes)
    assert "hunter2" not in repr(conversion)
    assert "set BGTUI_NEO4J_PASSWORD" in conversion.notes[0]
    assert "password_env: BGTUI_NEO4J_PASSWORD" in conversion.yaml_text


def test_the_environment_beats_a_literal_password(load_text: LoadText) -> None:
    settings = load_text(old_file(password="literal"), environ={"BGTUI_NEO4J_PASSWORD": "env"})
    assert settings.neo4j.password == "env"


@pytest.mark.parametrize(
    ("environ", "expected"), [({}, "fallback"), ({"GRAPH_PW": "from-env"}, "from-env")]
)
def test_a_variable_with_a_fallback(
    load_text: LoadText, environ: dict[str, str], expected: str
) -> None:
    text = old_file(password="${GRAPH_PW:fallback}")
    settings = load_text(text, environ=environ)
    assert settings.neo4j.password_env == "GRAPH_PW"
    assert settings.neo4j.password == expected
    conversion = legacy_conversion(text)
    assert "fallback" not in conversion.yaml_text.replace("with a fallback", "")
    assert "bgtui has none: set GRAPH_PW" in conversion.notes[0]


def test_an_empty_password_meant_neo4j_password(load_text: LoadText) -> None:
    settings = load_text(old_file(password="''"), environ={"NEO4J_PASSWORD": "pw"})
    assert settings.neo4j.password_env == "NEO4J_PASSWORD"
    assert settings.neo4j.password == "pw"


def test_variables_in_other_values_are_expanded(load_text: LoadText) -> None:
    text = old_file().replace("base_path: data", "base_path: ${DATA_DIR}/snaps")
    text = text.replace("bolt_port: 7688", "bolt_port: ${BOLT_PORT:7699}")
    settings = load_text(text, environ={"DATA_DIR": "/srv"})
    assert settings.snapshots.base_path == Path("/srv/snaps")
    assert settings.neo4j.uri == "bolt://graph.internal:7699"


def test_an_unset_variable_is_an_error_at_its_line(load_text: LoadText) -> None:
    text = old_file().replace("base_path: data", "base_path: ${DATA_DIR}")
    with pytest.raises(ConfigError) as caught:
        load_text(text)
    assert (caught.value.line, caught.value.key) == (7, "dataset.base_path")
    assert "DATA_DIR is not set" in caught.value.message


@pytest.mark.parametrize(
    ("change", "line", "key", "message"),
    [
        ({"max_retries": "lots"}, 12, "orchestrator.max_retries", "expected a whole number"),
        (
            {"heap_threshold_percent": 120},
            11,
            "orchestrator.heap_threshold_percent",
            "must be at most 100",
        ),
        ({"scan_interval": 0}, 9, "orchestrator.scan_interval", "must be at least 1"),
    ],
)
def test_errors_name_the_old_key_and_line(
    load_text: LoadText, change: dict[str, int], line: int, key: str, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_text(old_file(orchestrator=change))
    assert (caught.value.line, caught.value.key) == (line, key)
    assert message in caught.value.message


def test_the_base_path_is_required(load_text: LoadText) -> None:
    with pytest.raises(ConfigError, match=r"dataset.base_path: required"):
        load_text("dataset: {}\norchestrator: {scan_interval: 5}\n")
