"""The project's own PostGIS cluster for development and tests (`make run`, `make test`).

It lives in the git-ignored `.local/` folder, listens on 127.0.0.1 on a
non-default port only, and is used whenever DATABASE_URL is not set.
PostgreSQL refuses to run as root, so when `make` runs as root the cluster
is owned by the `postgres` system user that Debian's packages create.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from geoportal.envconfig import EMBEDDED_DB_NAME, EMBEDDED_DB_USER, embedded_db_dir

Log = Callable[[str], object]

PG_VERSION = "15"
PG_BIN = Path(f"/usr/lib/postgresql/{PG_VERSION}/bin")


class EmbeddedDbError(RuntimeError):
    """The embedded cluster could not be created, started or stopped."""


@dataclass
class Cluster:
    base_dir: Path
    port: int

    @property
    def local_dir(self) -> Path:
        return embedded_db_dir(self.base_dir)

    @property
    def data_dir(self) -> Path:
        return self.local_dir / "pgdata"

    @property
    def password_file(self) -> Path:
        return self.local_dir / "pg-password"

    @property
    def port_file(self) -> Path:
        return self.local_dir / "pg-port"

    @property
    def pg_data(self) -> Path:
        """The data directory as PostgreSQL sees it (resolving the fallback link)."""
        return self.data_dir.resolve()

    @property
    def log_file(self) -> Path:
        return self.pg_data / "server.log"

    def status(self) -> bool:
        if not (self.data_dir / "PG_VERSION").exists():
            return False
        result = self._run([PG_BIN / "pg_ctl", "-D", self.pg_data, "status"], check=False)
        return result.returncode == 0

    def start(self, log: Log = print) -> None:
        self.local_dir.mkdir(parents=True, exist_ok=True)
        if not (self.data_dir / "PG_VERSION").exists():
            self._init(log)
        if self.status():
            log(f"Embedded PostGIS already running on 127.0.0.1:{self.port}")
        else:
            self._choose_free_port(log)
            log(f"Starting embedded PostGIS on 127.0.0.1:{self.port} ({self.data_dir})")
            self._run(
                [
                    PG_BIN / "pg_ctl", "-D", self.pg_data, "-l", self.log_file, "-w", "-t", "60",
                    "-o", f"-p {self.port} -c listen_addresses=127.0.0.1",
                    "start",
                ]
            )  # fmt: skip
        self._ensure_database(log)

    def stop(self, log: Log = print) -> None:
        if not self.status():
            log("Embedded PostGIS is not running")
            return
        self._run([PG_BIN / "pg_ctl", "-D", self.pg_data, "-m", "fast", "-w", "stop"])
        log("Embedded PostGIS stopped")

    # -- internals -------------------------------------------------------------

    def _choose_free_port(self, log: Log) -> None:
        """Another checkout's cluster (or any server) may hold the port: take the next free
        one and remember it in .local/pg-port, where the settings find it."""
        if os.environ.get("EMBEDDED_DB_PORT"):
            return  # an explicit choice is kept; pg_ctl reports a clash itself
        port = self.port
        while not _port_free(port):
            port += 1
            if port > self.port + 50:
                raise EmbeddedDbError(f"No free port in {self.port}..{port} on 127.0.0.1.")
        if port != self.port:
            log(f"Port {self.port} is taken; using {port}")
        self.port = port
        self.port_file.write_text(f"{port}\n")

    def _init(self, log: Log) -> None:
        if not (PG_BIN / "initdb").exists():
            raise EmbeddedDbError(
                f"{PG_BIN / 'initdb'} not found: install postgresql-{PG_VERSION}-postgis-3 "
                "(`make system` does it)."
            )
        log(f"Creating embedded PostGIS cluster in {self.data_dir}")
        password = secrets.token_urlsafe(24)
        self._prepare_data_dir()
        leftovers = list(self.pg_data.iterdir())
        if leftovers:
            # Our own folder, left half-made by an interrupted first run: start it afresh.
            log(f"Clearing an unfinished cluster in {self.pg_data}")
            for entry in leftovers:
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
        # Read by initdb, which may run as the postgres user: a private temporary file
        # that user can open, removed right after.
        fd, name = tempfile.mkstemp(prefix="geoportal-initdb-")
        pwfile = Path(name)
        with os.fdopen(fd, "w") as fh:
            fh.write(password + "\n")
        if os.geteuid() == 0:
            shutil.chown(pwfile, user=_postgres_user().pw_name)
        try:
            self._run(
                [
                    PG_BIN / "initdb", "-D", self.pg_data, "-U", EMBEDDED_DB_USER,
                    f"--pwfile={pwfile}", "--auth-local=scram-sha-256",
                    "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
                ]
            )  # fmt: skip
        finally:
            pwfile.unlink(missing_ok=True)
        conf = self.pg_data / "postgresql.conf"
        with conf.open("a") as fh:
            fh.write(
                "\n# geoportal embedded cluster\n"
                "unix_socket_directories = ''\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                "shared_buffers = 256MB\nwork_mem = 32MB\nmaintenance_work_mem = 256MB\n"
                "max_connections = 200\n"
            )
        self.password_file.write_text(password + "\n")
        self.password_file.chmod(0o600)

    def _prepare_data_dir(self) -> None:
        if os.geteuid() != 0:
            self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            return
        # As root: the postgres user must own the data directory and reach it. When the
        # checkout sits where it cannot (e.g. under /root), keep the data under
        # /var/lib/postgresql and point .local/pgdata at it.
        owner = _postgres_user()
        if self._reachable_by(owner, self.local_dir):
            self.data_dir.mkdir(mode=0o700, exist_ok=True)
        else:
            digest = hashlib.sha256(str(self.base_dir).encode()).hexdigest()[:12]
            target = Path(f"/var/lib/postgresql/geoportal-{digest}")
            target.mkdir(mode=0o700, parents=True, exist_ok=True)
            if self.data_dir.is_symlink() or self.data_dir.exists():
                if self.data_dir.is_dir() and not self.data_dir.is_symlink():
                    shutil.rmtree(self.data_dir)
                else:
                    self.data_dir.unlink()
            self.data_dir.symlink_to(target)
        shutil.chown(self.data_dir.resolve(), user=owner.pw_name, group=owner.pw_gid)
        self.local_dir.chmod(0o755)

    def _reachable_by(self, owner: pwd.struct_passwd, path: Path) -> bool:
        probe = ["runuser", "-u", owner.pw_name, "--", "test", "-x", str(path)]
        return subprocess.run(probe, check=False).returncode == 0  # noqa: S603

    def _run(self, args: list[object], check: bool = True) -> subprocess.CompletedProcess[str]:
        cmd = [str(a) for a in args]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", _postgres_user().pw_name, "--", *cmd]
        # cwd "/": the postgres user may not be allowed into the checkout.
        result = subprocess.run(  # noqa: S603
            cmd, capture_output=True, text=True, check=False, cwd="/"
        )
        if check and result.returncode != 0:
            detail = (result.stderr or result.stdout).strip()
            log_tail = ""
            if self.log_file.exists():
                log_tail = "\n".join(self.log_file.read_text(errors="replace").splitlines()[-15:])
            raise EmbeddedDbError(f"{' '.join(cmd)} failed: {detail}\n{log_tail}".strip())
        return result

    def _ensure_database(self, log: Log) -> None:
        password = self.password_file.read_text().strip()
        dsn = make_conninfo(
            host="127.0.0.1", port=self.port, user=EMBEDDED_DB_USER, password=password
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = psycopg.connect(dsn, dbname="postgres", autocommit=True)
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        with conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [EMBEDDED_DB_NAME]
            ).fetchone()
            if not exists:
                log(f"Creating database {EMBEDDED_DB_NAME}")
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(EMBEDDED_DB_NAME)))
        with psycopg.connect(dsn, dbname=EMBEDDED_DB_NAME, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _postgres_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise EmbeddedDbError(
            "Running as root needs the 'postgres' system user (created by Debian's postgresql "
            "packages) because PostgreSQL refuses to run as root."
        ) from None
