"""`make run`'s launcher (cppcc_portal.launcher) on this test run's servers: gunicorn answers and
serves static files, a burst of requests stays within the database connection budget, a killed
Celery worker comes back while the web server keeps answering, and SIGINT — to a launcher started
with SIGINT ignored, as a background job is — stops every child and its pool processes."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from cppcc_portal.launcher import Child, connection_budget
from cppcc_portal.tasks import clear_expired_sessions


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310 - our own server
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def _stat(pid: int) -> list[str] | None:
    """state, ppid, pgrp, … of a process (None if it is gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


def _alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def _group(pgid: int) -> list[int]:
    """The live processes of a process group."""
    members = []
    for entry in Path("/proc").iterdir():
        fields = _stat(int(entry.name)) if entry.name.isdigit() else None
        if fields and fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


def _wait_for(condition, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(
                f"timed out waiting for {what}; launcher output:\n{log.read_text()[-4000:]}"
            )
        time.sleep(0.2)


def _started(log: Path) -> dict[str, list[int]]:
    pids: dict[str, list[int]] = {}
    for name, pid in re.findall(r"\[launcher\] (\w+) started \(pid (\d+)\)", log.read_text()):
        pids.setdefault(name, []).append(int(pid))
    return pids


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as for a job started with `&`


@pytest.mark.django_db(transaction=True)
def test_make_run_serves_survives_a_worker_crash_and_stops_on_sigint(tmp_path, xuhui):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    url = urlsplit(settings.DATABASE_URL)
    env = {
        **os.environ,
        "DATABASE_URL": urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"])),
        "REDIS_URL": settings.REDIS_URL,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_WORKERS": "2",
        "WEB_THREADS": "2",
        "WORKER_CONCURRENCY": "1",
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp_path / "launcher.log"
    with log.open("w") as output:
        launcher = subprocess.Popen(
            [sys.executable, "-m", "cppcc_portal.launcher", "--no-seed"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            preexec_fn=_ignore_sigint,
        )
    try:
        _wait_for(lambda: _status(f"{base}/login/") == 200, 180, "the web server", log)
        assert _status(f"{base}/static/css/portal.css") == 200  # whitenoise, as before
        started = _started(log)
        assert set(started) == {"web", "worker", "beat"}

        # A burst: each gunicorn thread keeps one connection, so the count stays in the budget.
        with ThreadPoolExecutor(max_workers=40) as pool:
            statuses = list(pool.map(_status, [f"{base}/proposals/public/"] * 80))
        assert statuses == [200] * 80
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            (connections,) = cursor.fetchone()
        assert connections <= connection_budget(2, 2, 1) == 7

        # SIGKILL the Celery worker: it is started again; the web server never stops answering.
        worker = started["worker"][0]
        os.kill(worker, signal.SIGKILL)

        def worker_back() -> bool:
            assert _status(f"{base}/login/") == 200
            pids = _started(log).get("worker", [])
            return len(pids) == 2 and _alive(pids[1])

        _wait_for(worker_back, 60, "the worker to be started again", log)
        _wait_for(lambda: not _group(worker), 30, "the dead worker's pool processes", log)
        assert isinstance(clear_expired_sessions.delay().get(timeout=120), int)  # it works
        after = _started(log)
        assert after["web"] == started["web"] and after["beat"] == started["beat"]
        assert all(_alive(after[name][-1]) for name in ("web", "beat"))
        assert "worker exited with code -9; starting it again in 1 s" in log.read_text()

        # SIGINT, though it arrived ignored: every child and pool process stops.
        launcher.send_signal(signal.SIGINT)
        assert launcher.wait(timeout=90) == 0
        for pid in (pid for pids in after.values() for pid in pids):
            assert not _group(pid), (pid, log.read_text()[-4000:])
        assert "[launcher] stopped" in log.read_text()
    finally:
        if launcher.poll() is None:
            launcher.kill()
            launcher.wait()
        for pid in (pid for pids in _started(log).values() for pid in pids):
            for member in _group(pid):
                os.kill(member, signal.SIGKILL)


def test_a_crashing_child_is_started_again_after_a_doubling_pause():
    child = Child("crash", [sys.executable, "-S", "-c", "raise SystemExit(3)"])
    child.start()
    pauses = []
    for _ in range(7):
        child.process.wait(timeout=30)
        died = child.started_at + 0.5
        child.check(died)
        pauses.append(child.restart_at - died)
        child.check(child.restart_at - 0.1)
        assert len(child.pids) == len(pauses)  # not before the pause is over
        child.check(child.restart_at)
    assert pauses == [1, 2, 4, 8, 16, 30, 30]
    child.process.wait(timeout=30)
    died = child.started_at + 61  # it had stayed up a minute: back to the first pause
    child.check(died)
    assert child.restart_at - died == 1
    assert len(child.pids) == 8
