# The two commands of the README: `make run` and `make test`. Both create the virtual environment
# on first use; nothing but Python 3.11+ and make is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
# The one origin of every absolute URL the site writes (canonical, feeds, sitemap, citations...):
# the address `make run` serves on. `configure_site` writes it into the Wagtail Site record.
SITE_BASE_URL ?= http://$(HOST):$(PORT)
STAMP := $(VENV)/.installed

.PHONY: run test install lint migrate demo messages clean bench bench-quick

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	# The official OAI-PMH schema the tests validate against ships in pyoai's source distribution
	# only (tests/xml_schemas.py): keep that file, of the pinned version, beside the environment.
	$(BIN)/pip download --quiet --no-deps --no-binary :all: -d $(VENV)/sdists \
		"pyoai==$$($(BIN)/python -c 'from importlib.metadata import version; print(version("pyoai"))')"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	SITE_BASE_URL=$(SITE_BASE_URL) $(BIN)/python manage.py load_demo_content

# The site and the background worker (PDF reading, image renditions, search indexing: django-tasks'
# database backend) together; Ctrl-C, or either of them stopping, stops both.
run: demo
	SITE_BASE_URL=$(SITE_BASE_URL) $(BIN)/python manage.py configure_site
	$(BIN)/python manage.py make_renditions
	@echo "Site: $(SITE_BASE_URL)/   Admin: $(SITE_BASE_URL)/admin/ (see README for the demo login)"
	@$(BIN)/python manage.py db_worker --no-reload --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	SITE_BASE_URL=$(SITE_BASE_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# After changing user-facing strings: update the French catalogue, translate, then compile.
# The compiled .mo is committed, so that running the site needs no gettext.
messages: install
	$(BIN)/python manage.py makemessages -l fr -i ".venv/*" -i "node_modules/*" -i "tests/*"
	$(BIN)/python manage.py compilemessages -l fr --ignore=.venv --ignore=node_modules

# The benchmark (bench/run.py, docs/benchmarks.md): PostgreSQL (--database-url or DATABASE_URL,
# default postgres://postgres@127.0.0.1:5432/pub_bench, dropped and re-created) and a redis-server
# of its own on this machine; wrk is installed if missing.
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-quick: install
	$(BIN)/python bench/run.py --quick $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 media collected_static
