"""Write the launch notebooks: plain-Markdown copies of every chapter that Colab, Binder or any Jupyter open.

The chapters' Markdown is MyST: ``{glue:text}`` roles stand for numbers computed in the notebook,
``{cite}`` for bibliography entries, ``{doc}`` and ``{ref}`` for cross-references, and figures are
``{glue:figure}`` directives.  A notebook server without MyST shows that source.  This tool resolves it
the way the book renders it, from the executed notebooks and ``book/references.bib``:

- a glued value is written in (formatted as MyST-NB formats it: ``format_plain_text``);
- a citation becomes its author-year label (the book's ``authoryear`` style), linked to the work, and a
  References cell at the end lists the works cited;
- ``{doc}`` and ``{ref}`` become links to the sibling launch notebook (and the section's anchor);
- a glued figure becomes the figure's image (a cell attachment) with its caption;
- a ``(label)=`` target becomes an HTML anchor.

Code cells are kept as they are (the first one installs the package where it is missing), outputs are
cleared.  ``make book`` runs it after the build, on the notebooks the build executed:

    .venv/bin/python tools/launch_notebooks.py --executed _build/jupyter_execute/notebooks \\
        --out _build/html/_launch

and the book's launch buttons and its ``.ipynb`` download link point to the result (``book/_ext/launch_links.py``).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))

from authoryear_bibliography import AuthorYearLabelStyle  # noqa: E402

MIME_PREFIX = "application/papermill.record/"
#: A MyST role: ``{name}`text```.
ROLE = re.compile(r"\{(?P<name>[a-zA-Z][\w:+-]*)\}`(?P<content>[^`]*)`")
#: A fenced MyST directive, backticks or colons, with its options and body.
DIRECTIVE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:+-]+)\}[ \t]*(?P<argument>[^\n]*)\n"
    r"(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.M | re.S,
)
TARGET = re.compile(r"^\((?P<label>[\w.:-]+)\)=[ \t]*$", re.M)
OPTION = re.compile(r"^:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$")


class LaunchError(Exception):
    """A role, directive or reference the tool cannot resolve."""


def format_plain_text(text: str, fmt_spec: str) -> str:
    """Format a glued ``text/plain`` value exactly as MyST-NB does (``myst_nb.core.variables``)."""
    from ast import literal_eval

    try:
        value = literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if fmt_spec == "":
        return str(value)
    type_char = fmt_spec[-1]
    if type_char == "s":
        value = str(value)
    elif type_char in ("b", "c", "d", "o", "x", "X"):
        value = int(value)
    elif type_char in ("e", "E", "f", "F", "g", "G", "n", "%"):
        value = float(value)
    return format(value, fmt_spec)


def glued_values(notebook, glue_json: Path | None = None) -> dict[str, dict[str, str]]:
    """``name -> {mime type: data}`` of every value a notebook glued.

    From its outputs (a committed notebook), and from the ``NAME.glue.json`` that MyST-NB writes beside an
    executed notebook, whose outputs it strips of the glued values.
    """
    values = {}
    if glue_json is not None and glue_json.exists():
        for name, output in json.loads(glue_json.read_text()).items():
            values[name] = dict(output.get("data", {}))
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            scrapbook = output.get("metadata", {}).get("scrapbook")
            if scrapbook:
                prefix = scrapbook.get("mime_prefix", MIME_PREFIX)
                values[scrapbook["name"]] = {
                    mime[len(prefix) :]: data
                    for mime, data in output.get("data", {}).items()
                    if mime.startswith(prefix)
                }
    return values


def _plain(bibtex: str) -> str:
    """A BibTeX field as plain text: braces dropped, TeX quotes, dashes and the few accents used."""
    for tex, text in (("{\\o}", "ø"), ("\\o", "ø"), ("``", "“"), ("''", "”"), ("--", "–")):
        bibtex = bibtex.replace(tex, text)
    return bibtex.replace("{", "").replace("}", "")


class Bibliography:
    """The book's bibliography: author-year labels as the book prints them, and one line per work."""

    def __init__(self, bibfile: Path):
        from pybtex.database import parse_file

        self.entries = parse_file(str(bibfile)).entries
        ordered = sorted(self.entries.values(), key=lambda e: e.key)
        labels = AuthorYearLabelStyle().format_labels(ordered)
        self.labels = {entry.key: label for entry, label in zip(ordered, labels)}

    def cite(self, keys: str) -> str:
        parts = []
        for key in (k.strip() for k in keys.split(",")):
            if key not in self.entries:
                raise LaunchError(f"{{cite}} of an unknown key {key!r}")
            url = self.entries[key].fields.get("url")
            parts.append(f"[{self.labels[key]}]({url})" if url else self.labels[key])
        return "[" + "; ".join(parts) + "]"

    def reference(self, key: str) -> str:
        entry = self.entries[key]
        fields = entry.fields
        people = entry.persons.get("author") or []
        names = [" ".join(p.first_names + p.middle_names + p.last_names) for p in people]
        who = ", ".join(names).replace(", others", " et al.")
        who = who or fields.get("organization", "")
        where = fields.get("booktitle") or fields.get("howpublished") or ""
        text = ", ".join(
            _plain(bit)
            for bit in (
                who,
                f"*{fields.get('title', '')}*",
                where,
                fields.get("year", "no date"),
            )
            if bit
        )
        url = fields.get("url")
        return f"- **{self.labels[key]}**: {text}." + (f" <{url}>" if url else "")


class Book:
    """Everything a reference can point to: chapters' titles and the sections' targets."""

    def __init__(self, notebooks: dict[str, nbformat.NotebookNode]):
        self.titles: dict[str, str] = {}
        self.targets: dict[str, tuple[str, str]] = {}  # label -> (chapter, title)
        for stem, notebook in notebooks.items():
            for cell in notebook.cells:
                if cell.cell_type != "markdown":
                    continue
                heading = re.search(r"^# (.+)$", cell.source, re.M)
                if heading and stem not in self.titles:
                    self.titles[stem] = heading.group(1).strip()
                for match in TARGET.finditer(cell.source):
                    after = cell.source[match.end() :].lstrip("\n")
                    title = re.match(r"#+ (.+)", after)
                    self.targets[match.group("label")] = (
                        stem,
                        title.group(1).strip() if title else match.group("label"),
                    )
                for match in DIRECTIVE.finditer(cell.source):
                    for line in match.group("body").splitlines():
                        option = OPTION.match(line)
                        if option and option.group("key") == "name":
                            self.targets[option.group("value").strip()] = (stem, "the figure")


def _text_and_target(content: str) -> tuple[str | None, str]:
    match = re.fullmatch(r"(.*?)\s*<([^>]+)>", content.strip(), re.S)
    return (match.group(1), match.group(2)) if match else (None, content.strip())


class Converter:
    """Turns one chapter's MyST Markdown into plain Markdown."""

    def __init__(self, stem: str, values, book: Book, bibliography: Bibliography):
        self.stem, self.values, self.book, self.bibliography = stem, values, book, bibliography
        self.cited: list[str] = []

    def glued(self, key: str, mime: str) -> str:
        if key not in self.values or mime not in self.values[key]:
            raise LaunchError(f"{self.stem}: no glued {mime} value {key!r}")
        return self.values[key][mime]

    def role(self, match: re.Match) -> str:
        name, content = match.group("name"), match.group("content")
        if name in ("glue", "glue:text"):
            key, _, fmt = content.partition(":")
            return format_plain_text(self.glued(key, "text/plain"), fmt)
        if name == "glue:md":
            key = content.split(":")[0]
            return self.roles(self.glued(key, "text/markdown"))
        if name.startswith("cite"):
            self.cited += [k.strip() for k in content.split(",") if k.strip() not in self.cited]
            return self.bibliography.cite(content)
        if name == "doc":
            text, target = _text_and_target(content)
            stem = target.rstrip("/").split("/")[-1]
            if stem not in self.book.titles:
                raise LaunchError(f"{self.stem}: {{doc}} to {target!r}, not a chapter")
            return f"[{text or self.book.titles[stem]}]({stem}.ipynb)"
        if name in ("ref", "numref"):
            text, label = _text_and_target(content)
            if label not in self.book.targets:
                raise LaunchError(f"{self.stem}: {{{name}}} to an unknown target {label!r}")
            stem, title = self.book.targets[label]
            page = "" if stem == self.stem else f"{stem}.ipynb"
            return f"[{text or title}]({page}#{label})"
        if name == "math":
            return f"${content}$"
        raise LaunchError(f"{self.stem}: the role {{{name}}} has no plain-Markdown form here")

    def roles(self, text: str) -> str:
        return ROLE.sub(self.role, text)

    def directive(self, match: re.Match, attachments: dict) -> str:
        name, argument, body = (
            match.group("name"),
            match.group("argument").strip(),
            match.group("body"),
        )
        options, lines = {}, body.splitlines()
        while lines and OPTION.match(lines[0]):
            option = OPTION.match(lines.pop(0))
            options[option.group("key")] = option.group("value").strip()
        content = self.roles("\n".join(lines).strip())
        anchor = f'<a id="{options["name"]}"></a>\n\n' if "name" in options else ""
        if name == "glue:figure":
            data = self.glued(argument, "image/png")
            attachments[f"{argument}.png"] = {"image/png": data}
            alt = options.get("alt", argument).replace("[", "(").replace("]", ")")
            return f"{anchor}![{alt}](attachment:{argument}.png)\n\n*{content}*"
        if name in ("glue:text", "glue"):
            return format_plain_text(self.glued(argument, "text/plain"), "")
        if name == "glue:md":
            return self.roles(self.glued(argument, "text/markdown"))
        if name == "math":
            return f"{anchor}$$\n{content}\n$$"
        # admonitions and the like: a quoted paragraph under the directive's title
        title = argument or name.capitalize()
        quoted = "\n".join(f"> {line}" if line else ">" for line in content.splitlines())
        return f"{anchor}> **{title}**\n>\n{quoted}"

    def markdown(self, source: str) -> tuple[str, dict]:
        attachments: dict = {}
        text = DIRECTIVE.sub(lambda m: self.directive(m, attachments), source)
        text = TARGET.sub(lambda m: f'<a id="{m.group("label")}"></a>', text)
        return self.roles(text), attachments


def convert(
    stem: str, notebook, values, book: Book, bibliography: Bibliography, provenance: str
) -> nbformat.NotebookNode:
    """The launch notebook of one executed chapter."""
    converter = Converter(stem, values, book, bibliography)
    cells = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            source, attachments = converter.markdown(cell.source)
            new = nbformat.v4.new_markdown_cell(source)
            if attachments:
                new.attachments = attachments
        elif cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(cell.source)
            tags = cell.metadata.get("tags")
            if tags:
                new.metadata["tags"] = list(tags)
        else:
            new = nbformat.v4.new_raw_cell(cell.source)
        cells.append(new)
    references = "\n".join(converter.bibliography.reference(key) for key in converter.cited)
    closing = f"## References\n\n{references}\n\n" if references else ""
    cells.append(nbformat.v4.new_markdown_cell(f"{closing}---\n\n*{provenance}*"))
    launch = nbformat.v4.new_notebook(cells=cells)
    launch.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    launch.metadata["language_info"] = {"name": "python"}
    return launch


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_launch_notebooks(
    executed: Path, out: Path, chapters: list[str] | None = None
) -> list[Path]:
    """Convert every chapter (the stems of ``notebooks/*.py``) found executed in ``executed``."""
    chapters = chapters or sorted(p.stem for p in (ROOT / "notebooks").glob("*.py"))
    notebooks = {}
    for stem in chapters:
        path = executed / f"{stem}.ipynb"
        if not path.exists():
            raise LaunchError(f"no executed notebook {path} (build the book first)")
        notebooks[stem] = nbformat.read(path, as_version=4)
    book = Book(notebooks)
    bibliography = Bibliography(ROOT / "book" / "references.bib")
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    provenance = (
        f"Generated from the book's chapter (commit {commit()}, {date}): the numbers written in the "
        "text are those the book's build computed; running the cells computes them again."
    )
    (out / "notebooks").mkdir(parents=True, exist_ok=True)
    written = []
    for stem, notebook in notebooks.items():
        values = glued_values(notebook, executed / f"{stem}.glue.json")
        launch = convert(stem, notebook, values, book, bibliography, provenance)
        nbformat.validate(launch)
        target = out / "notebooks" / f"{stem}.ipynb"
        nbformat.write(launch, target)
        written.append(target)
    (out / "binder").mkdir(exist_ok=True)
    shutil.copy(ROOT / "binder" / "requirements.txt", out / "binder" / "requirements.txt")
    (out / "README.md").write_text(
        "# Tiny Mechanisms: launch notebooks\n\nPlain-Markdown copies of the book's chapters, "
        "generated by `tools/launch_notebooks.py`; Binder builds `binder/requirements.txt`.\n"
    )
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--executed",
        type=Path,
        default=ROOT / "_build" / "jupyter_execute" / "notebooks",
        help="folder of the executed chapters (default: the book build's; notebooks/ has the committed ones)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "html" / "_launch")
    args = parser.parse_args(argv)
    try:
        written = write_launch_notebooks(args.executed, args.out)
    except LaunchError as error:
        parser.exit(2, f"launch_notebooks: {error}\n")
    print(f"{len(written)} launch notebooks -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
