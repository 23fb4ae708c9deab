# Two entry points, each does all set-up on a fresh machine with Python 3.11:
#   make book   builds the Jupyter Book (HTML under _build/html), executing every chapter
#   make test   runs every test: unit tests, nbval on every notebook, pairing checks, book structure
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: book test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --config _config.yml --toc book/_toc.yml -W -n --keep-going

test: $(STAMP)
	$(BIN)/pytest -n 2 --dist loadfile

bench: $(STAMP)
	$(BIN)/tinymech bench

clean:
	rm -rf _build
