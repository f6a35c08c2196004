"""For a target that cannot be renamed (no CREATEDB right, or no other database to
connect to, as on some hosted services): one psql transaction drops the target's own
objects, restores, compares every table's rows and sum with the manifest and rolls back
on any difference. It holds the target's tables locked for its whole length."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from geoportal.core.backup.database import (
    SESSION_SETTINGS,
    USER_RELATIONS,
    Database,
    run_tool,
    table_sum_query,
    tool,
    user_relations,
)
from geoportal.core.backup.manifest import DUMP, Manifest
from geoportal.core.backup.progress import BackupError, Log
from geoportal.core.backup.switching import Step, take_lock


class InPlaceSwitch:
    """The target replaced by one psql transaction, written out first by load()."""

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
            take_lock(connection, database)
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
