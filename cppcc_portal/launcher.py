"""`make run`: prepare the database, load the demo data and serve the portal with Celery.

Starts (or reuses) the embedded servers when DATABASE_URL / REDIS_URL are unset, migrates, seeds
the demo data (unless --no-seed), then supervises three children: the web server (gunicorn, as in
production: WEB_WORKERS processes × WEB_THREADS threads, static files by whitenoise), a Celery
worker and Celery beat. A child that dies is started again after a pause that doubles from 1 s to
30 s (back to 1 s once it has stayed up a minute); the others and the databases go on. Only
Ctrl-C / SIGINT or SIGTERM stops everything — handled alike, even when the launcher runs in the
background, where SIGINT arrives ignored — and the embedded servers too if this run started them.

Each child runs in a process group of its own: the terminal's Ctrl-C reaches the launcher only,
which stops the children in order, and a dead child's leftovers (gunicorn's or Celery's pool
processes) are killed with it.
"""

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

from cppcc_portal import embedded

HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")
WEB_WORKERS = int(os.environ.get("WEB_WORKERS", "2"))
WEB_THREADS = int(os.environ.get("WEB_THREADS", "4"))
WORKER_CONCURRENCY = int(os.environ.get("WORKER_CONCURRENCY", "2"))

FIRST_PAUSE, LONGEST_PAUSE, STEADY_AFTER = 1.0, 30.0, 60.0
STOP_TIMEOUT = 20.0


def connection_budget(
    web_workers: int = WEB_WORKERS,
    web_threads: int = WEB_THREADS,
    worker_concurrency: int = WORKER_CONCURRENCY,
) -> int:
    """The most database connections the children hold at once. Each gunicorn thread keeps one
    connection (reused for CONN_MAX_AGE seconds: a fixed pool of threads, unlike the development
    server's thread per request); each Celery pool process one, the worker's own process and beat
    one each."""
    return web_workers * web_threads + worker_concurrency + 2


def portal_base_url(host: str = HOST, port: str = PORT) -> str:
    """The address the served portal answers at, for the links in e-mails (PORTAL_BASE_URL
    unless set): a server listening on every interface is reached as localhost."""
    shown = "localhost" if host in ("", "0.0.0.0", "::") else host  # noqa: S104
    return f"http://{shown}:{port}"


def _log(message: str) -> None:
    print(f"[launcher] {message}", flush=True)


@dataclass
class Child:
    name: str
    command: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    pause: float = FIRST_PAUSE
    restart_at: float | None = None
    pids: list[int] = field(default_factory=list)

    def start(self) -> None:
        # process_group=0: a group of its own, so that the terminal's Ctrl-C reaches only the
        # launcher and the whole group (pool processes included) can be signalled at once.
        self.process = subprocess.Popen(self.command, process_group=0)  # noqa: S603
        self.started_at, self.restart_at = time.monotonic(), None
        self.pids.append(self.process.pid)
        _log(f"{self.name} started (pid {self.process.pid})")

    def signal_group(self, signum: int) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signum)

    def check(self, now: float) -> None:
        """Schedule a restart if the child died; start it again when its pause is over."""
        if self.process is None:
            return
        if self.restart_at is None and (code := self.process.poll()) is not None:
            self.signal_group(signal.SIGKILL)  # whatever it left behind
            if now - self.started_at >= STEADY_AFTER:
                self.pause = FIRST_PAUSE
            self.restart_at = now + self.pause
            _log(f"{self.name} exited with code {code}; starting it again in {self.pause:g} s")
            self.pause = min(self.pause * 2, LONGEST_PAUSE)
        elif self.restart_at is not None and now >= self.restart_at:
            self.start()

    def stop(self) -> None:
        # The main process only: gunicorn's master and Celery's worker stop their own pool
        # processes in order (a task cut short is redelivered: acks_late).
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()


class Supervisor:
    def __init__(self, commands: dict[str, list[str]]):
        self.children = [Child(name, command) for name, command in commands.items()]
        self.stopping = False
        self.supervising = False

    def request_stop(self, signum, frame) -> None:
        self.stopping = True
        if not self.supervising:  # still preparing: cut the migration or the seed short
            raise KeyboardInterrupt

    def run(self) -> None:
        self.supervising = True
        for child in self.children:
            child.start()
        while not self.stopping:
            now = time.monotonic()
            for child in self.children:
                if not self.stopping:
                    child.check(now)
            time.sleep(0.2)

    def stop(self) -> None:
        for child in self.children:
            child.stop()
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in self.children:
            if child.process is None:
                continue
            try:
                child.process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                _log(f"{child.name} did not stop within {STOP_TIMEOUT:g} s; killing it")
            child.signal_group(signal.SIGKILL)
            child.process.wait()


def commands(host: str, port: str) -> dict[str, list[str]]:
    celery = [sys.executable, "-m", "celery", "-A", "cppcc_portal"]
    return {
        "web": [
            sys.executable,
            "-m",
            "gunicorn",
            "cppcc_portal.wsgi",
            "--bind",
            f"{host}:{port}",
            "--worker-class",
            "gthread",
            "--workers",
            str(WEB_WORKERS),
            "--threads",
            str(WEB_THREADS),
            "--graceful-timeout",
            "10",
            "--access-logfile",
            "-",
        ],
        "worker": [
            *celery,
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            str(WORKER_CONCURRENCY),
        ],
        "beat": [*celery, "beat", "--loglevel", "INFO"],
    }


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], check=True)  # noqa: S603


def _max_connections(database_url: str) -> int | None:
    """How many connections the PostgreSQL server accepts from ordinary users (None: unknown)."""
    import psycopg2

    try:
        conn = psycopg2.connect(database_url, connect_timeout=5)
    except psycopg2.Error:
        return None
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('max_connections')::int"
                " - current_setting('superuser_reserved_connections')::int"
            )
            return cursor.fetchone()[0]
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cppcc_portal.launcher")
    parser.add_argument("--no-seed", action="store_true", help="do not load the demo data")
    options = parser.parse_args(argv)

    supervisor = Supervisor(commands(HOST, PORT))
    # Explicitly: a job started in the background begins with SIGINT ignored.
    signal.signal(signal.SIGINT, supervisor.request_stop)
    signal.signal(signal.SIGTERM, supervisor.request_stop)
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DEMO_MODE", "1")
    # The children (web, worker, beat) write e-mails linking back to the port served here.
    os.environ.setdefault("PORTAL_BASE_URL", portal_base_url())
    try:
        os.environ["DATABASE_URL"] = os.environ.get("DATABASE_URL") or embedded.database_url()
        os.environ["REDIS_URL"] = os.environ.get("REDIS_URL") or embedded.redis_url()
        budget, limit = connection_budget(), _max_connections(os.environ["DATABASE_URL"])
        _log(f"database connections: at most {budget} of {limit or '?'} available")
        if limit is not None and budget > limit // 2:
            _log("too many for this PostgreSQL: lower WEB_WORKERS, WEB_THREADS or the concurrency")
            return 2
        _manage("migrate", "--no-input")
        if not options.no_seed:
            _manage("seed_demo")
        base = f"http://{HOST}:{PORT}"
        _log(
            f"政协工作平台 / cppcc-portal: {base}/  admin: {base}/admin/  "
            f"API docs: {base}/api/docs/  (Ctrl-C stops everything)"
        )
        supervisor.run()
    except KeyboardInterrupt:
        pass
    finally:
        # A second Ctrl-C or SIGTERM must not cut the clean-up short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        _log("stopping")
        supervisor.stop()
        embedded.stop(only_started_here=True)
        _log("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
