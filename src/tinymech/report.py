"""Helpers that put computed numbers and tables into the book.

Numbers in prose come from code: a notebook calls :func:`glue` and the markdown refers to the value
with ``{glue:text}`name``` (MyST-NB).  Every chapter ends with :func:`claims_table`.
"""

from __future__ import annotations

from dataclasses import dataclass

from IPython.display import Markdown


@dataclass(frozen=True)
class Claim:
    """One row of a chapter's closing table.

    Attributes:
        claim: the claim in a few words.
        source: where it comes from and the source's number, e.g. "ARC post: 1/13,000".
        ours: the number measured here, already formatted.
        verdict: "reproduced", "differs", "refuted", "not tested" or "new" (work the source did not do).
    """

    claim: str
    source: str
    ours: str
    verdict: str


VERDICTS = ("reproduced", "differs", "refuted", "not tested", "new", "partly")


def claims_table(rows: list[Claim]) -> Markdown:
    """A Markdown table claim | source | ours | verdict, for the end of a chapter.

    Raises:
        ValueError: if a verdict is not one of :data:`VERDICTS`.
    """
    lines = ["| claim | source | ours | verdict |", "|---|---|---|---|"]
    for row in rows:
        if row.verdict not in VERDICTS:
            raise ValueError(f"verdict {row.verdict!r} is not one of {VERDICTS}")
        cells = [str(c).replace("|", "\\|") for c in (row.claim, row.source, row.ours, row.verdict)]
        lines.append("| " + " | ".join(cells) + " |")
    return Markdown("\n".join(lines))


def glue(name: str, value, *, display: bool = False) -> None:
    """Glue ``value`` under ``name`` for ``{glue:text}`` / ``{glue:figure}`` in markdown cells.

    Thin wrapper over :func:`myst_nb.glue` that hides the output by default, so the number
    appears only where the prose refers to it.  Returns None, so a glue call at the end of a cell
    prints nothing.
    """
    from myst_nb import glue as myst_glue

    myst_glue(name, value, display=display)
