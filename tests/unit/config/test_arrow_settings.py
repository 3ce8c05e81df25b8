"""``loading.method`` (also per customer) and ``neo4j.arrow``, and what the old file carries."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bgtui.config import ConfigError, load_settings
from bgtui.config.legacy import convert_legacy
from bgtui.engine.settings import EngineSettings

REPO = Path(__file__).resolve().parents[3]
OLD_EXAMPLE = REPO / "config" / "legacy-orchestrator.example.yaml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bgtui.yaml"
    path.write_text(f"snapshots: {{base_path: {tmp_path}}}\n{text}", encoding="utf-8")
    return path


def test_defaults_are_bolt_and_the_gds_port(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, ""), environ={})
    assert settings.loading.method == "bolt"
    assert (settings.neo4j.arrow_port, settings.neo4j.arrow_tls) == (8491, "auto")
    assert dict(settings.customer_loading_methods) == {}


def test_method_and_endpoint_are_read_also_per_customer(tmp_path: Path) -> None:
    text = (
        "neo4j: {arrow: {port: 9000, tls: true}}\n"
        "loading: {method: auto}\n"
        "customers:\n"
        "  Acme_Corp: {policy: manual, loading: {method: arrow}}\n"
        "  globex: {policy: auto}\n"
    )
    settings = load_settings(write(tmp_path, text), environ={})
    assert settings.loading.method == "auto"
    assert (settings.neo4j.arrow_port, settings.neo4j.arrow_tls) == (9000, "true")
    assert dict(settings.customer_loading_methods) == {"acme-corp": "arrow"}
    assert settings.customers["acme-corp"].policy == "manual"
    engine = EngineSettings(
        base_path=str(tmp_path),
        loading_method=settings.loading.method,
        customer_loading_methods=dict(settings.customer_loading_methods),
    )
    assert engine.loading_method_for("Acme_Corp") == "arrow"
    assert engine.loading_method_for("globex") == "auto"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("loading: {method: grpc}", "loading.method"),
        ("neo4j: {arrow: {port: 0}}", "neo4j.arrow.port"),
        ("neo4j: {arrow: {tls: maybe}}", "neo4j.arrow.tls"),
        ("customers: {acme: {loading: {method: fast}}}", "customers.acme.loading.method"),
    ],
)
def test_bad_values_name_their_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text + "\n"), environ={})
    assert key in str(caught.value)


def test_the_old_files_arrow_port_and_tls_carry_over(tmp_path: Path) -> None:
    old = OLD_EXAMPLE.read_text(encoding="utf-8").replace("arrow_port: 8491", "arrow_port: 18491")
    converted = convert_legacy(old, environ={"NEO4J_PASSWORD": "pw"})
    assert "    port: 18491" in converted and "was neo4j.arrow_port" in converted
    assert "    tls: false" in converted
    assert "arrow_port (" not in converted  # no longer listed as unused
    path = tmp_path / "old.yaml"
    shutil.copy(OLD_EXAMPLE, path)
    path.write_text(old.replace("tls: false", "tls: true"), encoding="utf-8")
    settings = load_settings(path, environ={"NEO4J_PASSWORD": "pw"})
    assert (settings.neo4j.arrow_port, settings.neo4j.arrow_tls) == (18491, "true")
    assert settings.loading.method == "auto"
