"""Sphinx extension: launch buttons and download link to the plain launch notebooks, provenance in the footer.

- **Launch notebooks.**  ``tools/launch_notebooks.py`` (run by ``make book`` after the build) writes
  plain-Markdown copies of the chapters under ``_launch/notebooks/`` of the built site; the book's workflow
  publishes that folder to the repository's branch ``launch_notebooks_branch`` (default ``launch``), whose
  root also holds ``binder/requirements.txt``.  This extension points the theme's Binder and Colab buttons
  at those copies on that branch, and the download menu's ``.ipynb`` entry at the copy in the site.
- **The install cell.**  A chapter's first code cell (tagged ``install``) installs the package on Colab or
  Binder; on the page it is shown under the chapter's title rather than above it.
- **Provenance.**  Every page's footer says which commit was built and when (``SOURCE_DATE_EPOCH`` if set,
  else the build's time, UTC), and for a chapter how long its execution took (MyST-NB's execution data);
  it links to the page with the execution table of every chapter (``provenance_page``).
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone
from html import escape
from pathlib import Path
from urllib.parse import quote

from docutils import nodes

LAUNCH_FOLDER = "_launch"


def _git(root: Path, *args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def _build_time() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc)


def record_provenance(app) -> None:
    root = Path(app.srcdir)
    sha = _git(root, "rev-parse", "--short=12", "HEAD") or "unknown"
    dirty = bool(_git(root, "status", "--porcelain", "--untracked-files=no"))
    app.env.tinymech_provenance = {
        "commit": sha + (" with uncommitted changes" if dirty else ""),
        "date": _build_time().strftime("%Y-%m-%d %H:%M UTC"),
    }


def move_install_cell(app, doctree) -> None:
    """Put a chapter's install cell (tag ``install``) under its title when it comes before it."""
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or section.parent is not doctree:
        return
    for node in list(doctree.children):
        if node is section:
            break
        if isinstance(node, nodes.container) and "tag_install" in node.get("classes", []):
            doctree.remove(node)
            title_index = next(
                (
                    i
                    for i, child in enumerate(section.children)
                    if isinstance(child, nodes.title)
                ),
                0,
            )
            section.insert(title_index + 1, node)


def _launch_urls(app, stem: str) -> dict[str, str]:
    options = app.config.html_theme_options
    url = options.get("repository_url", "").rstrip("/")
    if "github.com/" not in url:
        return {}
    org, repo = url.split("github.com/")[-1].split("/")[:2]
    branch = quote(app.config.launch_notebooks_branch)
    path = f"notebooks/{stem}.ipynb"
    launch = options.get("launch_buttons", {})
    interface = {"classic": "tree", "jupyterlab": "lab/tree"}[
        launch.get("notebook_interface", "classic")
    ]
    urls = {}
    if launch.get("binderhub_url"):
        urls["Binder"] = (
            f"{launch['binderhub_url'].rstrip('/')}/v2/gh/{org}/{repo}/{branch}"
            f"?urlpath={interface}/{path}"
        )
    if launch.get("colab_url"):
        urls["Colab"] = (
            f"{launch['colab_url'].rstrip('/')}/github/{org}/{repo}/blob/{branch}/{path}"
        )
    return urls


def _exec_seconds(app, pagename: str) -> float | None:
    try:
        from myst_nb.sphinx_ import NbMetadataCollector
    except ImportError:
        return None
    data = NbMetadataCollector.get_exec_data(app.env, pagename) if pagename else None
    if not data or data.get("runtime") is None:
        return None
    return float(data["runtime"])


def page_context(app, pagename, templatename, context, doctree) -> None:
    pathto = context["pathto"]
    if pagename.startswith("notebooks/"):
        stem = pagename.split("/", 1)[1]
        urls = _launch_urls(app, stem)
        download = f"{pathto(LAUNCH_FOLDER, 1)}/notebooks/{stem}.ipynb"
        for group in context.get("header_buttons", []):
            for button in group.get("buttons", []):
                if group.get("label") == "launch-buttons" and button.get("text") in urls:
                    button["url"] = urls[button["text"]]
            if group.get("label") == "download-buttons":
                buttons = [
                    b for b in group["buttons"] if b.get("label") != "download-notebook-button"
                ]
                buttons.insert(
                    0,
                    {
                        "type": "link",
                        "url": download,
                        "text": ".ipynb",
                        "icon": "fas fa-code",
                        "tooltip": "Download the notebook (plain Markdown, values written in)",
                        "label": "download-notebook-button",
                    },
                )
                group["buttons"] = buttons
    provenance = getattr(app.env, "tinymech_provenance", None)
    if provenance:
        seconds = _exec_seconds(app, pagename)
        ran = (
            f" This page's notebook executed in {seconds:.1f} s." if seconds is not None else ""
        )
        link = pathto(app.config.provenance_page)
        context["theme_extra_footer"] = (
            f'<p class="tinymech-provenance">Built {escape(provenance["date"])} from commit '
            f"<code>{escape(provenance['commit'])}</code>.{ran} "
            f'<a href="{link}">Execution time of every chapter</a>.</p>'
        )


def setup(app):
    app.add_config_value("launch_notebooks_branch", "launch", "html")
    app.add_config_value("provenance_page", "book/provenance", "html")
    app.connect("builder-inited", record_provenance)
    app.connect("doctree-read", move_install_cell)
    app.connect("html-page-context", page_context, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
