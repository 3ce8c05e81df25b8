"""Settings files that are right: defaults, resolved paths, passwords, per-customer policies."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from bgtui.config import ConfigError, load_settings
from bgtui.config.paths import default_state_dir
from bgtui.domain.policy import policy_for
from tests.helpers.config import LoadText

REPO = Path(__file__).resolve().parents[3]


def test_a_minimal_file_takes_every_default(load_text: LoadText) -> None:
    settings = load_text("snapshots: {base_path: /data/snapshots}")
    assert settings.snapshots.base_path == Path("/data/snapshots")
    assert settings.snapshots.watch == "auto"
    assert settings.snapshots.readiness.marker == "_SUCCESS"
    assert settings.snapshots.readiness.settle == 30.0
    assert settings.neo4j.uri == "bolt://localhost:7687"
    assert settings.neo4j.password_env == "BGTUI_NEO4J_PASSWORD"
    assert settings.loading.max_parallel_loads == 2
    assert settings.promotion.policy == "auto"
    assert settings.environment.is_production
    assert settings.state_dir == default_state_dir()
    assert settings.status_json == default_state_dir() / "orchestrator_status.json"
    assert settings.notices == ()


def test_every_section_is_read(load_text: LoadText) -> None:
    settings = load_text(
        """
        environment: {name: staging, colour: yellow}
        neo4j: {uri: "neo4j+s://db.example:7687", user: loader, connect_timeout: 1m}
        snapshots:
          base_path: /data
          watch: polling
          poll_interval: 1m30s
          debounce: 250ms
          readiness: {marker: DONE, settle: 2m, manifest: files.json, require: manifest}
          format: parquet
          csv: {delimiter: TAB, array_delimiter: "|", quote: "'", id_type: integer,
                trim_strings: true, skip_bad_relationships: true, bad_tolerance: -1}
        loading: {batch_size: 500, max_parallel_loads: 4, max_retries: 0, retry_backoff: 10s,
                  max_databases: 20, heap_threshold_percent: 70.5, gate_recheck: 1h}
        promotion: {policy: auto_after, auto_after: 2m, keep_previous: 0}
        validation:
          counts_must_match: false
          checks:
            - {name: people, query: "MATCH (n) RETURN count(n)", expect: ">=1"}
            - {name: flag, query: "RETURN true", expect: true}
        ui: {theme: projector, bell: true, mouse: false}
        """
    )
    assert not settings.environment.is_production
    assert settings.neo4j.connect_timeout == 60.0
    assert settings.snapshots.poll_interval == 90.0
    assert settings.snapshots.debounce == 0.25
    assert settings.snapshots.readiness.require == "manifest"
    assert settings.snapshots.reader.delimiter == "\t"
    assert settings.loading.load.bad_tolerance == -1
    assert settings.loading.heap_threshold_percent == 70.5
    assert settings.loading.gate_recheck == 3600.0
    assert settings.promotion.keep_previous == 0
    assert [c.expect for c in settings.validation.checks] == [">= 1", "true"]
    assert settings.ui.theme == "projector"


def test_relative_paths_are_read_from_the_files_folder(
    load_text: LoadText, config_dir: Path
) -> None:
    settings = load_text("snapshots: {base_path: snaps}\nstate_dir: state\n")
    assert settings.snapshots.base_path == config_dir / "snaps"
    assert settings.state_dir == config_dir / "state"
    assert settings.status_json == config_dir / "state" / "orchestrator_status.json"


def test_status_json_can_be_placed_anywhere(load_text: LoadText) -> None:
    settings = load_text("snapshots: {base_path: /d}\nstatus_json: /srv/monitor/status.json\n")
    assert settings.status_json == Path("/srv/monitor/status.json")


def test_customer_overrides_inherit_and_are_found_by_alias(load_text: LoadText) -> None:
    settings = load_text(
        """
        snapshots: {base_path: /d}
        promotion: {policy: auto, auto_after: 5m, keep_previous: 3}
        customers:
          Acme_Corp: {policy: manual}
          globex: {policy: auto_after, auto_after: 20s}
        """
    )
    acme = policy_for("acme-corp", settings.promotion, settings.customers)
    assert (acme.policy, acme.auto_after_seconds, acme.keep_previous) == ("manual", 300.0, 3)
    assert policy_for("ACME_CORP", settings.promotion, settings.customers) == acme
    assert policy_for("globex", settings.promotion, settings.customers).auto_after_seconds == 20.0
    assert policy_for("initech", settings.promotion, settings.customers) == settings.promotion


def test_yaml_merge_keys_share_settings_between_customers(load_text: LoadText) -> None:
    settings = load_text(
        """
        snapshots: {base_path: /d}
        customers:
          acme: &careful {policy: manual, keep_previous: 4}
          globex:
            <<: *careful
            keep_previous: 1
        """
    )
    assert policy_for("globex", settings.promotion, settings.customers).policy == "manual"
    assert policy_for("globex", settings.promotion, settings.customers).keep_previous == 1


def test_settings_are_frozen(load_text: LoadText) -> None:
    settings: Any = load_text("snapshots: {base_path: /d}")  # Any: mutation is the point
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.loading.max_retries = 1
    with pytest.raises(TypeError):
        settings.customers["x"] = settings.promotion


def test_password_comes_from_the_named_variable_and_never_shows(load_text: LoadText) -> None:
    settings = load_text(
        "snapshots: {base_path: /d}\nneo4j: {password_env: MY_PW}\n",
        environ={"MY_PW": "s3cret-value"},
    )
    assert settings.neo4j.require_password() == "s3cret-value"
    assert "s3cret-value" not in repr(settings)
    assert "s3cret-value" not in str(settings.neo4j)


def test_a_missing_password_is_reported_where_bgtui_looked(load_text: LoadText) -> None:
    settings = load_text("snapshots: {base_path: /d}")
    assert settings.neo4j.password is None
    with pytest.raises(ConfigError, match="BGTUI_NEO4J_PASSWORD"):
        settings.neo4j.require_password()


def test_a_private_password_file_wins_over_the_environment(
    load_text: LoadText, config_dir: Path
) -> None:
    secret = config_dir / "neo4j.password"
    secret.write_text("from-file\n")
    secret.chmod(0o600)
    settings = load_text(
        "snapshots: {base_path: /d}\nneo4j: {password_file: neo4j.password}\n",
        environ={"BGTUI_NEO4J_PASSWORD": "from-env"},
    )
    assert settings.neo4j.password == "from-file"
    assert settings.neo4j.password_file == secret


def test_the_example_file_shows_every_default(load_text: LoadText) -> None:
    example = load_settings(REPO / "config" / "bgtui.example.yaml", environ={})
    minimal = load_text("snapshots: {base_path: /data/snapshots}")
    assert example.snapshots == minimal.snapshots
    assert example.loading == minimal.loading
    assert example.promotion == minimal.promotion
    assert example.neo4j == minimal.neo4j
    assert example.validation == minimal.validation
    assert example.environment == minimal.environment
    assert example.ui == minimal.ui


def test_the_demo_file_describes_the_demo() -> None:
    demo = load_settings(REPO / "config" / "demo.yaml", environ={"BGTUI_NEO4J_PASSWORD": "pw"})
    assert demo.snapshots.base_path == Path("/tmp/bgtui-demo/snapshots")
    assert demo.neo4j.uri == "bolt://localhost:7687"
    assert demo.neo4j.require_password() == "pw"
    assert policy_for("globex", demo.promotion, demo.customers).policy == "manual"
    initech = policy_for("initech", demo.promotion, demo.customers)
    assert (initech.policy, initech.auto_after_seconds) == ("auto_after", 20.0)
    assert policy_for("acme", demo.promotion, demo.customers).policy == "auto"
    assert policy_for("umbrella", demo.promotion, demo.customers).policy == "auto"
    assert not demo.environment.is_production


def test_topology_default_and_per_customer_reach_the_engine(load_text: LoadText) -> None:
    from bgtui.cli.wiring import engine_settings
    from bgtui.domain.topology import Topology
    from bgtui.engine.settings import topology_for

    settings = load_text(
        """
        snapshots: {base_path: /d}
        neo4j: {topology: {primaries: 1, secondaries: 2}}
        customers:
          Acme_Corp: {policy: manual, topology: {primaries: 3}}
          globex: {policy: auto}
        """
    )
    engine = engine_settings(settings)
    assert settings.neo4j.topology == Topology(1, 2)
    assert topology_for(engine, "Acme_Corp") == Topology(3, 0)
    assert topology_for(engine, "acme-corp") == Topology(3, 0)
    assert topology_for(engine, "globex") == Topology(1, 2)
    assert load_text("snapshots: {base_path: /d}").neo4j.topology is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("neo4j: {topology: {primaries: 0}}", "at least 1"),
        ("neo4j: {topology: {primaries: 1, replicas: 2}}", "unknown key"),
        ("customers: {acme: {topology: {secondaries: -1}}}", "at least 0"),
    ],
)
def test_a_topology_that_cannot_be_is_refused(
    load_text: LoadText, text: str, fragment: str
) -> None:
    with pytest.raises(ConfigError, match=fragment):
        load_text("snapshots: {base_path: /d}\n" + text)
