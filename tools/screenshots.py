"""Render every page of the built book with headless Chromium at desktop and phone width, for reviewers.

    make book && make screenshots        # PNGs under _build/screenshots/{desktop,phone}/

Needs Debian's ``chromium`` package (``apt-get install chromium``); not part of CI.  Each page is rendered at
1400 px (desktop) and 420 px (phone) wide, full height up to ``--max-height`` pixels.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

WIDTHS = {"desktop": 1400, "phone": 420}


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit(
        "screenshots need Chromium: apt-get install chromium (Debian) or put chromium on PATH"
    )


def screenshot(browser: str, page: Path, output: Path, width: int, height: int) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={output}",
                page.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path, help="the built book, e.g. _build/html")
    parser.add_argument("--output", type=Path, default=Path("_build/screenshots"))
    parser.add_argument("--max-height", type=int, default=16000)
    args = parser.parse_args(argv)
    if not (args.html / "index.html").exists():
        parser.error(f"no built book at {args.html} (run make book first)")
    browser = chromium()
    pages = sorted(
        p
        for p in args.html.rglob("*.html")
        if not any(part.startswith("_") for part in p.relative_to(args.html).parts)
        and p.name not in ("search.html", "genindex.html")
    )
    for name, width in WIDTHS.items():
        folder = args.output / name
        folder.mkdir(parents=True, exist_ok=True)
        for page in pages:
            target = folder / (
                str(page.relative_to(args.html).with_suffix("")).replace("/", "__") + ".png"
            )
            screenshot(browser, page, target, width, args.max_height)
            print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
