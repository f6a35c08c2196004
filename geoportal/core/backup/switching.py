"""Putting a verified database in place of the target, in one of two ways.

`RenameSwitch`, whenever the user may create and rename databases: pg_restore into a new
database beside the target, compare every table's rows and sum with the manifest, then
rename both in one transaction. The target is not touched before that commit.

`InPlaceSwitch`, for a target that cannot be renamed (no CREATEDB right, or no other
database to connect to, as on some hosted services): one psql transaction drops the
target's own objects, restores, compares the same rows and sums and rolls back on any
difference. It holds the target's tables locked for its whole length.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import psycopg
from psycopg import sql

from geoportal.core.backup.database import (
    SESSION_SETTINGS,
    USER_RELATIONS,
    Database,
    census,
    run_tool,
    server_versions,
    table_sum_query,
    tool,
    user_relations,
)
from geoportal.core.backup.manifest import DUMP, Manifest, differences
from geoportal.core.backup.progress import BackupError, Log, Progress

Step = Callable[[], None]
LOCK_KEY = "geoportal-restore:"


class Switch(Protocol):
    database: Database

    def contents(self) -> list[str]: ...
    def clear_leftovers(self, log: Log) -> None: ...
    def load(self, source: Path, manifest: Manifest, log: Log) -> None: ...
    def commit(self, swap: Step, unswap: Step, log: Log) -> None: ...
    def abandon(self, log: Log) -> None: ...
    def finish(self, log: Log) -> None: ...
    def close(self) -> None: ...


def open_switch(database: Database, log: Log) -> Switch:
    """The rename switch when this user may use it, else the one-transaction one."""
    renaming = RenameSwitch.open(database)
    if isinstance(renaming, RenameSwitch):
        return renaming
    log(f"database: {renaming}; {database.name} is replaced in one transaction instead, "
        "verified before it commits")  # fmt: skip
    return InPlaceSwitch.open(database)


def _lock(connection: psycopg.Connection[Any], database: Database) -> None:
    row = connection.execute(
        "SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", [LOCK_KEY + database.name]
    ).fetchone()
    if not row or not row[0]:
        raise BackupError(f"Another restore into {database.describe()} is running.")


def _restore_progress(log: Log, manifest: Manifest) -> Callable[[str], None]:
    progress = Progress(log, "database: restoring table", len(manifest.tables))
    loaded = 0

    def on_line(line: str) -> None:
        nonlocal loaded
        if "processing data for table" in line and loaded < len(manifest.tables):
            loaded += 1
            progress.step(loaded, line.rsplit(" ", 1)[-1].strip('"'))

    return on_line


class RenameSwitch:
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
            _lock(admin, database)
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
                temporary, _restore_progress(log, manifest),
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


class InPlaceSwitch:
    def __init__(self, database: Database, connection: psycopg.Connection[Any]) -> None:
        self.database, self.connection = database, connection
        self.work = Path(tempfile.mkdtemp(prefix="geoportal-restore-"))

    @classmethod
    def open(cls, database: Database) -> InPlaceSwitch:
        try:
            connection = database.connect(autocommit=True)
        except psycopg.OperationalError as exc:
            raise BackupError(f"Cannot connect to {database.describe()}: {exc}") from None
        try:
            _lock(connection, database)
        except BackupError:
            connection.close()
            raise
        return cls(database, connection)

    def contents(self) -> list[str]:
        return user_relations(self.connection)

    def clear_leftovers(self, log: Log) -> None:
        return None

    def load(self, source: Path, manifest: Manifest, log: Log) -> None:
        """Write the one-transaction script; nothing reaches the target before commit()."""
        log("database: preparing the restore script …")
        # An extension already there stays, with its own tables' rows (it may be one this
        # user could not create again): its entries are left out of the archive's list.
        skipped = [
            f" {kind} {name} "
            for kind, name in self.connection.execute(
                "SELECT 'EXTENSION -', extname FROM pg_extension"
                " UNION ALL SELECT 'COMMENT - EXTENSION', extname FROM pg_extension"
                " UNION ALL SELECT 'TABLE DATA', n.nspname || ' ' || c.relname"
                " FROM pg_extension e JOIN pg_class c ON c.oid = ANY(e.extconfig)"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
            )
        ]
        listing = self.work / "archive.list"
        run_tool([tool("pg_restore"), "--list", f"--file={listing}", str(source / DUMP)],
                 self.database)  # fmt: skip
        kept = [
            line for line in listing.read_text().splitlines()
            if not any(mark in f"{line} " for mark in skipped)
        ]  # fmt: skip
        listing.write_text("\n".join(kept) + "\n")
        script = self.work / "restore.sql"
        run_tool(
            [tool("pg_restore"), "--no-owner", "--exit-on-error", f"--use-list={listing}",
             f"--file={script}", str(source / DUMP)],
            self.database,
        )  # fmt: skip
        main = self.work / "main.sql"
        main.write_text(self._main(script, manifest))

    def _main(self, script: Path, manifest: Manifest) -> str:
        cursor = psycopg.ClientCursor(self.connection)
        tables = cursor.mogrify(USER_RELATIONS, {"kinds": ["r"]})
        template = table_sum_query("s.t").as_string(self.connection)
        template = template.replace('"s"', "%I").replace('"t"', "%I")
        expected = (
            sql.SQL(", ")
            .join(
                sql.SQL("({}, {}, {})").format(table, entry.rows, sql.Literal(entry.sum))
                for table, entry in manifest.tables.items()
            )
            .as_string(self.connection)
        )
        settings = ", ".join(
            cursor.mogrify("set_config(%s, %s, true)", [k, v]) for k, v in SESSION_SETTINGS.items()
        )
        path = str(script).replace("'", "''")
        return "\n".join([
            "\\set ON_ERROR_STOP on",
            "BEGIN;",
            "SET LOCAL client_min_messages = warning;",
            "\\warn 'database: dropping the target''s own objects ...'",
            DROP_OWN_OBJECTS,
            "\\warn 'database: restoring ...'",
            f"\\i '{path}'",
            "\\warn 'database: comparing every table''s rows and sum with the manifest ...'",
            f"SELECT {settings};",
            "CREATE TEMP TABLE geoportal_expected (name text, rows bigint, total numeric)"
            " ON COMMIT DROP;",
            # Composed by psycopg from the manifest's values, each one a quoted literal.
            f"INSERT INTO geoportal_expected VALUES {expected};"  # noqa: S608
            if manifest.tables else "",
            "CREATE TEMP TABLE geoportal_found (name text, rows bigint, total numeric)"
            " ON COMMIT DROP;",
            "DO $geoportal$ DECLARE item record; n bigint; s text; BEGIN",
            f"FOR item IN {tables} LOOP",
            f"  EXECUTE format({sql.Literal(template).as_string(self.connection)},"
            " item.nspname, item.relname) INTO n, s;",
            "  INSERT INTO geoportal_found VALUES (item.nspname || '.' || item.relname, n,"
            " s::numeric);",
            "END LOOP; END $geoportal$;",
            COMPARE,
            "COMMIT;",
            "\\warn 'database: committed'",
        ])  # fmt: skip

    def commit(self, swap: Step, unswap: Step, log: Log) -> None:
        main = self.work / "main.sql"
        swapped = False
        try:
            swapped = True
            swap()
            run_tool(
                [tool("psql"), "--no-psqlrc", "--quiet", f"--file={main}",
                 f"--dbname={self.database.conninfo}"],
                self.database, lambda line: log(line) if line.startswith("database:") else None,
            )  # fmt: skip
        except BackupError as exc:
            if swapped:
                unswap()
            raise BackupError(f"{exc} ({self.database.name} is unchanged)") from None
        except BaseException:
            if swapped:
                unswap()
            raise

    def abandon(self, log: Log) -> None:
        shutil.rmtree(self.work, ignore_errors=True)

    def finish(self, log: Log) -> None:
        shutil.rmtree(self.work, ignore_errors=True)

    def close(self) -> None:
        self.connection.close()
        shutil.rmtree(self.work, ignore_errors=True)


_NOT_SYSTEM = (
    "n.nspname NOT IN ('pg_catalog', 'information_schema')"
    " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'"
)

# Every table, view, sequence, routine and type the database owns (not an extension's),
# dropped with what depends on it; IF EXISTS, as a CASCADE may have taken one already.
DROP_OWN_OBJECTS = f"""
DO $geoportal$ DECLARE item record; BEGIN
FOR item IN SELECT format('%I.%I', n.nspname, c.relname) AS name,
    CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
      WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND {_NOT_SYSTEM}
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                    AND d.objid = c.oid AND d.deptype = 'e')
LOOP EXECUTE format('DROP %s IF EXISTS %s CASCADE', item.kind, item.name); END LOOP;
FOR item IN SELECT format('%I.%I(%s)', n.nspname, p.proname,
      pg_get_function_identity_arguments(p.oid)) AS name,
    CASE p.prokind WHEN 'a' THEN 'AGGREGATE' ELSE 'ROUTINE' END AS kind
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE {_NOT_SYSTEM}
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                    AND d.objid = p.oid AND d.deptype = 'e')
LOOP EXECUTE format('DROP %s IF EXISTS %s CASCADE', item.kind, item.name); END LOOP;
FOR item IN SELECT format('%I.%I', n.nspname, t.typname) AS name,
    CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END AS kind
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE t.typtype IN ('e', 'd', 'r', 'c') AND {_NOT_SYSTEM}
    AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                    AND d.objid = t.oid AND d.deptype = 'e')
LOOP EXECUTE format('DROP %s IF EXISTS %s CASCADE', item.kind, item.name); END LOOP;
END $geoportal$;
"""  # noqa: S608  (built from constants only)

COMPARE = """
DO $geoportal$ DECLARE differ text; BEGIN
SELECT string_agg(coalesce(e.name, f.name) || ': manifest '
    || coalesce(e.rows || ' rows, sum ' || e.total, 'absent') || '; restored '
    || coalesce(f.rows || ' rows, sum ' || f.total, 'absent'), ' | '
    ORDER BY coalesce(e.name, f.name))
  INTO differ
  FROM geoportal_expected e FULL JOIN geoportal_found f ON e.name = f.name
  WHERE e.rows IS DISTINCT FROM f.rows OR e.total IS DISTINCT FROM f.total;
IF differ IS NOT NULL THEN
  RAISE EXCEPTION 'the restored database differs from the manifest: %', differ;
END IF;
END $geoportal$;
"""
