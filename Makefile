# Two commands on a fresh machine: `make run` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint install clean teams-package bench browser

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# Migrates, then serves when Slack or Teams credentials are configured (.env or environment),
# otherwise opens the local `preceptor try` workspace with demo staff.
run: install
	$(BIN)/preceptor db upgrade
	@if $(BIN)/python -c "import sys; from bot.app.settings import Settings; sys.exit(0 if Settings().has_platform_credentials else 1)"; then \
		$(BIN)/preceptor serve; \
	else \
		$(BIN)/preceptor try; \
	fi

# Spread over every core (pytest-xdist); each worker has its own PostgreSQL database.
test: install browser
	$(BIN)/pytest -n auto --dist worksteal

# The dashboard's tests drive Debian's Chromium through its ChromeDriver (installed if missing).
browser:
	@command -v chromedriver >/dev/null || [ "$$(id -u)" != 0 ] || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }
	@command -v chromedriver >/dev/null || { echo "make test: the dashboard's tests need Chromium" \
		"and its driver: sudo apt-get install chromium chromium-driver"; exit 2; }

# The Teams app package, with MICROSOFT_APP_ID (from .env or the environment) filled in:
#   make teams-package DOMAIN=preceptor.hospital.org
teams-package: install
	$(BIN)/python -m handlers.teams.package --domain "$(DOMAIN)"

# Benchmarks (not tests): figures printed and written to bench/results/ (all of them in
# latest.json), then the scaling chart docs/scaling.png. PostgreSQL runs use BENCH_DATABASE_URL
# (a server on which bench_* databases may be created and dropped; default: the local one).
BENCH_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
bench: install
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	$(BIN)/python -m bench.matching
	$(BIN)/python -m bench.aspects
	$(BIN)/python -m bench.ack
	$(BIN)/python -m bench.ack --database $(BENCH_DATABASE_URL)
	$(BIN)/python -m bench.delivery
	$(BIN)/python -m bench.due
	$(BIN)/python -m bench.due --database $(BENCH_DATABASE_URL)
	$(BIN)/python -m bench.sustained
	$(BIN)/python -m bench.sustained --database $(BENCH_DATABASE_URL)
	$(BIN)/python -m bench.ramp
	$(BIN)/python -m bench.ramp --database $(BENCH_DATABASE_URL)
	$(BIN)/python -m bench.firehose
	$(BIN)/python -m bench.firehose --database $(BENCH_DATABASE_URL)
	$(BIN)/python -m bench.memory
	$(BIN)/python -m bench.phi
	$(BIN)/python -m bench.chart

# ruff, the type checker on bot/ handlers/ storage/ (settings in pyproject.toml), the Dockerfile.
lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/hadolint --failure-threshold info Dockerfile

clean:
	rm -rf $(VENV) .pytest_cache
