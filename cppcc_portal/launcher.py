"""`make run`: prepare the database, load the demo data and serve the portal with Celery.

Starts (or reuses) the embedded servers when DATABASE_URL / REDIS_URL are unset, migrates, seeds
the demo data, then runs the web server, a Celery worker and Celery beat side by side. Ctrl-C stops
all three (so does SIGTERM), and the embedded servers if this run started them.
"""

import os
import signal
import subprocess
import sys
import time

from cppcc_portal import embedded

HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], check=True)  # noqa: S603


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DEMO_MODE", "1")
    os.environ["DATABASE_URL"] = os.environ.get("DATABASE_URL") or embedded.database_url()
    os.environ["REDIS_URL"] = os.environ.get("REDIS_URL") or embedded.redis_url()
    children: list[subprocess.Popen] = []
    try:
        _manage("migrate", "--no-input")
        _manage("seed_demo")
        celery = [sys.executable, "-m", "celery", "-A", "cppcc_portal"]
        commands = {
            "web": [sys.executable, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload"],
            "worker": [*celery, "worker", "--loglevel", "INFO", "--concurrency", "2"],
            "beat": [*celery, "beat", "--loglevel", "INFO"],
        }
        children = [subprocess.Popen(command) for command in commands.values()]  # noqa: S603
        base = f"http://{HOST}:{PORT}"
        print(
            f"\n政协工作平台 / cppcc-portal: {base}/  admin: {base}/admin/  "
            f"API docs: {base}/api/docs/\n(Ctrl-C stops everything)\n",
            flush=True,
        )
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        # A second Ctrl-C or SIGTERM must not cut the clean-up short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        embedded.stop(only_started_here=True)


if __name__ == "__main__":
    sys.exit(main())
