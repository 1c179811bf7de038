# Group supervision: run `make help` for the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      ?= .venv
PY        := $(VENV)/bin/python
PIP       := $(VENV)/bin/pip
APP       := $(VENV)/bin/supervision
PORT      ?= 5000
STAMP_APP := $(VENV)/.installed-app
STAMP_TST := $(VENV)/.installed-test
STAMP_NPM := node_modules/.installed
VENDOR    := static/vendor/.copied

.PHONY: help
help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(PY):
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip==25.3

$(STAMP_APP): $(PY) pyproject.toml constraints.txt
	$(PIP) install --quiet -c constraints.txt -e .
	touch $@

$(STAMP_TST): $(STAMP_APP)
	$(PIP) install --quiet -c constraints.txt -e '.[test]'
	touch $@

$(STAMP_NPM): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR): $(STAMP_NPM) $(wildcard static/scss/*.scss) scripts/copy_vendor.sh
	bash scripts/copy_vendor.sh
	touch $@

.PHONY: install
install: $(STAMP_APP) $(VENDOR) ## Create .venv, install the package and the front-end assets

.PHONY: install-test
install-test: install $(STAMP_TST) ## Add the test tools, Debian's chromium and LibreOffice
	bash scripts/ensure_system_packages.sh

.PHONY: db
db: install ## Apply the database migrations
	$(APP) db upgrade

.PHONY: demo
demo: db ## Load the fictional demo teams, people and families
	$(APP) demo

.PHONY: run
run: demo ## Serve on http://127.0.0.1:$(PORT) (PORT changes it)
	$(APP) run --host 127.0.0.1 --port $(PORT)

# One test process per core, each test file kept whole on one process.
PYTEST_ARGS ?= -n auto --dist loadfile

.PHONY: test
test: install-test ## Run the whole test suite
	$(VENV)/bin/pytest $(PYTEST_ARGS)

.PHONY: bench
bench: install-test ## Run the benchmarks (not part of make test)
	PYTHONUNBUFFERED=1 $(PY) -m benchmarks

.PHONY: clean
clean: ## Remove the virtual environment, node packages and vendor assets
	rm -rf $(VENV) node_modules static/vendor
