"""The one verdict rule, the claims table and glue's precision rule."""

from __future__ import annotations

import pytest

from tinymech.errors import InvalidInputError
from tinymech.report import (
    VERDICTS,
    Claim,
    Criterion,
    Measurement,
    Table,
    at_least,
    at_most,
    between,
    claims_table,
    glue,
    is_true,
    not_tested,
    verdict,
    verdict_badge,
    within,
)


def test_every_branch_of_the_rule():
    criterion = at_least(0.9, z=2)
    assert verdict(None, criterion) == "not tested"
    assert verdict(Measurement(0.95, 0.01), criterion) == "reproduced"
    assert verdict(Measurement(0.95, 0.01), criterion, null=Measurement(0.93, 0.01)) == "not discriminative"
    assert verdict(Measurement(0.5), criterion, null=Measurement(0.93)) == "not discriminative"  # whatever ours is
    assert verdict(Measurement(0.95, 0.01), criterion, null=Measurement(0.2, 0.01)) == "reproduced"
    assert verdict(Measurement(0.85), criterion, partial=at_least(0.8)) == "partly"
    assert verdict(Measurement(0.3), criterion, partial=at_least(0.8), refuted_if=at_most(0.5)) == "refuted"
    assert verdict(Measurement(0.6), criterion, partial=at_least(0.8), refuted_if=at_most(0.5)) == "differs"
    assert set(VERDICTS) == {"reproduced", "partly", "differs", "refuted", "not discriminative", "not tested"}


def test_criteria_account_for_the_uncertainty():
    assert not at_least(0.9, z=2).holds(Measurement(0.91, 0.01))  # 0.91 - 2 * 0.01 < 0.9
    assert at_least(0.9, z=0).holds(Measurement(0.91, 0.01))
    assert at_most(0.1, z=2).holds(Measurement(0.05, 0.02))
    assert not at_most(0.1, z=2).holds(Measurement(0.07, 0.02))
    assert within(1.0, 0.1, z=2).holds(Measurement(1.25, 0.1))  # |0.25| <= 0.1 + 0.2
    assert not within(1.0, 0.1, z=2).holds(Measurement(1.35, 0.1))
    assert between(0.7, 0.9, z=0).holds(Measurement(0.8)) and not between(0.7, 0.9, z=0).holds(Measurement(0.95))
    assert is_true().holds(Measurement(1)) and not is_true().holds(Measurement(0))
    assert "≥ 0.9 by 2 SE" == at_least(0.9).description


def test_measurement_text_follows_its_uncertainty():
    assert Measurement(0.990391, 0.000190).show() == "0.9904 ± 0.0002"
    assert Measurement(0.123456789).show() == "0.1235"
    assert Measurement(1234).show() == "1,234"
    assert Measurement(3.0, text="3 of 4 seeds").show() == "3 of 4 seeds"
    with pytest.raises(InvalidInputError, match="non-negative"):
        Measurement(1.0, -0.1)


def test_claims_table_renders_a_myst_table_with_badges_and_counts(monkeypatch):
    glued = {}
    monkeypatch.setattr("myst_nb.glue", lambda name, value, display=False: glued.__setitem__(name, value))
    rows = [Claim("a", "arc2026algzoo", "~1/13,000", Measurement(0.95, 0.01), at_least(0.9)),
            Claim("b", "arc2026algzoo, phasewheel2026", "1/4", Measurement(0.3), within(0.25, 0.1),
                  null=Measurement(0.28), null_label="random RNNs"),
            not_tested("c", "sharma2026temporal", "dense regime", "needs a GPU")]
    table = claims_table(rows)
    text = table._repr_markdown_()
    lines = text.splitlines()
    assert lines[0] == "| claim | source says | ours | null control | criterion | verdict |"
    assert len(lines) == 2 + len(rows)
    assert "{bdg-success}`reproduced`" in lines[2]
    assert "{cite:p}`arc2026algzoo` {cite:p}`phasewheel2026`" in lines[3] and "random RNNs: 0.28" in lines[3]
    assert "{bdg-light}`not tested`" in lines[4] and "needs a GPU" in lines[4]
    assert table.verdicts == ["reproduced", "not discriminative", "not tested"]
    assert glued["claims_count_reproduced"] == 1 and glued["claims_count_not_discriminative"] == 1
    assert glued["claims_count_differs"] == 0 and glued["claims_count_total"] == 3
    with pytest.raises(InvalidInputError):
        claims_table([])
    with pytest.raises(InvalidInputError):
        verdict_badge("maybe")


def test_a_pipe_in_a_cell_does_not_break_the_table():
    row = Claim("x | y", "arc2026algzoo", "a|b", Measurement(1), is_true())
    assert ClaimsTableCells(row) == 6


def ClaimsTableCells(row) -> int:  # noqa: N802 - helper
    from tinymech.report import ClaimsTable

    line = ClaimsTable([row])._repr_markdown_().splitlines()[-1]
    return len([c for c in line.replace("\\|", "").split("|")[1:-1]])


def test_glue_refuses_floats_without_precision_and_rounds_them(monkeypatch):
    glued = {}
    monkeypatch.setattr("myst_nb.glue", lambda name, value, display=False: glued.__setitem__(name, value))
    glue("a", 0.123456, digits=3)
    glue("b", 0.990391, error=0.00019)
    glue("c", 7)
    glue("d", "text")
    assert glued == {"a": 0.123, "b": 0.9904, "c": 7, "d": "text"}
    with pytest.raises(InvalidInputError, match="needs exactly one of"):
        glue("e", 0.5)
    with pytest.raises(InvalidInputError, match="needs exactly one of"):
        glue("e", 0.5, digits=2, error=0.1)
    with pytest.raises(InvalidInputError, match="not finite"):
        glue("e", float("inf"), digits=2)
    with pytest.raises(InvalidInputError, match="floats only"):
        glue("e", 3, digits=2)


def test_result_tables_render_dashes_for_missing_cells():
    text = Table(["n", "rate"], [[6, "68.5%"], [7, None]], caption="Seeds")._repr_markdown_()
    assert text.splitlines() == ["**Seeds**", "", "| n | rate |", "|---|---|", "| 6 | 68.5% |", "| 7 | — |"]
    with pytest.raises(InvalidInputError, match="every row needs 2 cells"):
        Table(["n", "rate"], [[1]])


def test_a_custom_criterion_is_a_function_of_value_and_uncertainty():
    criterion = Criterion("ratio within a factor 2 of 13,000", lambda v, u: 13_000 / 2 <= v <= 13_000 * 2)
    assert verdict(Measurement(8748), criterion) == "reproduced"
    assert verdict(Measurement(5000), criterion) == "differs"
