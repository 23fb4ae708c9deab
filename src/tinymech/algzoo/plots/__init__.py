"""Figures of the AlgZoo chapters, one module per chapter (:mod:`.m2_2`, :mod:`.m4_3`, :mod:`.m16_10`).

Each function draws one figure of its chapter from numbers the chapter has computed and returns the
:class:`matplotlib.figure.Figure`; the chapter glues or shows it.  Styling is the book's
(:func:`tinymech.style.use_book_style`).
"""
