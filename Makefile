# cppcc-portal: `make run` serves the portal with demo data, `make test` runs every check.
# Only Python 3.11+ and make are needed; everything else is installed into .venv/.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install run test lint format fuzz stop messages lock clean bench bench-workstations bench-proposals bench-background bench-voting bench-opinions bench-instructions

$(INSTALLED): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --group dev -c constraints.txt
	touch $@

install: $(INSTALLED)

run: install
	$(BIN)/python -m cppcc_portal.launcher

test: install lint
	$(BIN)/python -m pytest

# Schema fuzzing at length (make test runs it with a few examples per operation).
fuzz: install
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-200} $(BIN)/python -m pytest tests/test_fuzz.py

# mypy reads the settings only: the placeholder URLs keep it from starting the embedded servers.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 DATABASE_URL=postgres://mypy@localhost/none REDIS_URL=redis://localhost:1/0 $(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Benchmarks build their data in a separate <database>_bench database (see bench/).
bench: bench-workstations bench-proposals bench-background bench-voting bench-opinions

bench-workstations: install
	$(BIN)/python -m bench.workstation_figures

bench-proposals: install
	$(BIN)/python -m bench.proposals_scale

bench-background: install
	$(BIN)/python -m bench.background_work

bench-voting: install
	$(BIN)/python -m bench.brand_voting

bench-opinions: install
	$(BIN)/python -m bench.opinions_scale

# Instructions per request of the API list and detail against their floors (needs valgrind; on
# bench-proposals' data).
bench-instructions: install
	$(BIN)/python -m bench.api_instructions

# Stop the embedded PostgreSQL and Redis under .data/ (make run and make test stop what they start).
stop: install
	$(BIN)/python -m cppcc_portal.embedded stop

# Refresh the English catalogue after changing Chinese UI strings (needs GNU gettext).
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages --locale en --ignore ".venv/*" --no-obsolete
	DEBUG=1 $(BIN)/python manage.py compilemessages --locale en --ignore ".venv/*"

# Re-pin every package after changing pyproject's dependency groups.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade "pip>=25.1"
	.lock-venv/bin/python -m pip install --quiet --group dev
	(echo "# Every installed package pinned (make lock regenerates it from pyproject's groups)."; \
	 .lock-venv/bin/pip freeze --all | grep -v -E "^(pip|setuptools|wheel)==") > constraints.txt
	rm -rf .lock-venv

clean: stop
	rm -rf $(VENV) .data staticfiles
