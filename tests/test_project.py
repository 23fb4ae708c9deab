"""Project-level checks: notebook pairs in sync, pinned dependencies agree, the book's structure builds."""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import jupytext
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "notebooks").glob("*.py"))


def test_every_notebook_script_has_a_pair():
    assert SCRIPTS, "no notebooks found"
    for script in SCRIPTS:
        assert script.with_suffix(".ipynb").exists(), f"{script.name} has no paired .ipynb"


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_notebook_pair_in_sync(script):
    """The .ipynb that nbval validates holds exactly the cells of the .py script (the source of truth)."""
    from_script = jupytext.read(script)
    from_notebook = jupytext.read(script.with_suffix(".ipynb"))
    cells = lambda nb: [(c.cell_type, c.source.strip()) for c in nb.cells]  # noqa: E731
    assert cells(from_notebook) == cells(from_script), f"re-run tools/execute_notebooks.py {script.name}"
    assert from_notebook.metadata["kernelspec"]["name"] == "python3"
    executed = [c for c in from_notebook.cells if c.cell_type == "code"]
    assert all(c.get("execution_count") for c in executed), f"{script.name}.ipynb has unexecuted cells"


def _pins(requirements):
    return {re.split(r"[=<>]", r)[0].lower(): r for r in requirements if not r.startswith("-e")}


def test_environment_yml_and_pyproject_pin_the_same_versions():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_pins = _pins(project["dependencies"] + project["optional-dependencies"]["dev"])
    conda = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_pins = _pins(next(d["pip"] for d in conda["dependencies"] if isinstance(d, dict)))
    assert pip_pins == conda_pins
    assert pip_pins["torch"] == "torch==2.13.0", "torch must be pinned exactly (unpinned pulls CUDA wheels)"


def test_toc_lists_every_notebook():
    toc = (ROOT / "book" / "_toc.yml").read_text()
    for script in SCRIPTS:
        assert f"notebooks/{script.stem}" in toc, f"{script.name} is not in book/_toc.yml"


def test_book_structure_builds_with_warnings_as_errors(tmp_path):
    """Build the book from the committed, nbval-validated .ipynb outputs instead of executing the .py
    scripts again (``make book`` executes them), with -W: broken references, citations, glue keys, toc
    entries or markdown fail here."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["execute_notebooks"] = "off"
    config["exclude_patterns"] = [p for p in config["exclude_patterns"] if p != "**/*.ipynb"] + ["notebooks/*.py"]
    del config["sphinx"]["config"]["nb_custom_formats"]
    override = tmp_path / "_config.yml"
    override.write_text(yaml.safe_dump(config))
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--config", str(override), "--toc", str(ROOT / "book" / "_toc.yml"),
         "--path-output", str(tmp_path / "out"), "-W", "-n", "--keep-going", "-q"],
        capture_output=True, text=True, env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert (tmp_path / "out" / "_build" / "html" / "index.html").exists()
