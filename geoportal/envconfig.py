"""Typed helpers that turn environment variables into settings values.

The settings module reads every value through these, so a wrong value fails
at start-up with the variable's name instead of somewhere deep at run time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

GIS_ENGINE = "django.contrib.gis.db.backends.postgis"
POSTGRES_SCHEMES = ("postgis", "postgres", "postgresql", "pgsql")

EMBEDDED_DB_NAME = "geoportal"
EMBEDDED_DB_USER = "geoportal"
EMBEDDED_DB_DEFAULT_PORT = 54329


def embedded_db_dir(base_dir: Path) -> Path:
    """Folder (git-ignored) holding the project's own PostGIS cluster and its password."""
    return base_dir / ".local"


def embedded_db_port(base_dir: Path) -> int:
    """EMBEDDED_DB_PORT, else the port the cluster was started on (.local/pg-port), else 54329."""
    if os.environ.get("EMBEDDED_DB_PORT"):
        return env_int("EMBEDDED_DB_PORT", EMBEDDED_DB_DEFAULT_PORT, minimum=1024)
    port_file = embedded_db_dir(base_dir) / "pg-port"
    if port_file.exists():
        return int(port_file.read_text().strip())
    return EMBEDDED_DB_DEFAULT_PORT


def embedded_database_url(base_dir: Path) -> str:
    """URL of the embedded cluster that `manage.py embedded_db start` runs."""
    password_file = embedded_db_dir(base_dir) / "pg-password"
    password = password_file.read_text().strip() if password_file.exists() else ""
    auth = EMBEDDED_DB_USER + (":" + quote(password, safe="") if password else "")
    return f"postgis://{auth}@127.0.0.1:{embedded_db_port(base_dir)}/{EMBEDDED_DB_NAME}"


def database_config(url: str, *, conn_max_age: int = 0) -> dict[str, Any]:
    """Django DATABASES entry for a PostgreSQL URL, always on the PostGIS engine."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in POSTGRES_SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASE_URL must be a PostgreSQL/PostGIS URL (postgis://user:pass@host:port/db); "
            f"got scheme {scheme or 'none'!r}. The platform runs on PostGIS only."
        )
    config = environ.Env.db_url_config(url)
    config["ENGINE"] = GIS_ENGINE
    config["CONN_MAX_AGE"] = conn_max_age
    config["ATOMIC_REQUESTS"] = False
    return config


def email_config(url: str) -> dict[str, Any]:
    """EMAIL_* settings from an EMAIL_URL such as smtp://user:pass@host:587/?tls=True."""
    try:
        return environ.Env.email_url_config(url)
    except (KeyError, ValueError, ImproperlyConfigured) as exc:
        raise ImproperlyConfigured(
            f"EMAIL_URL is not a mail URL Django can use (smtp://, smtp+tls://, consolemail://, "
            f"filemail://, memorymail://, dummymail://): {url!r}"
        ) from exc


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}")
    return value


RATE_PERIODS = ("second", "minute", "hour", "day")


def env_rate(name: str, default: str) -> str:
    """A rate limit such as 10/hour (N per second, minute, hour or day), checked here so that
    a typo stops the start-up instead of failing the first request it would limit."""
    raw = os.environ.get(name, "").strip() or default
    count, _slash, period = raw.partition("/")
    if not count.strip().isdigit() or int(count) < 1 or period.strip() not in RATE_PERIODS:
        raise ImproperlyConfigured(
            f"{name} must be a rate such as 10/hour (N per second, minute, hour or day, "
            f"N at least 1); got {raw!r}"
        )
    return f"{int(count)}/{period.strip()}"


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def url_origin(url: str) -> str | None:
    """The origin (scheme://host[:port]) of an absolute URL, for a Content-Security-Policy.

    A Leaflet `{s}` subdomain placeholder becomes the `*` wildcard; a relative URL (served
    by the site itself) has no origin of its own and gives None.
    """
    parts = urlsplit(url.replace("{s}.", "sub-placeholder."))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc.rsplit("@", 1)[-1].replace("sub-placeholder.", "*.")
    return f"{parts.scheme}://{host}"
