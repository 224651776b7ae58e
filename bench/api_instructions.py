"""Instructions per request of the API's proposal list and detail and of their floors (the bare
views of bench.proposals_urls), counted by valgrind's callgrind in the Django process alone —
the database and Redis excluded. Unlike throughput on a shared machine, whose speed drifts by a
third between runs, the count repeats within a percent: it shows what a change to the Python
side saved. Runs on the data bench.proposals_scale built (run that first).

    .venv/bin/python -m bench.api_instructions [--requests N]   (valgrind must be installed)

Each side runs in a process of its own under `valgrind --tool=callgrind --instr-atstart=no`;
counting is switched on (`callgrind_control -i on`) after twenty warm-up requests and off after
the measured ones.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from bench.common import ROOT, setup_django
from bench.proposals_scale import api_pairs

REQUESTS = int(sys.argv[sys.argv.index("--requests") + 1]) if "--requests" in sys.argv else 40
SERVER = {
    "DEBUG": "0",
    "DJANGO_SETTINGS_MODULE": "bench.proposals_settings",
    "SECRET_KEY": "bench-" + "x" * 60,
    "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
    "API_RATE_TOKEN": "1000000/1m",  # the API is measured, not its rate limit
}


def child(url: str, key: str, requests: int) -> None:
    """In the process valgrind runs: warm up, then count `requests` GETs of `url`."""
    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    for _ in range(20):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], check=True)  # noqa: S603, S607
    for _ in range(requests):
        client.get(url)
    subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], check=True)  # noqa: S603, S607


def count(url: str, key: str) -> float:
    """Millions of instructions per request of `url`."""
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "callgrind.out")
        subprocess.run(  # noqa: S603
            [  # noqa: S607
                "valgrind",
                "--tool=callgrind",
                "--instr-atstart=no",
                f"--callgrind-out-file={out}",
                sys.executable,
                "-m",
                "bench.api_instructions",
                "--child",
                url,
                key,
                str(REQUESTS),
            ],
            env={**os.environ, **SERVER},
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        with open(out) as dump:
            totals = re.search(r"^totals:\s+(\d+)", dump.read(), re.MULTILINE)
    assert totals is not None, "callgrind wrote no totals"
    return int(totals.group(1)) / REQUESTS / 1e6


def main() -> None:
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (Debian: apt-get install valgrind)")
    setup_django()
    from members.models import Committee, Level, User
    from members.workflow import issue_api_token
    from proposals.models import Proposal

    district = Committee.objects.filter(level=Level.DISTRICT).order_by("pk").first()
    if district is None:
        sys.exit("no bench data: run `python -m bench.proposals_scale` first")
    admin = User.objects.get(username="bench")
    _token, key = issue_api_token(committee=district, name=f"bench-{time.time()}", by=admin)
    print(f"{Proposal.objects.count()} proposals; {REQUESTS} requests per side")
    print("| what | floor | portal | portal / floor |\n| --- | --- | --- | --- |")
    for what, floor_url, portal_url, _target in api_pairs(district):
        floor, portal = count(floor_url, key), count(portal_url, key)
        print(f"| {what} | {floor:.1f} M | {portal:.1f} M | {portal / floor:.2f} |", flush=True)


if __name__ == "__main__":
    if "--child" in sys.argv:
        position = sys.argv.index("--child")
        url, key, requests = sys.argv[position + 1 : position + 4]
        child(url, key, int(requests))
    else:
        from cppcc_portal import embedded

        try:
            main()
        finally:
            embedded.stop(only_started_here=True)
