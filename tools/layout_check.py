"""Check that every page of the built book fits its column at desktop and phone width, in headless Chromium.

    make book && make layout-check        # or: .venv/bin/python tools/layout_check.py _build/html

Each page is loaded in headless Chromium (Debian's ``chromium``) at 1400 px and 420 px wide.  A script added to
a copy of the page waits for MathJax to typeset and then measures, and the tool reads its answer from the
DOM that ``--dump-dom`` prints.  A page **fails** when

- the page itself scrolls sideways (``scrollWidth`` of the document wider than the window), or
- any element of the article (a code cell, a printed output, a table, a formula, a figure, a line of prose)
  reaches past the article's column without a scrolling box around it that holds it (an ancestor with
  ``overflow-x: auto`` or ``scroll``), or is cut off by an ancestor that hides its overflow.

What scrolls inside its own box is allowed and counted (``scrolls``); ``--strict`` also fails a page whose
code cells need a scroll bar at desktop width.  Formulas are measured as typeset only if MathJax loads: the
page asks a CDN for it, so on a machine without internet give a local copy with ``--mathjax`` (for
instance ``npm install mathjax@3`` and ``--mathjax node_modules/mathjax/es5/tex-mml-chtml.js``); without one
the tool says so and measures formulas as their TeX source.  Not part of CI (it needs Chromium).
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

WIDTHS = {"desktop": 1400, "phone": 420}
MATHJAX_CDN = re.compile(r'src="https://cdn\.jsdelivr\.net/npm/mathjax@3/es5/[\w.-]+\.js"')
RESULT = re.compile(r'data-tinymech-layout="([A-Za-z0-9+/=]*)"')

#: Runs in the page: waits for MathJax and the fonts, measures, writes the answer into the DOM.
MEASURE = r"""
<script>
(function () {
  function describe(el) {
    const kind = el.closest(".cell_input") ? "code cell"
      : el.closest("table, .pst-scrollable-table-container") ? "table"
      : el.closest(".cell_output, .output") ? "output"
      : el.closest(".math, mjx-container") ? "formula"
      : el.closest("figure, img") ? "figure" : "prose or other";
    const section = el.closest("section[id]");
    const cls = (el.getAttribute("class") || "").split(/\s+/).slice(0, 2).join(".");
    const text = (el.textContent || el.getAttribute("alt") || "").replace(/\s+/g, " ").trim().slice(0, 70);
    return {kind: kind, section: section ? section.id : "", element: el.tagName.toLowerCase() + (cls ? "." + cls : ""), text: text};
  }
  function measure() {
    const doc = document.documentElement;
    const result = {width: doc.clientWidth, pageScrollWidth: doc.scrollWidth, failures: [], scrolls: [],
                    mathjax: !document.querySelector('script[src*="mathjax"]')
                      || !!(window.MathJax && window.MathJax.startup && window.MathJax.typesetPromise)};
    const column = document.querySelector(".bd-article") || document.querySelector("main") || document.body;
    const col = column.getBoundingClientRect();
    if (doc.scrollWidth > doc.clientWidth + 1) {
      for (const el of document.body.querySelectorAll("*")) {
        const r = el.getBoundingClientRect();
        if (r.width && r.right > doc.clientWidth + 1 && !el.parentElement.closest("[data-lc-page]")) {
          el.setAttribute("data-lc-page", "1");
          result.failures.push(Object.assign(describe(el), {problem: "page scrolls sideways", px: Math.round(r.right - doc.clientWidth)}));
        }
      }
    }
    for (const el of column.querySelectorAll("*")) {
      if (el.parentElement && el.parentElement.closest("[data-lc]")) continue;
      if (el.closest("mjx-assistive-mml")) continue;  // MathJax's copy for screen readers, clipped away
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height) continue;
      let holder = null;
      for (let a = el.parentElement; a && a !== column; a = a.parentElement) {
        const style = getComputedStyle(a).overflowX;
        if (style !== "visible") { holder = {el: a, style: style}; break; }
      }
      if (holder && (holder.style === "auto" || holder.style === "scroll")) continue;
      const box = holder ? holder.el.getBoundingClientRect() : col;
      const over = Math.max(r.right - box.right, box.left - r.left);
      if (over > 1) {
        el.setAttribute("data-lc", "1");
        result.failures.push(Object.assign(describe(el), {
          problem: holder ? "cut off by <" + describe(holder.el).element + "> that hides its overflow"
            : "reaches past the column",
          px: Math.round(over)}));
      }
    }
    const scrollers = column.querySelectorAll(
      ".cell_input pre, .cell_output pre, .cell_output, .pst-scrollable-table-container, table, div.math, mjx-container");
    for (const el of scrollers) {
      const style = getComputedStyle(el).overflowX;
      if ((style === "auto" || style === "scroll") && el.scrollWidth > el.clientWidth + 1
          && !(el.parentElement && el.parentElement.closest(".lc-scrolls"))) {
        el.classList.add("lc-scrolls");
        result.scrolls.push(Object.assign(describe(el), {px: el.scrollWidth - el.clientWidth}));
      }
    }
    const json = JSON.stringify(result);
    document.body.setAttribute("data-tinymech-layout", btoa(unescape(encodeURIComponent(json))));
  }
  window.addEventListener("load", function () {
    const typeset = (window.MathJax && window.MathJax.startup && window.MathJax.startup.promise)
      || Promise.resolve();
    typeset.then(function () { return document.fonts.ready; })
      .then(function () { return new Promise(function (done) { setTimeout(done, 500); }); })
      .then(measure, measure);
  });
})();
</script>
"""


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("the layout check needs Chromium: apt-get install chromium (Debian)")


def pages(html: Path) -> list[Path]:
    return sorted(
        p
        for p in html.rglob("*.html")
        if not any(
            part.startswith("_") or part.startswith(".") for part in p.relative_to(html).parts
        )
        and p.name not in ("search.html", "genindex.html")
        and 'http-equiv="refresh"'
        not in p.read_text(encoding="utf-8")[:2000].lower()  # redirect
    )


def measure(browser: str, page: Path, width: int, mathjax: Path | None) -> dict:
    """Load a copy of ``page`` (beside it, so that its links resolve) and return the script's answer."""
    html = page.read_text(encoding="utf-8")
    if mathjax is not None:
        html = MATHJAX_CDN.sub(f'src="{mathjax.resolve().as_uri()}"', html)
    html = html.replace("</body>", MEASURE + "</body>")
    copy = page.with_name(f".layout-check-{width}-{page.name}")
    copy.write_text(html, encoding="utf-8")
    try:
        with tempfile.TemporaryDirectory() as profile:
            done = subprocess.run(
                [
                    browser,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--hide-scrollbars",
                    "--allow-file-access-from-files",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--no-first-run",
                    f"--user-data-dir={profile}",
                    f"--window-size={width},1000",
                    "--virtual-time-budget=30000",
                    "--dump-dom",
                    copy.resolve().as_uri(),
                ],
                capture_output=True,
                text=True,
                timeout=180,
            )
    finally:
        copy.unlink(missing_ok=True)
    found = RESULT.search(done.stdout)
    if not found:
        raise RuntimeError(f"{page}: no measurement came back (chromium: {done.stderr[-400:]})")
    return json.loads(base64.b64decode(found.group(1)).decode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path, help="the built book, e.g. _build/html")
    parser.add_argument("--mathjax", type=Path, help="a local tex-mml-chtml.js (MathJax 3)")
    parser.add_argument(
        "--strict", action="store_true", help="also fail code cells that scroll at 1400 px"
    )
    parser.add_argument("--json", type=Path, help="write every measurement to this file")
    args = parser.parse_args(argv)
    if not (args.html / "index.html").exists():
        parser.error(f"no built book at {args.html} (run make book first)")
    if args.mathjax is not None and not args.mathjax.exists():
        parser.error(f"no MathJax file at {args.mathjax}")
    browser = chromium()
    report, failed = {}, 0
    for name, width in WIDTHS.items():
        for page in pages(args.html):
            where = f"{page.relative_to(args.html)} at {width} px"
            result = measure(browser, page, width, args.mathjax)
            report[where] = result
            failures = list(result["failures"])
            code_scrolls = [s for s in result["scrolls"] if s["kind"] == "code cell"]
            if args.strict and name == "desktop":
                failures += [
                    dict(s, problem="code cell scrolls at desktop width") for s in code_scrolls
                ]
            kinds = {}
            for item in result["scrolls"]:
                kinds[item["kind"]] = kinds.get(item["kind"], 0) + 1
            scrolls = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "nothing"
            math = "" if result["mathjax"] else " (MathJax did not load: formulas unmeasured)"
            status = "FAIL" if failures else "ok"
            print(
                f"{status:4} {where}: {len(failures)} overflowing; scrolls inside: {scrolls}{math}"
            )
            for item in failures:
                print(
                    f"       {item['problem']} by {item['px']} px: {item['kind']} "
                    f"<{item['element']}> in #{item['section']}: {item['text']!r}"
                )
            failed += bool(failures)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(f"{failed} of {len(report)} page renderings fail")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
