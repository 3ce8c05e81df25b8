"""Every way a settings file can be wrong names the file, the line and the key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bgtui.config import ConfigError, load_settings
from tests.helpers.config import LoadText

BASE = "snapshots: {base_path: /data}\n"


def error_of(load_text: LoadText, text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_text(text)
    return caught.value


@pytest.mark.parametrize(
    ("text", "line", "key", "message"),
    [
        pytest.param(
            "snapshots:\n  base_path: /d\n  poll_intervall: 5s\n",
            3,
            "snapshots.poll_intervall",
            "unknown key (did you mean poll_interval?)",
            id="unknown-key-with-suggestion",
        ),
        pytest.param(
            BASE + "loading:\n  zzz: 1\n",
            3,
            "loading.zzz",
            "unknown key (expected one of: batch_size,",
            id="unknown-key-without-suggestion",
        ),
        pytest.param(
            BASE + "\n\npromotion:\n  policy: sometimes\n",
            5,
            "promotion.policy",
            "expected one of auto, manual, auto_after, got 'sometimes'",
            id="bad-choice",
        ),
        pytest.param(
            BASE + "loading:\n  batch_size: many\n",
            3,
            "loading.batch_size",
            "expected a whole number, got 'many'",
            id="not-an-integer",
        ),
        pytest.param(
            BASE + "loading:\n  batch_size: 0\n",
            3,
            "loading.batch_size",
            "must be at least 1, got 0",
            id="integer-too-small",
        ),
        pytest.param(
            BASE + "loading:\n  heap_threshold_percent: 150\n",
            3,
            "loading.heap_threshold_percent",
            "must be at most 100, got 150",
            id="number-too-large",
        ),
        pytest.param(
            BASE + "loading:\n  heap_threshold_percent: high\n",
            3,
            "loading.heap_threshold_percent",
            "expected a number, got 'high'",
            id="not-a-number",
        ),
        pytest.param(
            BASE + "ui:\n  bell: 3\n",
            3,
            "ui.bell",
            "expected true or false, got '3'",
            id="not-a-boolean",
        ),
        pytest.param(
            "snapshots:\n  base_path: /d\n  debounce: 5 minutes\n",
            3,
            "snapshots.debounce",
            "expected a duration such as 30, 30s, 5m, 1h or 1h30m",
            id="bad-duration",
        ),
        pytest.param(
            "snapshots:\n  base_path: /d\n  poll_interval: -5s\n",
            3,
            "snapshots.poll_interval",
            "expected a duration",
            id="negative-duration",
        ),
        pytest.param(
            "snapshots:\n  base_path: /d\n  poll_interval: 0\n",
            3,
            "snapshots.poll_interval",
            "must be at least 0.05s",
            id="zero-poll-interval",
        ),
        pytest.param(
            "environment: {name: x}\nsnapshots:\n  watch: auto\n",
            2,
            "snapshots.base_path",
            "required: the folder that holds",
            id="missing-base-path",
        ),
        pytest.param(
            "environment: {name: x}\n",
            1,
            "snapshots",
            "required",
            id="missing-snapshots",
        ),
        pytest.param(
            BASE + "ui:\n  bell: true\n  bell: false\n",
            4,
            "ui.bell",
            "defined twice (first on line 3)",
            id="duplicate-key",
        ),
        pytest.param(
            BASE + "neo4j: 5\n",
            2,
            "neo4j",
            "expected a mapping",
            id="section-not-a-mapping",
        ),
        pytest.param(
            BASE + "neo4j:\n  uri: localhost:7687\n",
            3,
            "neo4j.uri",
            "expected <scheme>://host:port",
            id="uri-without-scheme",
        ),
        pytest.param(
            BASE + "neo4j:\n  password: hunter2\n",
            3,
            "neo4j.password",
            "never reads the password from its settings file",
            id="password-in-yaml",
        ),
        pytest.param(
            BASE + "neo4j:\n  bolt_port: 7687\n",
            3,
            "neo4j.bolt_port",
            "write the address as neo4j.uri",
            id="old-key-in-neo4j",
        ),
        pytest.param(
            BASE + "neo4j:\n  password_env: 'MY-PW'\n",
            3,
            "neo4j.password_env",
            "is not an environment variable name",
            id="bad-env-name",
        ),
        pytest.param(
            BASE + "neo4j:\n  user: [a, b]\n",
            3,
            "neo4j.user",
            "expected text, got a list",
            id="list-for-text",
        ),
        pytest.param(
            BASE + "environment:\n  name: ''\n",
            3,
            "environment.name",
            "must not be empty",
            id="empty-text",
        ),
        pytest.param(
            "snapshots:\n  base_path: /d\n  csv:\n    delimiter: ';;'\n",
            4,
            "snapshots.csv.delimiter",
            "expected a single character",
            id="long-delimiter",
        ),
        pytest.param(
            "snapshots:\n  base_path: /d\n  csv:\n    quote: ','\n",
            4,
            "snapshots.csv.quote",
            "must differ from csv.delimiter",
            id="quote-is-delimiter",
        ),
        pytest.param(
            "snapshots:\n  base_path: /d\n  readiness:\n    marker: done/_SUCCESS\n",
            4,
            "snapshots.readiness.marker",
            "expected a file name inside the snapshot folder",
            id="marker-with-slash",
        ),
        pytest.param(
            BASE + "customers:\n  acme: {policy: manual}\n  ACME: {policy: auto}\n",
            4,
            "customers.ACME",
            "names the same customer as 'acme'",
            id="customer-collision",
        ),
        pytest.param(
            BASE + "customers:\n  '---': {policy: manual}\n",
            3,
            "customers.---",
            "cannot become a Neo4j alias",
            id="customer-bad-name",
        ),
        pytest.param(
            BASE + "customers:\n  acme: {policy: never}\n",
            3,
            "customers.acme.policy",
            "expected one of auto, manual, auto_after",
            id="customer-bad-policy",
        ),
        pytest.param(
            BASE + "validation:\n  checks: {name: x}\n",
            3,
            "validation.checks",
            "expected a list",
            id="checks-not-a-list",
        ),
        pytest.param(
            BASE + "validation:\n  checks:\n    - just text\n",
            4,
            "validation.checks[0]",
            "expected a mapping",
            id="check-not-a-mapping",
        ),
        pytest.param(
            BASE + "validation:\n  checks:\n    - query: RETURN 1\n      expect: '>= 1'\n",
            4,
            "validation.checks[0].name",
            "required: a short name",
            id="check-without-name",
        ),
        pytest.param(
            BASE + "validation:\n  checks:\n    - name: x\n      expect: true\n",
            4,
            "validation.checks[0].query",
            "required: the Cypher query",
            id="check-no-query",
        ),
        pytest.param(
            BASE + "validation:\n  checks:\n    - {name: x, query: RETURN 1}\n",
            4,
            "validation.checks[0].expect",
            "required",
            id="check-without-expect",
        ),
        pytest.param(
            BASE + "validation:\n  checks:\n    - name: x\n      query: RETURN 1\n"
            "      expect: about 3\n",
            6,
            "validation.checks[0].expect",
            "expected '>= n', '> n', '== n'",
            id="check-bad-expect",
        ),
        pytest.param(
            BASE + "validation:\n  checks:\n    - {name: x, query: RETURN 1, expect: true}\n"
            "    - {name: x, query: RETURN 2, expect: true}\n",
            5,
            "validation.checks[1].name",
            "another check is already called 'x'",
            id="check-duplicate-name",
        ),
        pytest.param(
            BASE + "validation:\n  checks:\n    - {name: x, query: RETURN 1, expect: true, "
            "timeout: 5}\n",
            4,
            "validation.checks[0].timeout",
            "unknown key",
            id="check-unknown-key",
        ),
        pytest.param(
            BASE + "names:\n  alias: 'graph-{customer}'\n",
            3,
            "names.alias",
            "only '{customer}' is supported",
            id="custom-alias-template",
        ),
        pytest.param(
            BASE + "names:\n  database: '{timestamp}'\n",
            3,
            "names.database",
            "only '{customer}-{timestamp}' is supported",
            id="custom-database-template",
        ),
        pytest.param(
            BASE + "ui:\n  theme: 'Dark Mode'\n",
            3,
            "ui.theme",
            "expected a theme name",
            id="bad-theme",
        ),
        pytest.param(
            BASE + "environment:\n  colour: pink\n",
            3,
            "environment.colour",
            "expected one of red,",
            id="bad-colour",
        ),
        pytest.param(
            BASE + "dataset:\n  base_path: /old\n",
            2,
            "dataset",
            "run `bgtui import-config OLD.yaml`",
            id="old-section-beside-new",
        ),
        pytest.param(
            "- a\n- b\n",
            1,
            "(top level)",
            "expected a mapping",
            id="top-level-list",
        ),
    ],
)
def test_errors_name_line_and_key(
    load_text: LoadText, config_dir: Path, text: str, line: int, key: str, message: str
) -> None:
    error = error_of(load_text, text)
    assert (error.line, error.key) == (line, key)
    assert message in error.message
    path = config_dir / "bgtui.yaml"
    assert str(error).startswith(f"{path}, line {line}: {key}: ")


def test_the_brief_example_reads_as_promised(load_text: LoadText) -> None:
    error = error_of(load_text, BASE + "promotion: {policy: sometimes}\n")
    assert str(error).endswith(
        "line 2: promotion.policy: expected one of auto, manual, auto_after, got 'sometimes'"
    )


def test_yaml_syntax_errors_give_the_line(load_text: LoadText) -> None:
    error = error_of(load_text, "snapshots:\n  base_path: /d\n  watch: [auto\nui: {}\n")
    assert error.key is None
    assert error.line == 4
    assert "not valid YAML" in error.message


def test_two_documents_are_refused(load_text: LoadText) -> None:
    error = error_of(load_text, BASE + "---\n" + BASE)
    assert "expected a single document" in error.message
    assert error.line == 2


def test_a_missing_file_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no settings file here; pass --config"):
        load_settings(tmp_path / "nope.yaml")


def test_a_file_that_is_not_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"\xff\xfe\x00snapshots")
    with pytest.raises(ConfigError, match="not UTF-8 text"):
        load_settings(path)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("loose", "has mode 0644, so other users can read or change it; run: chmod 600"),
        ("missing", "does not exist"),
        ("empty", "is empty"),
        ("folder", "is not a regular file"),
    ],
)
def test_password_file_problems(
    load_text: LoadText, config_dir: Path, setup: str, message: str
) -> None:
    secret = config_dir / "pw"
    if setup == "loose":
        secret.write_text("pw")
        secret.chmod(0o644)
    elif setup == "empty":
        secret.write_text("\n")
        secret.chmod(0o600)
    elif setup == "folder":
        secret.mkdir()
    error = error_of(load_text, BASE + "neo4j:\n  password_file: pw\n")
    assert (error.line, error.key) == (3, "neo4j.password_file")
    assert message in error.message


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file, so permissions are moot")
def test_an_unreadable_password_file(load_text: LoadText, config_dir: Path) -> None:
    secret = config_dir / "pw"
    secret.write_text("pw")
    secret.chmod(0o000)
    error = error_of(load_text, BASE + "neo4j:\n  password_file: pw\n")
    assert "permission denied" in error.message.lower()
