# Two entry points, each does all set-up on a fresh machine with Python 3.11:
#   make book   builds the Jupyter Book (HTML under _build/html), executing every chapter
#   make test   runs every test: unit tests, nbval on every notebook (three times: natively, under a second CPU
#               configuration that rounds floats the way another CPU would, and with every float input
#               perturbed at rounding scale), pairing checks, the book's structure and its rendered HTML
# For reviewers (not part of CI): make screenshots renders every built page with headless Chromium, and
# make layout-check loads each at 1400 and 420 px and fails on anything wider than its column.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The second configuration: ATen's portable kernels instead of AVX2/AVX-512 ones, one OpenMP thread, and MKL's
# AVX2 code path (the one MKL takes on AMD CPUs).  Measured on the code before the perturbation run:
# MKL_ENABLE_INSTRUCTIONS=AVX2 (and MKL_CBWR=COMPATIBLE) reproduced the AMD failure of the M16,10
# two-component readout that this configuration without it missed; OPENBLAS_CORETYPE=Haswell changed nothing.
SECOND_CPU := ATEN_CPU_CAPABILITY=default OMP_NUM_THREADS=1 MKL_ENABLE_INSTRUCTIONS=AVX2
# The perturbation run: every float array the registry and the model loaders hand to an analysis is moved at
# rounding scale (tinymech.perturb); every printed digit must survive.
PERTURBED := TINYMECH_PERTURB=1

.PHONY: book test test-second-cpu test-perturbed screenshots layout-check bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --config _config.yml --toc book/_toc.yml -W -n --keep-going
	$(BIN)/python tools/launch_notebooks.py --executed _build/jupyter_execute/notebooks --out _build/html/_launch

test: $(STAMP)
	$(BIN)/ruff format --check src tests tools notebooks
	$(BIN)/pytest -n 2 --dist loadfile
	$(MAKE) test-second-cpu
	$(MAKE) test-perturbed

test-second-cpu: $(STAMP)
	$(SECOND_CPU) $(BIN)/pytest -n 2 --dist loadfile notebooks

test-perturbed: $(STAMP)
	$(PERTURBED) $(BIN)/pytest -n 2 --dist loadfile notebooks

screenshots: $(STAMP)
	$(BIN)/python tools/screenshots.py _build/html --output _build/screenshots

layout-check: $(STAMP)
	$(BIN)/python tools/layout_check.py _build/html

bench: $(STAMP)
	$(BIN)/tinymech bench --overwrite

clean:
	rm -rf _build
