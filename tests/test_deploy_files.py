"""docker-compose.yml (no Docker engine runs here): the services, their commands and health."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_services_and_commands():
    services = _compose()["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    assert "gunicorn cppcc_portal.wsgi" in services["web"]["command"]
    assert "migrate" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "cppcc_portal", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "cppcc_portal", "beat"]


def test_health_volumes_and_wiring():
    compose = _compose()
    services = compose["services"]
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert {"postgres-data", "redis-data", "media"} <= set(compose["volumes"])
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://cppcc:")
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_image_installs_the_pinned_run_dependencies():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir --group run -c constraints.txt" in dockerfile
    assert "collectstatic" in dockerfile
    assert "USER portal" in dockerfile
