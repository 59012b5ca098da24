# The SEND QA portal. Two commands do everything: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
DEMO_PASSWORD ?= demo-password-2026
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint format migrations-check bench deploy-check install install-test assets system-deps-run system-deps-test system-deps-bench system-deps-deploy worker clean

## run: install everything, build assets, migrate the embedded database, seed demo data, serve with a worker
run: install assets system-deps-run
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py load_templates
	DJANGO_DEBUG=1 $(PY) manage.py load_indicators
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo --password "$(DEMO_PASSWORD)"
	@echo ""
	@echo "The portal is at http://127.0.0.1:8000 (press Ctrl+C to stop)."
	@scripts/run.sh

## test: the same installs plus test tools, then the whole suite against real PostgreSQL and Redis
test: install-test assets system-deps-test
	scripts/test.sh $(PYTEST_ARGS)

## lint: ruff (style and mistakes), then mypy with django-stubs (types; settings pyproject.toml)
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_DEBUG=1 $(VENV)/bin/mypy send_qa audits kpis wsoa benchmarks risks governance

format: install-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

## bench: build a synthetic large county in a throwaway PostgreSQL and measure it (docs/performance.md)
bench: install-test assets system-deps-bench
	scripts/bench.sh $(BENCH_ARGS)

## deploy-check: two web servers behind nginx, two workers, files in an S3 bucket (docs/deployment.md)
deploy-check: install-test system-deps-deploy
	scripts/check_two_machines.sh

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/build/portal.css: node_modules/.package-lock.json static/src/portal.scss scripts/build_assets.py | $(VENV)/bin/python
	$(PY) scripts/build_assets.py

assets: static/build/portal.css

system-deps-run:
	@scripts/system-deps.sh run

system-deps-test:
	@scripts/system-deps.sh test

system-deps-bench:
	@scripts/system-deps.sh bench

system-deps-deploy:
	@scripts/system-deps.sh deploy

clean:
	rm -rf $(VENV) node_modules static/build staticfiles var
