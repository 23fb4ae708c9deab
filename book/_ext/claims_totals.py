"""Sphinx extension: the first page's totals row, summed from the chapters' glued claim counts.

Every chapter glues its counts (``claims_count_<finding>``, ``further_count_<finding>``, ...; see
``tinymech.report.Claims.tables``).  The role ``{claims-total}`claims_count_reproduced``` is replaced, once every
page has been read, by the sum of that glued integer over every chapter that glues it; a key no chapter glues
is an error, so a renamed count cannot silently read as 0.  The numbers come from the same glue cache that
MyST-NB's cross-document ``{glue:text}`` references read.
"""

from __future__ import annotations

from docutils import nodes
from myst_nb.ext.glue.crossref import read_glue_cache
from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform


class claims_total(nodes.Inline, nodes.TextElement):  # noqa: N801 - docutils node names are lower case
    """A placeholder for a sum over chapters, replaced after every page is read."""


def claims_total_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    node = claims_total(rawtext, "")
    node["key"] = text.strip()
    return [node], []


def chapter_sum(folder: str, docnames, key: str) -> int:
    """The sum of the integer glued under ``key`` over ``docnames``.

    Raises:
        ExtensionError: no document glues ``key``, or one glues something that is not an integer.
    """
    total, found = 0, 0
    for docname in sorted(docnames):
        output = read_glue_cache(folder, docname).get(key)
        if output is None:
            continue
        text = output["data"].get("text/plain", "")
        if not text.strip().lstrip("-").isdigit():
            raise ExtensionError(f"claims-total: {docname} glues {key!r} as {text!r}, not an integer")
        total, found = total + int(text), found + 1
    if not found:
        raise ExtensionError(f"claims-total: no chapter glues {key!r}")
    return total


class ReplaceClaimsTotals(SphinxPostTransform):
    default_priority = 6  # after MyST-NB's cross-document glue (5)

    def apply(self, **kwargs) -> None:
        folder = self.env.mystnb_config.output_folder
        docnames = [d for d in self.env.found_docs if d.startswith("notebooks/")]
        for node in list(self.document.findall(claims_total)):
            node.replace_self(nodes.Text(str(chapter_sum(folder, docnames, node["key"]))))


def setup(app):
    app.add_role("claims-total", claims_total_role)
    app.add_node(claims_total)
    app.add_post_transform(ReplaceClaimsTotals)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
