"""A throwaway PostgreSQL cluster for tests: initdb in a temp dir, a free local port, then gone.

The tests and the benchmark need a PostgreSQL server they may fill and drop databases on
without touching anything else on the machine. `initdb` refuses to run as root, so a root
caller (CI) runs the server binaries as the unprivileged `postgres` user that Debian's
package creates, with the data directory owned by that user. The server listens on
127.0.0.1 only, on a port the kernel reported free, and its socket lives in its own
directory, so it never meets a system cluster.

Run `python -m tests.support.pg_cluster` to start one by hand: it prints the URL and waits.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

DEBIAN_ROOT = Path("/usr/lib/postgresql")
SUPERUSER = "loften"
UNPRIVILEGED_USER = "postgres"
START_ATTEMPTS = 3

# Settings for a cluster whose data may be lost: faster tests, meaningless for benchmarks.
THROWAWAY_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server binaries cannot be run here."""


class PostgresNotInstalled(PostgresUnavailable):
    """No `initdb`/`pg_ctl` on PATH nor under /usr/lib/postgresql."""


def find_bin_dir() -> Path:
    """The directory holding `initdb` and `pg_ctl`: on PATH, else Debian's newest version."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    candidates = [
        path.parent
        for path in DEBIAN_ROOT.glob("*/bin/initdb")
        if (path.parent / "pg_ctl").exists()
    ]
    if not candidates:
        raise PostgresNotInstalled("PostgreSQL not found: install postgresql to run it")
    return max(candidates, key=lambda bin_dir: _version_key(bin_dir.parent.name))


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name))


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now (a race, hence start retries)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def url_for(*, user: str, password: str, host: str, port: int, dbname: str, query: str = "") -> str:
    """A `postgresql://` URL with every part percent-encoded."""
    url = (
        f"postgresql://{quote(user, safe='')}:{quote(password, safe='')}"
        f"@{host}:{port}/{quote(dbname, safe='')}"
    )
    return f"{url}?{query}" if query else url


@dataclass
class TemporaryCluster:
    """One PostgreSQL cluster in a temporary directory, removed by `stop()`.

    `durable=False` turns fsync off: right for tests, wrong for measuring write rates.
    """

    durable: bool = False
    password: str = field(default_factory=lambda: f"p@ss:{secrets.token_hex(8)}/")
    port: int = 0
    base_dir: Path | None = None

    @property
    def data_dir(self) -> Path:
        assert self.base_dir is not None, "the cluster is not started"
        return self.base_dir / "data"

    def url(self, dbname: str = "postgres") -> str:
        return url_for(
            user=SUPERUSER, password=self.password, host="127.0.0.1", port=self.port, dbname=dbname
        )

    def start(self) -> None:
        """Create the cluster and start its server; raise PostgresUnavailable if we cannot."""
        bin_dir = find_bin_dir()
        self.base_dir = Path(tempfile.mkdtemp(prefix="loften-pg-"))
        try:
            owner = self._owner()
            self._chown(owner)
            password_file = self.base_dir / "password"
            password_file.write_text(self.password + "\n")
            self._chown(owner, password_file)
            self._run(
                owner,
                [
                    str(bin_dir / "initdb"),
                    "--pgdata",
                    str(self.data_dir),
                    "--username",
                    SUPERUSER,
                    "--pwfile",
                    str(password_file),
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ],
            )
            password_file.unlink()
            self._start_server(owner, bin_dir)
        except BaseException:
            self.stop()
            raise

    def _start_server(self, owner: str | None, bin_dir: Path) -> None:
        settings = {
            "listen_addresses": "127.0.0.1",
            "unix_socket_directories": str(self.base_dir),
            "max_connections": "200",
            **({} if self.durable else THROWAWAY_SETTINGS),
        }
        for attempt in range(START_ATTEMPTS):
            self.port = free_port()
            options = " ".join(f"-c {name}={value}" for name, value in settings.items())
            try:
                self._run(
                    owner,
                    [
                        str(bin_dir / "pg_ctl"),
                        "start",
                        "--pgdata",
                        str(self.data_dir),
                        "--wait",
                        "--silent",
                        "--log",
                        str(self.data_dir / "server.log"),
                        "-o",
                        f"-p {self.port} {options}",
                    ],
                )
                return
            except PostgresUnavailable:
                if attempt == START_ATTEMPTS - 1:
                    raise

    def stop(self) -> None:
        """Stop the server at once (its data is thrown away) and remove the directory."""
        if self.base_dir is None:
            return
        if (self.data_dir / "postmaster.pid").exists():
            with contextlib.suppress(PostgresUnavailable):
                self._run(
                    self._owner(),
                    [
                        str(find_bin_dir() / "pg_ctl"),
                        "stop",
                        "--pgdata",
                        str(self.data_dir),
                        "--mode=immediate",
                        "--wait",
                        "--silent",
                    ],
                )
        shutil.rmtree(self.base_dir, ignore_errors=True)
        self.base_dir = None

    def _owner(self) -> str | None:
        """Who runs the server: ourselves, unless we are root (initdb refuses root)."""
        if os.geteuid() != 0:
            return None
        try:
            pwd.getpwnam(UNPRIVILEGED_USER)
        except KeyError:
            raise PostgresUnavailable(
                f"running as root and there is no {UNPRIVILEGED_USER!r} user to run PostgreSQL"
            ) from None
        return UNPRIVILEGED_USER

    def _chown(self, owner: str | None, path: Path | None = None) -> None:
        if owner is not None:
            shutil.chown(path or self.data_dir.parent, user=owner)

    def _run(self, owner: str | None, command: Sequence[str]) -> None:
        if owner is not None:
            command = ["runuser", "-u", owner, "--", *command]
        result = subprocess.run(
            command,
            cwd=self.base_dir,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            log = self.data_dir / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise PostgresUnavailable(
                f"{Path(command[0]).name} failed ({result.returncode}): "
                f"{result.stderr.strip() or result.stdout.strip()}\n{tail}".rstrip()
            )


@dataclass
class DatabaseFactory:
    """Hands out empty, uniquely named databases on a server we may administer.

    Creating a database copies a template (0.1-0.3 s here), emptying one takes a few
    milliseconds, so a released database is emptied and handed out again.
    """

    admin_url: str
    prefix: str = field(default_factory=lambda: f"loften_test_{os.getpid()}_")
    created: list[str] = field(default_factory=list)
    free: list[str] = field(default_factory=list)

    def acquire(self) -> str:
        """An empty database for one user at a time; returns its name."""
        if self.free:
            return self.free.pop()
        name = f"{self.prefix}{len(self.created) + 1}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name))
            )
        self.created.append(name)
        return name

    def release(self, name: str) -> None:
        """Disconnect everyone from the database, empty it and keep it for the next user."""
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
        with psycopg.connect(with_database(self.admin_url, name), autocommit=True) as conn:
            schemas = [
                row[0]
                for row in conn.execute(
                    "SELECT nspname FROM pg_namespace"
                    " WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'"
                )
            ]
            with conn.transaction():
                for schema in schemas:
                    conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
                conn.execute("CREATE SCHEMA public")
        self.free.append(name)

    def drop_all(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for name in self.created:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
        self.created.clear()
        self.free.clear()


def with_database(url: str, dbname: str) -> str:
    """The same server URL (user, password, host, port, query) naming another database."""
    return urlunsplit(urlsplit(url)._replace(path="/" + quote(dbname, safe="")))


@contextlib.contextmanager
def temporary_cluster(*, durable: bool = False) -> Iterator[TemporaryCluster]:
    cluster = TemporaryCluster(durable=durable)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


def main() -> None:
    """Start a cluster, print its URL, and remove it on Ctrl-C or SIGTERM."""
    # A background job of a non-interactive shell ignores SIGINT; honour both anyway.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with temporary_cluster() as cluster:
        print(cluster.url(), flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


if __name__ == "__main__":
    main()
