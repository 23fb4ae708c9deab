"""Sphinx extension: bibliography labels in author-year form, matching the in-text citations.

Registers a pybtex label style and formatting style named ``authoryear`` (``bibtex_default_style``): an entry
by one author is labelled "Hilton 2026", by two "Syrkis and Søgaard 2024", by more "Elhage et al. 2022"; two
entries that would get the same label get "2026a", "2026b".  A work with no person named as its author is
labelled by its ``organization``, else by its ``shorttitle`` (a user name is no author's name), and one
without a date by "n.d.".  With ``bibtex_reference_style: label`` the text
cites exactly that label, so the reader finds every citation in the bibliography under the same words.
"""

from __future__ import annotations

from collections import Counter

from pybtex.plugin import register_plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle


def _last_name(person) -> str:
    names = person.rich_last_names or person.rich_first_names
    return " ".join(str(name) for name in names).replace("{", "").replace("}", "")


def author_year_label(entry) -> str:
    """The label of one entry (without the a/b suffix)."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    if not people:  # an organisation, else the work's short title (never a user name)
        who = entry.fields.get("organization") or entry.fields.get("shorttitle") or entry.key
    elif len(people) == 1:
        who = _last_name(people[0])
    elif len(people) == 2:
        who = f"{_last_name(people[0])} and {_last_name(people[1])}"
    else:
        who = f"{_last_name(people[0])} et al."
    return f"{who} {entry.fields.get('year', 'n.d.')}"


class AuthorYearLabelStyle(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        labels = [author_year_label(entry) for entry in entries]
        total = Counter(labels)
        seen: Counter = Counter()
        for label in labels:
            if total[label] == 1:
                yield label
            else:
                seen[label] += 1
                yield f"{label}{'abcdefghijklmnopqrstuvwxyz'[seen[label] - 1]}"


class AuthorYearSortingStyle(BaseSortingStyle):
    """Alphabetically by label: organisations by their name, like people by their last name."""

    def sorting_key(self, entry):
        return (author_year_label(entry).lower(), entry.fields.get("title", ""))


class AuthorYearStyle(UnsrtStyle):
    default_label_style = "authoryear"
    default_sorting_style = "authoryear"


def show_urls_in_full(app, config) -> None:
    """The theme writes a GitHub link as "owner/repo", so that two works in one repository (a notes PDF and
    the notes) read as the same address; the bibliography shows every URL as it is."""
    config.html_theme_options["shorten_urls"] = False


def setup(app):
    app.connect("config-inited", show_urls_in_full)
    register_plugin("pybtex.style.labels", "authoryear", AuthorYearLabelStyle)
    register_plugin("pybtex.style.sorting", "authoryear", AuthorYearSortingStyle)
    register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
