"""Alias: ``python -m tinymech.miiii.train ARGS`` is ``tinymech miiii ARGS`` (see :mod:`tinymech.cli`)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run ``tinymech miiii`` with ``argv``."""
    from tinymech.cli import main as tinymech

    return tinymech(["miiii", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    raise SystemExit(main())
