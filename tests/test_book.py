"""The book as readers see it: it builds with warnings as errors, and its rendered HTML reads well.

The book is built once per test session from the committed, nbval-validated ``.ipynb`` outputs (``make book``
executes the ``.py`` scripts instead), then every page's HTML is parsed with BeautifulSoup and checked for what a
reader should never see: Markdown table text outside a table, raw ``$`` or ``\\(`` outside rendered math, an
unrendered ``{glue`` role, ``nan`` or Python's e-notation in prose, an image without alt text (or with a file path
as alt text), and a figure without a caption.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from bs4.element import NavigableString

from tinymech.report import SETTINGS_SYMBOL, VERDICT_STYLE

ROOT = Path(__file__).resolve().parents[1]
#: Elements whose text is code or program output, not prose.
CODE = ("pre", "code", "script", "style", "kbd", "samp")
#: Elements whose text is rendered math.
MATH_CLASSES = ("math", "MathJax", "mjx-container")
PROSE = (
    "p",
    "li",
    "td",
    "th",
    "figcaption",
    "h1",
    "h2",
    "h3",
    "h4",
    "dd",
    "dt",
    "caption",
    "span",
    "a",
    "em",
    "strong",
)


@pytest.fixture(scope="module")
def built_book(tmp_path_factory) -> Path:
    """Build the book with -W from the committed notebook outputs; return the HTML folder."""
    out = tmp_path_factory.mktemp("book")
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["execute_notebooks"] = "off"
    config["exclude_patterns"] = [
        p for p in config["exclude_patterns"] if p != "**/*.ipynb"
    ] + ["notebooks/*.py"]
    del config["sphinx"]["config"]["nb_custom_formats"]
    config["sphinx"]["local_extensions"] = {
        name: str(ROOT / path) for name, path in config["sphinx"]["local_extensions"].items()
    }
    override = out / "_config.yml"
    override.write_text(yaml.safe_dump(config))
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run(
        [
            str(jupyter_book),
            "build",
            str(ROOT),
            "--config",
            str(override),
            "--toc",
            str(ROOT / "book" / "_toc.yml"),
            "--path-output",
            str(out),
            "-W",
            "-n",
            "--keep-going",
            "-q",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-6000:]
    return out / "_build" / "html"


def _pages(html: Path) -> list[Path]:
    return sorted(
        p
        for p in html.rglob("*.html")
        if not any(part.startswith("_") for part in p.relative_to(html).parts)
        and p.name not in ("search.html", "genindex.html")
    )


def _article(path: Path) -> BeautifulSoup:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return soup.find("article") or soup.find("main") or soup


def _in(node, names=(), classes=()) -> bool:
    for parent in node.parents:
        if parent.name in names:
            return True
        if classes and any(c in (parent.get("class") or []) for c in classes):
            return True
    return False


def _prose_strings(article):
    """Text nodes a reader reads as prose: not code, not output, not rendered math."""
    for text in article.find_all(string=True):
        if not isinstance(text, NavigableString) or not text.strip():
            continue
        if _in(text, CODE, MATH_CLASSES + ("output", "cell_output", "highlight")):
            continue
        yield text


def test_the_book_builds_with_warnings_as_errors_and_has_every_chapter(built_book):
    assert (built_book / "index.html").exists()
    for script in (ROOT / "notebooks").glob("*.py"):
        assert (built_book / "notebooks" / f"{script.stem}.html").exists(), script.stem


def test_no_page_shows_markdown_table_text_raw_math_or_glue_roles(built_book):
    problems = []
    for page in _pages(built_book):
        article = _article(page)
        for text in _prose_strings(article):
            where = f"{page.relative_to(built_book)}: {text.strip()[:80]!r}"
            if not _in(text, ("table",)) and re.search(r"\|\s*:?-{3,}:?\s*\|", text):
                problems.append(f"pipe-table text outside a table: {where}")
            if "$" in text or "\\(" in text or "\\[" in text:
                problems.append(f"raw math: {where}")
            if "{glue" in text or "{cite" in text or "{doc}" in text:
                problems.append(f"unrendered role: {where}")
    assert not problems, "\n".join(problems)


def test_no_nan_or_python_e_notation_in_prose(built_book):
    problems = []
    for page in _pages(built_book):
        for text in _prose_strings(_article(page)):
            if re.search(r"\bnan\b", text) or re.search(r"\b\d+(\.\d+)?e[+-]?\d+\b", text):
                problems.append(f"{page.relative_to(built_book)}: {text.strip()[:100]!r}")
    assert not problems, "\n".join(problems)


def test_every_image_has_alt_text_and_every_figure_a_caption(built_book):
    problems = []
    for page in _pages(built_book):
        article = _article(page)
        for image in article.find_all("img"):
            alt = (image.get("alt") or "").strip()
            where = f"{page.relative_to(built_book)}: {image.get('src', '')[:60]}"
            if len(alt) < 15 or re.search(r"\.(png|svg|jpe?g)\b|/", alt):
                problems.append(f"image without meaningful alt text ({alt!r}): {where}")
            figure = image.find_parent("figure")
            if (
                figure is None
                or figure.find("figcaption") is None
                or not figure.find("figcaption").get_text(strip=True)
            ):
                problems.append(f"image outside a captioned figure: {where}")
    assert not problems, "\n".join(problems)


def test_every_claims_table_renders_as_a_table_with_verdict_badges(built_book):
    for script in sorted((ROOT / "notebooks").glob("*.py")):
        if "claims_table(" not in script.read_text():
            continue
        article = _article(built_book / "notebooks" / f"{script.stem}.html")
        headers = [
            [th.get_text(strip=True) for th in table.find_all("th")]
            for table in article.find_all("table")
        ]
        claims = [h for h in headers if h[:2] == ["verdict", "claim"]]
        assert claims, (
            f"{script.stem}: no rendered claims table with the verdict first (readable on a phone)"
        )
        badges = article.find_all(class_="sd-badge")
        assert badges, f"{script.stem}: verdicts are not badges"
        symbols = {symbol for _, symbol in VERDICT_STYLE.values()}
        for badge in badges:  # told apart without colour
            assert badge.get_text(strip=True)[:1] in symbols | {SETTINGS_SYMBOL}, (
                badge.get_text()
            )


def test_the_first_page_sums_every_chapter_into_its_totals_row(built_book):
    article = _article(built_book / "book" / "intro.html")
    tables = [t for t in article.find_all("table") if "all chapters" in t.get_text()]
    assert len(tables) == 2, "the first page needs a totals row under both overview tables"
    for table in tables:
        rows = [
            [td.get_text(strip=True) for td in tr.find_all("td")] for tr in table.find_all("tr")
        ]
        rows = [r for r in rows if r]
        body, totals = rows[:-1], rows[-1]
        assert totals[0] == "all chapters"
        for column in range(1, len(totals)):
            leading = lambda cell: int(cell.split("(")[0])  # noqa: E731 - "2 (1 reproduced, 1 partly)" -> 2
            assert int(totals[column]) == sum(leading(r[column]) for r in body), (
                column,
                totals,
            )
