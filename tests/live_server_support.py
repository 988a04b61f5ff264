"""What the tests that start a real server share (the browser tests, the production smoke test):
a free port, and a throw-away PostgreSQL database on the server of the outer DATABASE_URL."""

import os
import socket
from urllib.parse import unquote, urlsplit, urlunsplit


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_postgres(url):
    return urlsplit(url).scheme in {"postgres", "postgresql", "pgsql"}


def with_database_name(url, name):
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


class ThrowAwayPostgresDatabase:
    """``<name>_<suffix>`` (plus the xdist worker when tests run in parallel) on the server of the
    outer DATABASE_URL: created empty by ``create()``, removed by ``drop()``."""

    def __init__(self, outer_url, suffix):
        self.outer_url = outer_url
        base = unquote(urlsplit(outer_url).path.lstrip("/")) or "postgres"
        worker = os.environ.get("PYTEST_XDIST_WORKER", "")
        self.name = f"{base}_{suffix}" + (f"_{worker}" if worker else "")
        self.url = with_database_name(outer_url, self.name)

    def _connect(self):
        import psycopg

        # The maintenance database first (the outer database may not exist yet), as Django does.
        last_error = None
        for dbname in ("postgres", unquote(urlsplit(self.outer_url).path.lstrip("/"))):
            try:
                return psycopg.connect(with_database_name(self.outer_url, dbname), autocommit=True)
            except psycopg.OperationalError as exc:
                last_error = exc
        raise last_error

    def _drop(self, connection):
        from psycopg import sql

        force = (
            sql.SQL(" WITH (FORCE)") if connection.info.server_version >= 130000 else sql.SQL("")
        )
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(self.name)) + force
        )

    def create(self):
        from psycopg import sql

        with self._connect() as connection:
            self._drop(connection)
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))

    def drop(self):
        with self._connect() as connection:
            self._drop(connection)
