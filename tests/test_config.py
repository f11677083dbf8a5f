"""Configuration: production refuses to guess secrets; development makes them once; ZI_* env works."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import TEST_SECRETS
from zi_public import create_app
from zi_public.config import DEV_SECRETS_FILE, SECRET_SETTINGS, ConfigError
from zi_public.extensions import db

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FLASK = PROJECT_ROOT / ".venv" / "bin" / "flask"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """Tests here decide every ZI_* variable themselves."""
    for name in list(os.environ):
        if name.startswith("ZI_"):
            monkeypatch.delenv(name)


def minimal_config(tmp_path: Path, **extra: object) -> dict[str, object]:
    return {
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **extra,
    }


def build(config: dict[str, object]):
    app = create_app(config)
    with app.app_context():
        db.engine.dispose()
    return app


# --- production -----------------------------------------------------------------------------


@pytest.mark.parametrize("missing", SECRET_SETTINGS)
def test_production_refuses_to_start_without_each_secret(tmp_path, missing):
    secrets = {k: v for k, v in TEST_SECRETS.items() if k != missing}
    with pytest.raises(ConfigError) as error:
        create_app(minimal_config(tmp_path, ENV="production", **secrets))
    message = str(error.value)
    assert f"ZI_{missing}" in message
    assert all(f"ZI_{k}" not in message for k in SECRET_SETTINGS if k != missing)
    assert "keys generate" in message, "the message says how to fix it"
    assert not (tmp_path / "instance" / DEV_SECRETS_FILE).exists(), "production never invents secrets"


def test_production_counts_an_empty_secret_as_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("ZI_ENV", "production")
    for key, value in TEST_SECRETS.items():
        monkeypatch.setenv(f"ZI_{key}", value)
    monkeypatch.setenv("ZI_HASH_KEY", "")
    with pytest.raises(ConfigError, match="ZI_HASH_KEY"):
        create_app(minimal_config(tmp_path))


def test_production_refuses_to_start_without_a_base_url(tmp_path, monkeypatch):
    monkeypatch.setenv("ZI_ENV", "production")
    for key, value in TEST_SECRETS.items():
        monkeypatch.setenv(f"ZI_{key}", value)
    with pytest.raises(ConfigError, match="ZI_BASE_URL is not set"):
        create_app(minimal_config(tmp_path))
    monkeypatch.setenv("ZI_BASE_URL", "")
    with pytest.raises(ConfigError, match="ZI_BASE_URL is not set"):
        create_app(minimal_config(tmp_path))


def test_production_starts_with_all_secrets_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ZI_ENV", "production")
    for key, value in TEST_SECRETS.items():
        monkeypatch.setenv(f"ZI_{key}", value)
    monkeypatch.setenv("ZI_BASE_URL", "https://zi.example.id")
    app = build(minimal_config(tmp_path))
    assert app.config["SECRET_KEY"] == TEST_SECRETS["SECRET_KEY"]
    assert app.config["SESSION_COOKIE_SECURE"] is True


def flask_cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ZI_")}
    clean.update({"ZI_INSTANCE_PATH": str(tmp_path / "instance"), **env})
    return subprocess.run(
        [str(FLASK), "--app", "wsgi", *args], cwd=PROJECT_ROOT, env=clean,
        capture_output=True, text=True, timeout=120,
    )


def test_flask_command_in_production_without_secrets_fails_with_a_clear_message(tmp_path):
    result = flask_cli(tmp_path, "routes", ZI_ENV="production")
    assert result.returncode != 0
    assert "ZI_SECRET_KEY" in result.stderr and "ZI_DATA_KEYS" in result.stderr
    assert "ZI_HASH_KEY" in result.stderr
    assert "/bahasa/" not in result.stdout


def test_flask_command_in_production_with_secrets_works(tmp_path):
    secrets = {f"ZI_{k}": v for k, v in TEST_SECRETS.items()}
    result = flask_cli(tmp_path, "routes", ZI_ENV="production", ZI_BASE_URL="https://zi.example.id", **secrets)
    assert result.returncode == 0, result.stderr
    assert "/bahasa/<code>" in result.stdout
    assert not (tmp_path / "instance" / DEV_SECRETS_FILE).exists()


# --- development ----------------------------------------------------------------------------


def test_development_generates_secrets_once_private_and_reuses_them(tmp_path):
    first = build(minimal_config(tmp_path))
    path = tmp_path / "instance" / DEV_SECRETS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    stored = json.loads(path.read_text())
    assert set(stored) == set(SECRET_SETTINGS)
    assert all(first.config[k] == stored[k] and len(stored[k]) >= 32 for k in SECRET_SETTINGS)
    content = path.read_text()

    second = build(minimal_config(tmp_path))
    assert all(second.config[k] == first.config[k] for k in SECRET_SETTINGS), "sessions survive a restart"
    assert path.read_text() == content


def test_development_secret_from_environment_wins_over_generated_one(tmp_path, monkeypatch):
    build(minimal_config(tmp_path))
    monkeypatch.setenv("ZI_SECRET_KEY", "from-the-environment")
    app = build(minimal_config(tmp_path))
    assert app.config["SECRET_KEY"] == "from-the-environment"
    stored = json.loads((tmp_path / "instance" / DEV_SECRETS_FILE).read_text())
    assert app.config["DATA_KEYS"] == stored["DATA_KEYS"]


def test_development_secrets_differ_between_installations(tmp_path):
    one = build(minimal_config(tmp_path / "a"))
    two = build(minimal_config(tmp_path / "b"))
    assert all(one.config[k] != two.config[k] for k in SECRET_SETTINGS)


# --- ZI_* environment and instance/config.py ------------------------------------------------


def test_zi_environment_variables_reach_the_config_and_the_pages(tmp_path, monkeypatch):
    monkeypatch.setenv("ZI_SITE_NAME", "Kantor Uji Coba")
    monkeypatch.setenv("ZI_RATELIMIT_STORAGE_URI", "redis://redis.internal:6379/2")
    monkeypatch.setenv("ZI_RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("ZI_PAGE_SIZE", "10")
    app = build(minimal_config(tmp_path))
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://redis.internal:6379/2"
    assert app.config["RATELIMIT_ENABLED"] is False
    assert app.config["PAGE_SIZE"] == 10
    assert "Kantor Uji Coba" in app.test_client().get("/").get_data(as_text=True)


def test_precedence_instance_file_then_environment_then_caller(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text('SITE_NAME = "Dari berkas"\nSITE_OWNER = "Pemilik dari berkas"\n')
    app = build(minimal_config(tmp_path))
    assert app.config["SITE_NAME"] == "Dari berkas"
    monkeypatch.setenv("ZI_SITE_NAME", "Dari lingkungan")
    app = build(minimal_config(tmp_path))
    assert app.config["SITE_NAME"] == "Dari lingkungan"
    assert app.config["SITE_OWNER"] == "Pemilik dari berkas"
    app = build(minimal_config(tmp_path, SITE_NAME="Dari pemanggil"))
    assert app.config["SITE_NAME"] == "Dari pemanggil"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://zi:pw@db.example:5432/zi", "postgresql+psycopg://zi:pw@db.example:5432/zi"),
        ("postgresql://zi@db.example/zi", "postgresql+psycopg://zi@db.example/zi"),
        ("postgresql+psycopg://zi@db.example/zi", "postgresql+psycopg://zi@db.example/zi"),
        ("sqlite:////var/lib/zi/zi.sqlite3", "sqlite:////var/lib/zi/zi.sqlite3"),
    ],
)
def test_database_urls_are_normalised_for_psycopg3(tmp_path, monkeypatch, given, expected):
    monkeypatch.setenv("ZI_DATABASE_URL", given)
    config = minimal_config(tmp_path)
    del config["DATABASE_URL"]
    app = build(config)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == expected
    with app.app_context():
        assert db.engine.url.render_as_string(hide_password=False) == expected


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path):
    config = minimal_config(tmp_path)
    del config["DATABASE_URL"]
    app = build(config)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{(tmp_path / 'instance').resolve()}/zi_public.sqlite3"


def test_corrupt_dev_secrets_file_stops_start_up_with_a_clear_message(tmp_path):
    from zi_public import create_app
    from zi_public.config import ConfigError

    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "dev-secrets.json").write_text("{not json")
    with pytest.raises(ConfigError, match="dev-secrets.json is unreadable"):
        create_app({"INSTANCE_PATH": str(instance), "DATABASE_URL": "sqlite://"})


@pytest.mark.parametrize(
    ("url", "pings"),
    [("sqlite:///{tmp}/zi.sqlite3", False), ("postgresql://zi@db.example.id/zi", True)],
)
def test_only_a_server_database_tests_its_connection_before_each_use(tmp_path, url, pings):
    """A pooled connection to a server can die with a restart; a SQLite file cannot, and the ping is a query."""
    app = create_app(minimal_config(tmp_path, DATABASE_URL=url.format(tmp=tmp_path)))
    with app.app_context():
        assert db.engine.pool._pre_ping is pings  # noqa: SLF001 - the pool keeps the option only here
