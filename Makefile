# Two commands for a newcomer: `make serve` and `make test`.
# Both create .venv and install the pinned dependencies, only when requirements changed.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed

.PHONY: help serve test build clean

help:
	@echo "make serve   installe si besoin, construit et sert http://127.0.0.1:$(PORT) (PORT=8001 pour un autre port)"
	@echo "make test    installe si besoin, puis toute la suite de tests"
	@echo "make build   construit output/ ; make clean : supprime output/ et les caches"
	@echo "Autres tâches : $(BIN)/invoke --list"

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || \
		{ echo "Python 3.10 ou plus récent est nécessaire (python3 --version)."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || \
		{ echo "Impossible de créer .venv : installez le module venv (sudo apt-get install python3-venv)."; exit 1; }
	@echo "Installation des dépendances épinglées dans .venv (une minute environ, la première fois seulement)…"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

serve: $(STAMP)
	$(BIN)/invoke livereload --port $(PORT)

test: $(STAMP)
	$(BIN)/invoke test

build: $(STAMP)
	$(BIN)/invoke build

clean: $(STAMP)
	$(BIN)/invoke clean
