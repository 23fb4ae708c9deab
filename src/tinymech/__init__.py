"""Tiny Mechanisms: reproducible reverse-engineering of tiny neural networks.

Each chapter of the book is backed by a module (or subpackage) here; see README.md.
"""

__version__ = "0.1.0"
