"""Every "source says" cell of every claims table quotes its source word for word.

The cells are read from the committed notebook outputs (the tables readers see).  Each quotation, text between
“ and ” (or straight double quotes), must occur in one of the source texts in ``../shared/seeds/`` and
``../shared/sources/`` as whole words after normalising whitespace, quote marks and dashes, Unicode compatibility
forms and Markdown escapes; "…" or "..." inside a quotation marks an omission, and every fragment must then occur,
in order, in the same source text.  A row of the sources' table needs at least one quotation; a further check
(the book's own hypothesis, "—") needs none, but what it quotes is checked too.  Failures name the row.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REPLACE = {
    "’": "'",
    "‘": "'",
    "“": '"',
    "”": '"',
    "−": "-",
    "–": "-",
    "—": "-",
    "‑": "-",
    "\u00a0": " ",
    "…": "...",
    "\\|": "|",
    "\\*": "*",
    "\\_": "_",
}


def normalise(text: str) -> str:
    """Whitespace collapsed to one space; quote marks, dashes, ellipses and Markdown escapes made plain; NFKC forms."""
    text = unicodedata.normalize("NFKC", html.unescape(text))
    for a, b in REPLACE.items():
        text = text.replace(a, b)
    for mark in (
        '"',
        "'",
        "`",
        "*",
        "_",
        "$",
        "^",
        "\\",
    ):  # quote marks, Markdown and TeX markers
        text = text.replace(mark, "")
    return re.sub(r"\s+", " ", text).strip()


def quotations(cell: str) -> list[str]:
    """The quoted passages of a cell: “…” pairs, then straight "…" pairs."""
    found = re.findall(r"“([^”]+)”", cell)
    rest = re.sub(r"“[^”]+”", "", cell)
    return found + re.findall(r'"([^"]+)"', rest)


def _find_word(text: str, fragment: str, start: int) -> int:
    """The first occurrence of ``fragment`` at or after ``start`` that neither starts nor ends inside a word."""
    position = text.find(fragment, start)
    while position >= 0:
        end = position + len(fragment)
        cut_before = position > 0 and text[position - 1].isalnum() and fragment[0].isalnum()
        cut_after = end < len(text) and text[end].isalnum() and fragment[-1].isalnum()
        if not (cut_before or cut_after):
            return position
        position = text.find(fragment, position + 1)
    return -1


def found_in(quote: str, corpus: dict[str, str]) -> str | None:
    """The name of the source text that holds every fragment of ``quote``, whole words, in order, or None."""
    fragments = [normalise(f) for f in re.split(r"\.\.\.|…", quote)]
    fragments = [f for f in fragments if f]
    for name, text in corpus.items():
        position = 0
        for fragment in fragments:
            position = _find_word(text, fragment, position)
            if position < 0:
                break
            position += len(fragment)
        else:
            return name
    return None


def _corpus() -> dict[str, str]:
    paths = sorted((SHARED / "seeds").glob("*")) + sorted((SHARED / "sources").glob("*"))
    texts = {
        p.name: normalise(p.read_text(encoding="utf-8", errors="replace"))
        for p in paths
        if p.is_file() and p.name != "README.md"
    }
    assert texts, (
        f"no source texts under {SHARED}: the quote check needs ../shared beside the repository"
    )
    return texts


def _rows(notebook: Path):
    """(table title, claim cell, source-says cell) of every claims-table row in the notebook's outputs."""
    cells = json.loads(notebook.read_text())["cells"]
    for cell in cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get("text/markdown")
            if data is None:
                continue
            text = "".join(data)
            if "| verdict | claim | source says |" not in text:
                continue
            title = ""
            for line in text.splitlines():
                if line.startswith("**"):
                    title = line.strip("*")
                if not line.startswith("| {bdg"):
                    continue
                parts = re.split(r"(?<!\\)\|", line)[1:-1]
                source = re.sub(r"^\s*(\{cite:p\}`[^`]+`\s*)+:\s*", "", parts[2])
                yield title, parts[1].strip(), source.strip()


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_the_normalisation_keeps_words_and_drops_only_typography():
    assert normalise("“a – b”  c") == normalise('"a - b" c') == "a - b c"
    assert found_in("one … three", {"s": normalise("one two three")}) == "s"
    assert (
        found_in("three … one", {"s": normalise("one two three")}) is None
    )  # fragments in order
    assert found_in("one thre", {"s": normalise("one three")}) is None


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_source_says_cell_quotes_its_source_word_for_word(notebook):
    corpus = _corpus()
    problems, rows = [], 0
    for title, claim, source in _rows(notebook):
        rows += 1
        quotes = quotations(source)
        if not quotes and not title.startswith("Further checks"):
            problems.append(f"{claim!r}: no quotation in {source[:80]!r}")
        for quote in quotes:
            if found_in(quote, corpus) is None:
                problems.append(f"{claim!r}: “{quote[:90]}” is not in any source text")
    if (
        "claims" in notebook.read_text()
        and "Claim(" in (notebook.with_suffix(".py")).read_text()
    ):
        assert rows, f"{notebook.stem}: no claims table found in the outputs"
    assert not problems, f"{len(problems)} of {rows} rows:\n" + "\n".join(problems)
