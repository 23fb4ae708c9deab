"""The book as launched: the install cell, the plain launch notebooks, Binder's requirements, the repository URL.

The launch notebooks are generated here from the committed, nbval-validated ``.ipynb`` (``make book`` generates
them from the notebooks its build executed; the two agree, since nbval holds the committed outputs to the
executed ones).  The slow test builds a fresh Python 3.12 virtual environment and runs a launch notebook's
first cells in it, the install cell installing the package from this repository's committed ``HEAD``
(``TINYMECH_GIT``), the way it installs it from GitHub on Colab.
"""

from __future__ import annotations

import json
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
sys.path.insert(0, str(ROOT / "tools"))

import launch_notebooks  # noqa: E402

#: What a notebook server without MyST would show as source: roles, directives, targets.
MYST = (
    re.compile(r"\{[a-zA-Z][\w:+-]*\}`"),
    re.compile(r"^\s*(`{3,}|:{3,})\{", re.M),
    re.compile(r"^\([\w.:-]+\)=\s*$", re.M),
)


@pytest.fixture(scope="module")
def launched(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("launch")
    launch_notebooks.write_launch_notebooks(ROOT / "notebooks", out)
    return out


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def test_every_chapter_starts_with_the_same_visible_install_cell():
    first = []
    for script in SCRIPTS:
        code = [c for c in jupytext.read(script).cells if c.cell_type == "code"]
        cell = code[0]
        assert "install" in cell.metadata.get("tags", []), (
            f"{script.name}: first code cell untagged"
        )
        assert not {"remove-cell", "remove-input", "hide-input"} & set(cell.metadata["tags"])
        assert len(cell.source.splitlines()) <= 12, f"{script.name}: the install cell is long"
        first.append(cell.source)
    assert len(set(first)) == 1, "the chapters' install cells differ"


def test_launch_notebooks_contain_no_myst_and_have_every_value_written_in(launched):
    values_seen = 0
    for script in SCRIPTS:
        committed = json.loads(script.with_suffix(".ipynb").read_text())
        launch = _cells(launched / "notebooks" / f"{script.stem}.ipynb")
        code = lambda cells: [  # noqa: E731
            "".join(c["source"]) for c in cells if c["cell_type"] == "code"
        ]
        assert code(launch) == code(committed["cells"]), f"{script.stem}: code cells changed"
        assert all(not c.get("outputs") for c in launch if c["cell_type"] == "code")
        prose = "\n".join("".join(c["source"]) for c in launch if c["cell_type"] == "markdown")
        for pattern in MYST:
            left = pattern.findall(prose)
            assert not left, f"{script.stem}: MyST left in the launch notebook: {left[:5]}"
        # every {glue:text} of the chapter is replaced by the value the notebook glued
        glued = launch_notebooks.glued_values(jupytext.read(script.with_suffix(".ipynb")))
        source = "\n".join(
            "".join(c["source"]) for c in committed["cells"] if c["cell_type"] == "markdown"
        )
        for key, fmt in re.findall(r"\{glue:text\}`([\w.-]+):?([^`]*)`", source):
            value = launch_notebooks.format_plain_text(glued[key]["text/plain"], fmt)
            assert value in prose, f"{script.stem}: glued {key} = {value!r} is not in the text"
            values_seen += 1
        # figures travel as attachments of their caption's cell
        figures = len(re.findall(r"\{glue:figure\}", source))
        attached = sum(len(c.get("attachments", {})) for c in launch)
        assert attached == figures, (script.stem, attached, figures)
    assert values_seen > 500


def test_launch_notebooks_cite_with_the_books_labels_and_list_the_works(launched):
    bibliography = launch_notebooks.Bibliography(ROOT / "book" / "references.bib")
    cells = _cells(launched / "notebooks" / "m16_10.ipynb")
    prose = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    label = bibliography.labels["arc2026algzoo"]
    url = bibliography.entries["arc2026algzoo"].fields["url"]
    assert f"[{label}]({url})" in prose
    assert "## References" in "".join(cells[-1]["source"])
    assert "[M2,2" in prose or "(m2_2_regions.ipynb)" in prose


def test_a_role_the_tool_cannot_resolve_is_refused():
    book = launch_notebooks.Book({})
    bibliography = launch_notebooks.Bibliography(ROOT / "book" / "references.bib")
    converter = launch_notebooks.Converter("x", {}, book, bibliography)
    for text in (
        "{cite}`nobody1999`",
        "{glue:text}`missing`",
        "{numref}`nowhere`",
        "{abbr}`x`",
    ):
        with pytest.raises(launch_notebooks.LaunchError):
            converter.markdown(text)


def test_bibliography_has_one_url_per_work_and_no_user_name_as_author():
    bibliography = launch_notebooks.Bibliography(ROOT / "book" / "references.bib")
    urls = [e.fields.get("url") for e in bibliography.entries.values() if e.fields.get("url")]
    assert len(urls) == len(set(urls)), "two entries share a URL"
    for key, entry in bibliography.entries.items():
        for person in entry.persons.get("author", []):
            # a user name (one lower-case word) is no author's name
            name = str(person)
            assert person.first_names or name == "others" or not name.islower(), (key, name)
        assert entry.fields.get("year", "") != "n.d.", f"{key}: leave the year out, not 'n.d.'"
        assert "undated" not in entry.fields.get("howpublished", "").lower(), key


def test_binder_requirements_pin_what_pyproject_pins_with_cpu_torch_and_no_book_tooling():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = [
        line.strip()
        for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in lines
    pins = [line for line in lines if "==" in line]
    assert sorted(pins) == sorted(project["dependencies"])
    assert not any(tool in " ".join(lines) for tool in ("jupyter-book", "pytest", "nbval"))
    assert project["requires-python"] == ">=3.11,<3.14"


def test_repository_url_is_well_formed_and_the_one_the_readme_and_install_cell_use():
    """The URL cannot be reached from the machines that build this book; its form and use are checked."""
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    assert re.fullmatch(r"https://github\.com/[A-Za-z0-9-]+/[A-Za-z0-9._-]+", url), url
    assert url in (ROOT / "README.md").read_text(), (
        "the README does not give the repository URL"
    )
    install = next(c for c in jupytext.read(SCRIPTS[0]).cells if c.cell_type == "code")
    assert f'"{url}"' in install.source
    assert f"tinymech @ git+{url}" in (ROOT / "binder" / "requirements.txt").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "jupyterlab-myst" in readme


def _python312() -> str | None:
    pyenv = sorted(Path.home().glob(".pyenv/versions/3.12*/bin/python3.12"))
    for candidate in ["python3.12", *map(str, pyenv)]:
        found = shutil.which(candidate)
        if found and subprocess.run([found, "--version"], capture_output=True).returncode == 0:
            return found
    return None


def test_a_fresh_python312_venv_runs_a_launch_notebooks_first_cells(launched, tmp_path):
    python = _python312()
    if python is None:
        pytest.skip(
            "python3.12 is not on this machine: the fresh-environment launch is not tested"
        )
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    venv = tmp_path / "venv"
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    code = [
        "".join(c["source"])
        for c in _cells(launched / "notebooks" / "m2_2_regions.ipynb")
        if c["cell_type"] == "code"
    ]
    # the chapter's first cells, up to the one that glues the number of seeds trained
    last = next(i for i, source in enumerate(code) if '"m22_seeds"' in source)
    cells = code[: last + 1]
    script = tmp_path / "first_cells.py"
    script.write_text("\n\n".join(cells))
    done = subprocess.run(
        [str(venv / "bin" / "python"), str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=1800,
        env={
            **{k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")},
            "PATH": f"{venv / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "MPLBACKEND": "Agg",
            # the install cell installs the committed HEAD of this repository instead of GitHub's
            "TINYMECH_GIT": f"file://localhost{ROOT}@{head}",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        },
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "model: m2_2" in done.stdout and "m22_seeds = " in done.stdout, done.stdout[-2000:]
    version = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import sys, tinymech; print(sys.version_info[:2])",
        ],
        capture_output=True,
        text=True,
    )
    assert version.stdout.strip() == "(3, 12)"


def test_the_layout_check_fails_a_wide_box_and_passes_one_that_scrolls(tmp_path):
    """tools/layout_check.py on two one-page books (it needs Chromium; skipped without it)."""
    if not any(shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")):
        pytest.skip("Chromium is not on this machine: the layout check is not tested")
    import layout_check

    wide = '<div style="width: 900px">a box as wide as a long code line</div>'
    results = {}
    for name, style in (("spills", ""), ("scrolls", "overflow-x: auto")):
        html = tmp_path / name
        html.mkdir()
        (html / "index.html").write_text(
            '<meta http-equiv="refresh" content="0; url=page.html">'
        )
        (html / "page.html").write_text(
            f'<html><body style="margin: 0"><main><article class="bd-article" style="width: 300px">'
            f'<div class="cell_output" style="{style}">{wide}</div></article></main></body></html>'
        )
        results[name] = layout_check.main([str(html)])
    assert results == {"spills": 1, "scrolls": 0}
