# VBT: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
# `make run` is development and `make test` the test settings, whatever the shell exports.
DEV := DJANGO_SETTINGS_MODULE=vbt.settings.dev
TEST := DJANGO_SETTINGS_MODULE=vbt.settings.test

.PHONY: install run serve test lint security audit format bench messages clean vnu

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || { \
		$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
			|| { echo "VBT needs Python 3.11 or newer as '$(PYTHON)'; try: make PYTHON=python3.12 $(MAKECMDGOALS)"; exit 1; }; \
		$(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --only-binary=:all: \
		-r requirements.txt -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

run: install
	@mkdir -p var
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py demo_data
	@echo "VBT: http://$(HOST)/ (stop with Ctrl+C)"
	$(DEV) $(BIN)/python manage.py runserver $(HOST)

# The site without migrating or loading the demo again.
serve: install
	$(DEV) $(BIN)/python manage.py runserver $(HOST)

test: install
	@mkdir -p var
	$(TEST) $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# The security gates (the CI runs them): Django's deployment checks on the production settings'
# defaults, with fresh strong keys and nothing from the shell; bandit (config in pyproject.toml);
# ruff's S rules on their own.
PROD_CHECK := env -i PATH="$$PATH" HOME="$$HOME" DJANGO_SETTINGS_MODULE=vbt.settings.production \
	SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	STEUN_HASH_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(32))')"

security: install
	$(PROD_CHECK) $(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/bandit -c pyproject.toml -r . --severity-level medium --quiet
	$(BIN)/ruff check --select S .

# Known vulnerabilities in both locks, from PyPI's advisories. Needs the PyPI JSON API, which this
# machine cannot reach (every package "not found"), so it is not part of `make security` or the CI;
# --strict fails on a package it could not audit. The Docker build runs the same audit.
audit: install
	$(BIN)/pip-audit --strict --disable-pip --require-hashes --progress-spinner off \
		-r requirements.txt -r requirements-dev.txt

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	@mkdir -p var
	$(BIN)/python -m bench

# Needs GNU gettext (apt-get install gettext); the compiled catalogues are committed,
# so running the site never needs it.
messages: install
	$(DEV) $(BIN)/python manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	$(DEV) $(BIN)/python manage.py compilemessages --ignore=.venv

# The Nu HTML Checker for tests/publiek/test_html_valid.py: vnu-jar from the npm registry, pinned
# by its SHA-1 (npm's shasum), unpacked to var/tools/vnu.jar. Needs npm, and Java to run
# (Debian: apt-get install default-jre-headless); without them the HTML test skips and says why.
# axe-core needs no step: its single file is vendored as tests/a11y/axe.min.js (not served).
VNU_VERSION := 26.9.27
VNU_SHA1 := 80a35dd6f8f7230132811a6ee8bd4257a119fb14
vnu: var/tools/vnu.jar

var/tools/vnu.jar:
	@mkdir -p var/tools
	cd var/tools && npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null
	echo "$(VNU_SHA1)  var/tools/vnu-jar-$(VNU_VERSION).tgz" | sha1sum -c --quiet
	tar -xzf var/tools/vnu-jar-$(VNU_VERSION).tgz -C var/tools --strip-components=3 package/build/dist/vnu.jar
	rm var/tools/vnu-jar-$(VNU_VERSION).tgz

clean:
	rm -rf $(VENV) var
