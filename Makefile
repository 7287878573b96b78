# Two commands for a newcomer: `make serve` and `make test`.
# Both create .venv and install the pinned dependencies, only when requirements changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed

.PHONY: serve test build clean

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || \
		{ echo "Python 3.10 ou plus récent est nécessaire (python3 --version)."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || \
		{ echo "Impossible de créer .venv : installez le module venv (sudo apt-get install python3-venv)."; exit 1; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

serve: $(STAMP)
	$(BIN)/invoke livereload

test: $(STAMP)
	$(BIN)/invoke test

build: $(STAMP)
	$(BIN)/invoke build

clean: $(STAMP)
	$(BIN)/invoke clean
