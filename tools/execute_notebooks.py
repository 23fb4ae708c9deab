"""Execute jupytext ``py:percent`` notebooks and write their paired ``.ipynb`` with outputs.

The ``.py`` script is the source of truth.  This tool reads it, executes it top to bottom in a fresh
``python3`` kernel (working directory ``notebooks/``, as nbval and Jupyter Book use), strips the
per-cell timing metadata that would make every run differ, and writes the paired ``.ipynb`` that nbval
validates against.  Run it after every change to a notebook or to code a notebook uses:

    .venv/bin/python tools/execute_notebooks.py notebooks/m2_2_regions.py [more.py ...]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient


def strip_volatile_metadata(notebook: nbformat.NotebookNode) -> None:
    """Remove execution timestamps and other run-dependent metadata in place."""
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
    notebook.metadata.pop("widgets", None)


def execute(script: Path, timeout: int) -> float:
    """Execute one script and write ``script.with_suffix('.ipynb')``; return seconds taken."""
    notebook = jupytext.read(script)
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    notebook.metadata.setdefault("jupytext", {})["formats"] = "ipynb,py:percent"
    start = time.perf_counter()
    NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(script.parent)}},
    ).execute()
    elapsed = time.perf_counter() - start
    strip_volatile_metadata(notebook)
    jupytext.write(notebook, script.with_suffix(".ipynb"))
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "scripts", nargs="+", type=Path, help="py:percent notebooks under notebooks/"
    )
    parser.add_argument("--timeout", type=int, default=900, help="seconds allowed per cell")
    args = parser.parse_args(argv)
    for script in args.scripts:
        if script.suffix != ".py" or not script.exists():
            parser.error(f"expected an existing .py notebook, got {script}")
        seconds = execute(script, args.timeout)
        print(f"{script}: executed in {seconds:.1f} s -> {script.with_suffix('.ipynb')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
