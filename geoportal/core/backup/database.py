"""Where a database is, what it holds (the rows and a sum of every table), which media
files it refers to, and the PostgreSQL client tools run against it."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from geoportal.core.backup.progress import BackupError, Log, Progress
from geoportal.core.embedded_db import PG_BIN

# A row's text depends on these session settings: the census of a backup and the one of
# its restore set them alike, so the same rows give the same sum.
SESSION_SETTINGS = {
    "TimeZone": "UTC",
    "DateStyle": "ISO, YMD",
    "IntervalStyle": "postgres",
    "extra_float_digits": "1",
    "bytea_output": "hex",
}

# The tables a census covers: ordinary tables outside PostgreSQL's own schemas, less the
# ones an extension owns (PostGIS's spatial_ref_sys is rebuilt by CREATE EXTENSION).
USER_RELATIONS = """
SELECT n.nspname, c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = ANY(%(kinds)s)
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%%' AND n.nspname NOT LIKE 'pg\\_temp\\_%%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                  AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1, 2
"""


@dataclass(frozen=True)
class Database:
    """A database as libpq takes it; the password travels in PGPASSWORD, never in argv."""

    params: dict[str, str]
    password: str = field(default="", repr=False)

    @classmethod
    def from_settings(cls, config: dict[str, Any]) -> Database:
        params = {
            "dbname": str(config["NAME"]),
            "user": str(config.get("USER") or ""),
            "host": str(config.get("HOST") or ""),
            "port": str(config.get("PORT") or ""),
        }
        return cls({k: v for k, v in params.items() if v}, str(config.get("PASSWORD") or ""))

    @classmethod
    def from_url(cls, url: str) -> Database:
        scheme, _, rest = url.partition("://")
        if not rest or scheme.lower() not in ("postgis", "postgres", "postgresql", "pgsql"):
            raise BackupError(f"{url.split('@')[-1]!r}: not a postgresql:// or postgis:// URL.")
        try:
            params = {k: str(v) for k, v in conninfo_to_dict("postgresql://" + rest).items()}
        except psycopg.ProgrammingError as exc:
            raise BackupError(f"The database URL cannot be read: {exc}") from None
        password = params.pop("password", "")
        if not params.get("dbname"):
            raise BackupError("The database URL names no database (…/name at its end).")
        return cls(params, password)

    @property
    def name(self) -> str:
        return self.params["dbname"]

    def on(self, name: str) -> Database:
        """Another database of the same server, reached the same way."""
        return Database({**self.params, "dbname": name}, self.password)

    @property
    def conninfo(self) -> str:
        return make_conninfo(**self.params)

    @property
    def env(self) -> dict[str, str]:
        return {"PGPASSWORD": self.password} if self.password else {}

    def describe(self) -> str:
        where = self.params.get("host", "local socket")
        if self.params.get("port"):
            where += f":{self.params['port']}"
        return f"database {self.name} on {where}"

    def connect(self, **kwargs: Any) -> psycopg.Connection[Any]:
        password = {"password": self.password} if self.password else {}
        return psycopg.connect(make_conninfo(**self.params, **password), **kwargs)


def apply_session_settings(connection: psycopg.Connection[Any]) -> None:
    for name, value in SESSION_SETTINGS.items():
        connection.execute("SELECT set_config(%s, %s, false)", [name, value])


def user_relations(connection: psycopg.Connection[Any], kinds: str = "rpvmSf") -> list[str]:
    """Tables, views, sequences... that are the database's own (not an extension's)."""
    rows = connection.execute(USER_RELATIONS, {"kinds": list(kinds)}).fetchall()
    return [f"{schema}.{name}" for schema, name in rows]


@dataclass(frozen=True)
class TableSum:
    """How many rows a table holds and the sum of a 64-bit hash of each row's text: the
    same rows give the same sum in any order, a changed, lost or extra row another."""

    rows: int
    sum: str


def table_sum_query(qualified: str) -> sql.Composed:
    schema, name = qualified.split(".", 1)
    return sql.SQL(
        "SELECT count(*), coalesce(sum(('x' || left(md5(ROW(r.*)::text), 16))::bit(64)::bigint),"
        " 0)::text FROM {}.{} AS r"
    ).format(sql.Identifier(schema), sql.Identifier(name))


def census(connection: psycopg.Connection[Any], log: Log) -> dict[str, TableSum]:
    """The rows and sum of every table, as the connection's transaction sees them."""
    apply_session_settings(connection)
    tables = user_relations(connection, kinds="r")
    progress = Progress(log, "database: counting and summing rows, table", len(tables))
    sums = {}
    for number, table in enumerate(tables, 1):
        row = connection.execute(table_sum_query(table)).fetchone()
        assert row is not None  # an aggregate always answers one row
        sums[table] = TableSum(int(row[0]), str(row[1]))
        progress.step(number, table)
    return sums


def server_versions(connection: psycopg.Connection[Any]) -> dict[str, str]:
    row = connection.execute(
        "SELECT current_setting('server_version'),"
        " (SELECT extversion FROM pg_extension WHERE extname = 'postgis')"
    ).fetchone()
    assert row is not None
    return {"postgresql": str(row[0]), "postgis": str(row[1] or "")}


def file_references(connection: psycopg.Connection[Any]) -> set[str]:
    """Names of the media files the database's rows refer to (every model's FileFields)."""
    from django.apps import apps
    from django.db import models

    names: set[str] = set()
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if not isinstance(model_field, models.FileField):
                continue
            table, column = str(model._meta.db_table), str(model_field.column)
            present = connection.execute(
                "SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(%s)"
                " AND attname = %s AND NOT attisdropped",
                [sql.Identifier(table).as_string(connection), column],
            ).fetchone()
            if not present:  # a model whose migration this database has not had
                continue
            query = sql.SQL("SELECT DISTINCT {c} FROM {t} WHERE {c} <> ''").format(
                c=sql.Identifier(column), t=sql.Identifier(table)
            )
            names.update(str(row[0]) for row in connection.execute(query))
    return names


def tool(name: str) -> str:
    """pg_dump/pg_restore/psql of the server's major version (Debian's), else PATH's."""
    local = PG_BIN / name
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: postgresql-client).")
    return found


def run_tool(
    args: list[str], database: Database, on_line: Callable[[str], object] | None = None
) -> None:
    """Run a client tool, handing each line it writes to stderr to `on_line`; on failure
    a BackupError quoting its errors. An interruption stops the tool too."""
    env = {**os.environ, **database.env}
    said: deque[str] = deque(maxlen=60)
    # The arguments are this package's own: the tool, options and paths, no shell.
    process = subprocess.Popen(  # noqa: S603
        args, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, errors="replace",
    )  # fmt: skip
    try:
        assert process.stderr is not None
        for line in process.stderr:
            said.append(line.rstrip())
            if on_line:
                on_line(line.rstrip())
        code = process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if code != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {_errors(list(said))}")


def _errors(lines: list[str]) -> str:
    """The lines that say what went wrong, not the tool's progress chatter."""
    marks = ("error", "fatal", "detail:", "hint:", "context:", "command was:")
    picked = [line for line in lines if any(mark in line.lower() for mark in marks)]
    return " / ".join((picked or lines)[-8:]) or "no message"
