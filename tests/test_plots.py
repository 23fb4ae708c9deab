"""The chapters' figure functions: they draw what they are given and refuse what they cannot draw."""

from __future__ import annotations

import math
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from tinymech.algzoo.plots import m2_2
from tinymech.errors import InvalidInputError


def _pieces():
    return [
        SimpleNamespace(start=-math.pi / 2, end=math.pi / 4, colour="green"),
        SimpleNamespace(start=math.pi / 4, end=math.pi, colour="yellow"),
        SimpleNamespace(start=math.pi, end=3 * math.pi / 2, colour="blue"),
    ]


def test_the_sectors_figure_draws_one_wedge_per_piece_and_one_bar_per_offset():
    fig = m2_2.sectors_figure(_pieces(), [math.pi / 4 + 1e-4], [1e-4, -2e-4])
    disk, zoom = fig.axes
    assert len(disk.patches) == 3
    assert [p.get_facecolor()[:3] for p in disk.patches] == [
        matplotlib.colors.to_rgb(m2_2.COLOURS[c]) for c in ("green", "yellow", "blue")
    ]
    widths = sorted(bar.get_width() for bar in zoom.patches)
    assert widths == pytest.approx([-2e-4 * 2**11, 1e-4 * 2**11])
    plt.close(fig)


def test_the_sectors_figure_refuses_an_unknown_colour_and_empty_input():
    with pytest.raises(InvalidInputError, match="unknown colour"):
        m2_2.sectors_figure([SimpleNamespace(start=0, end=1, colour="red")], [], [0.1])
    with pytest.raises(InvalidInputError, match="at least one piece"):
        m2_2.sectors_figure([], [], [])
