"""Restoring into a new database beside the target, verified table by table, then
renaming both in one transaction: the target is not touched before that commit."""

from __future__ import annotations

import contextlib
import secrets
import time
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from geoportal.core.backup.database import (
    Database,
    census,
    run_tool,
    server_versions,
    tool,
    user_relations,
)
from geoportal.core.backup.manifest import DUMP, Manifest, differences
from geoportal.core.backup.progress import BackupError, Log
from geoportal.core.backup.switching import Step, restore_progress, take_lock


class RenameSwitch:
    """The new database beside the target, made, loaded, verified and renamed in place."""

    def __init__(self, database: Database, admin: psycopg.Connection[Any]) -> None:
        self.database, self.admin = database, admin
        # Names stay within PostgreSQL's 63 bytes.
        prefix = database.name.encode()[:40].decode(errors="ignore")
        token = secrets.token_hex(4)
        self.pattern = prefix.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%")
        self.temporary = f"{prefix}_restore_{token}"
        self.previous = f"{prefix}_before_restore_{token}"
        self.made = False
        self.switched = False

    @classmethod
    def open(cls, database: Database) -> RenameSwitch | str:
        """The switch, or why this user cannot rename databases on this server."""
        maintenance = "template1" if database.name == "postgres" else "postgres"
        try:
            admin = database.on(maintenance).connect(autocommit=True)
        except psycopg.OperationalError:
            return f"cannot connect to the server's {maintenance} database"
        row = admin.execute(
            "SELECT r.rolsuper, r.rolcreatedb,"
            " (SELECT pg_has_role(current_user, d.datdba, 'MEMBER') FROM pg_database d"
            "  WHERE d.datname = %s)"
            " FROM pg_roles r WHERE r.rolname = current_user",
            [database.name],
        ).fetchone()
        superuser, createdb, owner = row if row else (False, False, None)
        if not (superuser or (createdb and owner is not False)):
            admin.close()
            return f"the user may not create and rename databases on {database.describe()}"
        try:
            take_lock(admin, database)
        except BackupError:
            admin.close()
            raise
        return cls(database, admin)

    def _exists(self, name: str) -> bool:
        found = self.admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return found.fetchone() is not None

    def contents(self) -> list[str]:
        if not self._exists(self.database.name):
            return []
        with self.database.connect(autocommit=True) as connection:
            return user_relations(connection)

    def clear_leftovers(self, log: Log) -> None:
        leftovers = self.admin.execute(
            "SELECT datname, datname LIKE %s FROM pg_database"
            " WHERE datname LIKE %s OR datname LIKE %s ORDER BY 1",
            [f"{self.pattern}\\_restore\\_%", f"{self.pattern}\\_restore\\_%",
             f"{self.pattern}\\_before\\_restore\\_%"],
        ).fetchall()  # fmt: skip
        for name, unfinished in leftovers:
            if unfinished:
                log(f"database: removing {name}, left by an interrupted restore")
                self.admin.execute(
                    sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
                )
            else:
                log(f"database: {name} holds the database an earlier restore replaced; "
                    "drop it when no longer needed")  # fmt: skip

    def _create(self) -> None:
        """The new database with the target's owner, encoding, locale, rights, settings."""
        target = self.admin.execute(
            "SELECT oid, datdba::regrole::text, pg_encoding_to_char(encoding), datcollate,"
            " datctype, datlocprovider, daticulocale, datconnlimit, datacl IS NOT NULL"
            " FROM pg_database WHERE datname = %s",
            [self.database.name],
        ).fetchone()
        name = sql.Identifier(self.temporary)
        create = sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(name)
        if target:
            oid, owner, encoding, collate, ctype, provider, icu, limit, acl = target
            create += sql.SQL(
                " OWNER {} ENCODING {} LC_COLLATE {} LC_CTYPE {} CONNECTION LIMIT {}"
            ).format(
                sql.Identifier(owner), encoding, sql.Literal(collate), sql.Literal(ctype),
                sql.Literal(limit),
            )  # fmt: skip
            if provider == "i":
                create += sql.SQL(" LOCALE_PROVIDER icu ICU_LOCALE {}").format(sql.Literal(icu))
        self.admin.execute(create)
        self.made = True
        if not target:
            return
        if acl:
            self.admin.execute(
                sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC, {}").format(
                    name, sql.Identifier(owner)
                )
            )
            grants = self.admin.execute(
                "SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END,"
                " a.privilege_type, a.is_grantable"
                " FROM pg_database d, aclexplode(d.datacl) a WHERE d.oid = %s",
                [oid],
            ).fetchall()
            for grantee, privilege, grantable in grants:
                to = sql.SQL("PUBLIC") if grantee == "PUBLIC" else sql.Identifier(grantee)
                option = sql.SQL(" WITH GRANT OPTION" if grantable else "")
                self.admin.execute(
                    sql.SQL("GRANT {} ON DATABASE {} TO {}{}").format(
                        sql.SQL(privilege), name, to, option
                    )
                )
        settings = self.admin.execute(
            "SELECT CASE WHEN setrole = 0 THEN '' ELSE setrole::regrole::text END, setconfig"
            " FROM pg_db_role_setting WHERE setdatabase = %s",
            [oid],
        ).fetchall()
        for role, config in settings:
            for item in config:
                key, _, value = item.partition("=")
                self.admin.execute(_alter_setting(self.temporary, role, key, value))

    def load(self, source: Path, manifest: Manifest, log: Log) -> None:
        log(f"database: restoring into a new database {self.temporary} …")
        self._create()
        temporary = self.database.on(self.temporary)
        try:
            run_tool(
                [tool("pg_restore"), "--no-owner", "--exit-on-error", "--verbose",
                 f"--dbname={temporary.conninfo}", str(source / DUMP)],
                temporary, restore_progress(log, manifest),
            )  # fmt: skip
        except BackupError as exc:
            raise BackupError(f"{exc} ({self.database.name} is unchanged)") from None
        log("database: comparing every table's rows and sum with the manifest …")
        with temporary.connect() as connection:
            server = server_versions(connection)
            found = census(connection, log)
        if manifest.server and server.get("postgis") != manifest.server.get("postgis"):
            log(f"database: note: PostGIS {manifest.server.get('postgis')} in the backup, "
                f"{server.get('postgis')} here")  # fmt: skip
        differ = differences(manifest.tables, found)
        if differ:
            raise BackupError(
                f"The restored database differs from the manifest in {len(differ)} tables "
                f"({self.database.name} is unchanged): " + "; ".join(differ[:10])
            )

    def commit(self, swap: Step, unswap: Step, log: Log) -> None:
        name, exists = self.database.name, self._exists(self.database.name)
        log(f"switch: {self.temporary} becomes {name}")
        for attempt in range(1, 6):
            self._close_sessions(name, log)
            swapped = False
            try:
                with self.admin.transaction():
                    if exists:
                        self._rename(name, self.previous)
                    self._rename(self.temporary, name)
                    swapped = True  # set first: a swap that stops halfway is undone too
                    swap()
                self.switched = True
                return
            except psycopg.errors.ObjectInUse:
                if attempt == 5:
                    raise BackupError(
                        f"{self.database.describe()} is still in use by other sessions; stop "
                        "the web and worker processes and run restore again (nothing changed)."
                    ) from None
                time.sleep(0.5 * attempt)
            except BaseException:
                if swapped:
                    unswap()
                raise

    def _rename(self, old: str, new: str) -> None:
        rename = sql.SQL("ALTER DATABASE {} RENAME TO {}")
        self.admin.execute(rename.format(sql.Identifier(old), sql.Identifier(new)))

    def _close_sessions(self, name: str, log: Log) -> None:
        """The site's own sessions would keep the old database open; a restore ends them."""
        pids = self.admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        ).fetchall()
        if pids:
            log(f"switch: closing {len(pids)} other sessions of {name}")
        for (pid,) in pids:
            # Not ours to end (another role's session): the rename says so if it matters.
            with contextlib.suppress(psycopg.Error):
                self.admin.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])

    def abandon(self, log: Log) -> None:
        if self.made and not self.switched:
            self.admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(self.temporary)
                )
            )

    def finish(self, log: Log) -> None:
        if not self._exists(self.previous):
            return
        try:
            self.admin.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(self.previous))
            )
        except psycopg.Error as exc:
            log(f"database: could not drop {self.previous}, the database as it was before "
                f"the restore ({exc}); drop it by hand")  # fmt: skip

    def close(self) -> None:
        self.admin.close()


# Settings whose value is a list: each element is quoted on its own, as pg_dump does.
LIST_SETTINGS = {"search_path", "temp_tablespaces", "session_preload_libraries",
                 "local_preload_libraries", "shared_preload_libraries"}  # fmt: skip


def _alter_setting(database: str, role: str, key: str, value: str) -> sql.Composed:
    if key.lower() in LIST_SETTINGS:
        items = [item.strip() for item in value.split(",") if item.strip()]
        items = [i[1:-1].replace('""', '"') if i[:1] == i[-1:] == '"' else i for i in items]
        rendered: sql.Composable = sql.SQL(", ").join(sql.Literal(item) for item in items)
    else:
        rendered = sql.Literal(value)
    target = sql.SQL("DATABASE {}").format(sql.Identifier(database))
    if role:
        target = sql.SQL("ROLE {} IN DATABASE {}").format(
            sql.Identifier(role), sql.Identifier(database)
        )
    return sql.SQL("ALTER {} SET {} TO {}").format(target, sql.Identifier(key), rendered)
