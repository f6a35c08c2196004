"""The typed helpers that read settings from the environment."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from geoportal.envconfig import (
    GIS_ENGINE,
    database_config,
    email_config,
    embedded_database_url,
    env_bool,
    env_int,
    env_list,
    env_rate,
)


def test_database_url_always_uses_the_postgis_engine():
    config = database_config("postgres://city:secret@db.internal:5433/geoportal")
    assert config["ENGINE"] == GIS_ENGINE
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "geoportal")
    assert (config["USER"], config["PASSWORD"]) == ("city", "secret")


@pytest.mark.parametrize("url", ["sqlite:///db.sqlite3", "mysql://u:p@h/db", "no-scheme"])
def test_database_url_other_than_postgres_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must be a PostgreSQL/PostGIS URL"):
        database_config(url)


def test_embedded_url_reads_password_and_port_from_local_folder(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("EMBEDDED_DB_PORT", raising=False)
    (tmp_path / ".local").mkdir()
    (tmp_path / ".local" / "pg-password").write_text("p@ss/word\n")
    (tmp_path / ".local" / "pg-port").write_text("54400\n")
    url = embedded_database_url(tmp_path)
    assert url == "postgis://geoportal:p%40ss%2Fword@127.0.0.1:54400/geoportal"
    assert database_config(url)["PASSWORD"] == "p@ss/word"


def test_embedded_port_from_environment_wins(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("EMBEDDED_DB_PORT", "60001")
    assert embedded_database_url(tmp_path).endswith("@127.0.0.1:60001/geoportal")


def test_email_url_gives_smtp_settings():
    config = email_config("smtp+tls://mailer:pw@mail.example.org:587")
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"], config["EMAIL_USE_TLS"]) == (
        "mail.example.org",
        587,
        True,
    )


def test_email_url_with_unknown_scheme_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_config("carrier-pigeon://coop")


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("yes", True), ("On", True), ("0", False), ("off", False)]
)
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", not expected) is expected


def test_env_bool_rejects_other_values_naming_the_variable(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG", False)


def test_env_int_checks_number_and_minimum(monkeypatch):
    monkeypatch.setenv("WORKERS", "three")
    with pytest.raises(ImproperlyConfigured, match="WORKERS must be a whole number"):
        env_int("WORKERS", 1)
    monkeypatch.setenv("WORKERS", "0")
    with pytest.raises(ImproperlyConfigured, match="WORKERS must be at least 1"):
        env_int("WORKERS", 1, minimum=1)
    monkeypatch.delenv("WORKERS")
    assert env_int("WORKERS", 4) == 4


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", " map.pokrovsk.example , ,api.example ")
    assert env_list("HOSTS", []) == ["map.pokrovsk.example", "api.example"]


@pytest.mark.parametrize("raw", ["10 per hour", "0/hour", "ten/hour", "10/week", "10"])
def test_env_rate_refuses_what_is_not_a_rate_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("RATE_REPORT", raw)
    with pytest.raises(ImproperlyConfigured, match="RATE_REPORT must be a rate such as 10/hour"):
        env_rate("RATE_REPORT", "10/hour")


def test_env_rate_reads_a_rate_or_the_default(monkeypatch):
    monkeypatch.setenv("RATE_REPORT", " 200/ hour ")
    assert env_rate("RATE_REPORT", "10/hour") == "200/hour"
    monkeypatch.delenv("RATE_REPORT")
    assert env_rate("RATE_REPORT", "10/hour") == "10/hour"
