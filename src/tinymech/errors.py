"""The two exception types of the public API.

Every error that a user can cause says what was expected and what was found.  The command line turns
both into one line on stderr and exit status 2.

- :class:`InvalidInputError`: a bad argument: an unknown name, a wrong shape, non-finite weights, a
  setting outside its range, a model that a method does not apply to.
- :class:`ResultError`: a stored result that is missing, corrupted or edited, or an output path that
  would overwrite something or cannot be written.

Both subclass :class:`ValueError`, so ``except ValueError`` keeps working for callers that do not care
which.
"""

from __future__ import annotations


class TinymechError(ValueError):
    """Base class of the errors this package raises on purpose."""


class InvalidInputError(TinymechError):
    """An argument, model or setting that the function cannot accept (the message says why)."""


class ResultError(TinymechError):
    """A stored result that is missing, corrupted or edited, or an output that cannot be written safely."""
