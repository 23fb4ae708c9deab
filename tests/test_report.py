"""The one verdict rule, the claims table and glue's precision rule."""

from __future__ import annotations

import pytest

from tinymech.errors import InvalidInputError
from tinymech.report import (
    AT_OUR_SETTINGS,
    FINDINGS,
    RULE,
    VERDICTS,
    MET,
    NOT_MET,
    NULL_MET,
    PARTLY,
    Claims,
    ClaimsTable,
    VERDICT_STYLE,
    Seeds,
    finding,
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
    assert (
        verdict(Measurement(0.95, 0.01), criterion, null=Measurement(0.93, 0.01))
        == "not discriminative"
    )
    assert (
        verdict(Measurement(0.95, 0.01), criterion, null=Measurement(0.2, 0.01)) == "reproduced"
    )
    assert verdict(Measurement(0.85), criterion, partial=at_least(0.8)) == "partly"
    assert (
        verdict(Measurement(0.3), criterion, partial=at_least(0.8), refuted_if=at_most(0.5))
        == "refuted"
    )
    assert (
        verdict(Measurement(0.6), criterion, partial=at_least(0.8), refuted_if=at_most(0.5))
        == "differs"
    )
    assert set(FINDINGS) == {
        "reproduced",
        "partly",
        "differs",
        "refuted",
        "not discriminative",
        "not tested",
    }


def test_ours_failing_is_differs_whatever_the_null_does():
    criterion = at_least(0.9, z=0)
    # the null passing does not make our failure "uninformative"
    assert verdict(Measurement(0.47), criterion, null=Measurement(0.93)) == "differs"
    assert verdict(Measurement(0.47), criterion, null=Measurement(0.1)) == "differs"
    assert (
        verdict(Measurement(0.47), criterion, null=Measurement(0.93), refuted_if=at_most(0.5))
        == "refuted"
    )


def test_other_settings_are_said_and_never_refuted():
    criterion, opposite = at_least(0.9, z=0), at_most(0.5, z=0)
    lr = "lr 3e-3 instead of 3e-4"
    assert (
        verdict(Measurement(0.3), criterion, refuted_if=opposite, setting_differs=lr)
        == "differs at our settings"
    )
    assert (
        verdict(Measurement(0.95), criterion, setting_differs=lr)
        == "reproduced at our settings"
    )
    assert (
        verdict(Measurement(0.85), criterion, partial=at_least(0.8), setting_differs=lr)
        == "partly at our settings"
    )
    assert (
        verdict(Measurement(0.95), criterion, null=Measurement(0.95), setting_differs=lr)
        == "not discriminative at our settings"
    )
    assert verdict(None, criterion, setting_differs=lr) == "not tested"
    assert finding("differs at our settings") == "differs"
    assert all(finding(word) in FINDINGS for word in VERDICTS)
    row = Claim(
        "x",
        "arc2026algzoo",
        "“y”",
        Measurement(0.3),
        criterion,
        refuted_if=opposite,
        setting_differs=lr,
    )
    line = ClaimsTable([row])._repr_markdown_().splitlines()[-1]
    assert lr in line and "refuted" not in line


def test_the_printed_rule_matches_the_code():
    """Each step of RULE, as the first page prints it, is the verdict of a case built to fit its words."""
    c = at_least(0.9, z=0)
    cases = {
        "not tested": verdict(None, c),
        "reproduced": verdict(Measurement(1.0), c, null=Measurement(0.1)),
        "not discriminative": verdict(Measurement(1.0), c, null=Measurement(1.0)),
        "partly": verdict(Measurement(0.85), c, partial=at_least(0.8, z=0)),
        "refuted": verdict(Measurement(0.1), c, refuted_if=at_most(0.5, z=0)),
        "differs": verdict(Measurement(0.85), c, null=Measurement(1.0)),
    }
    assert [word for word, _ in RULE[:-1]] == list(cases) and all(
        word == got for word, got in cases.items()
    )
    assert RULE[-1][0].endswith(AT_OUR_SETTINGS.strip()) and "never refuted" in RULE[-1][1]
    assert [word for word, _ in RULE[:-1]] == sorted(FINDINGS, key=[w for w, _ in RULE].index)


def test_seeds_turn_a_count_into_the_verdict():
    c = at_least(2.0, z=0)
    labels = ("000", "001", "002", "003", "004")
    every = Seeds(tuple(Measurement(v) for v in (2.5, 2.1, 3.0, 2.2, 2.9)), labels)
    some = Seeds(tuple(Measurement(v) for v in (2.5, 1.9, 3.0, 1.2, 2.9)), labels)
    none = Seeds(tuple(Measurement(v) for v in (1.5, 1.9, 1.0, 1.2, 0.9)), labels)
    assert every.count(c) == 5 and some.count(c) == 3 and none.count(c) == 0
    assert verdict(every, c) == "reproduced"
    assert verdict(some, c) == "partly"
    assert verdict(none, c) == "differs"
    null_most = Seeds(tuple(Measurement(v) for v in (2.5, 2.5, 2.5, 0.0, 0.0)), labels)
    null_few = Seeds(tuple(Measurement(v) for v in (2.5, 2.5, 0.0, 0.0, 0.0)), labels)
    assert verdict(every, c, null=null_most) == "not discriminative"
    assert verdict(every, c, null=null_few) == "reproduced"
    # seeds that meet the criterion only as often as the null control does are no partial support
    assert (
        verdict(some, c, null=null_most) == "differs"
        and verdict(some, c, null=null_few) == "partly"
    )
    text = (
        ClaimsTable(
            [Claim("r", "phasewheel2026", "“~2”", some, c, null=null_few, null_label="random")]
        )
        ._repr_markdown_()
        .splitlines()[-1]
    )
    assert (
        "3 of 5 seeds meet it" in text
        and "001: 1.9" in text
        and "meets the criterion on 2 of 5 seeds" in text
    )
    with pytest.raises(InvalidInputError, match="one label per measurement"):
        Seeds((Measurement(1.0),), ("000", "001"))


def test_margins_give_the_distance_and_the_threshold_that_flips_the_verdict():
    distance, flip = at_least(0.84, z=0).margin_of(Measurement(0.859))
    assert (
        distance == pytest.approx(0.019) and flip == "threshold 0.859"
    )  # not rounded onto 0.86
    distance, flip = at_least(0.9, z=2).margin_of(Measurement(0.95, 0.01))
    assert distance == pytest.approx(0.03) and flip == "threshold 0.930"
    distance, flip = at_most(0.1, z=0).margin_of(Measurement(0.25))
    assert distance == pytest.approx(-0.15) and flip == "threshold 0.25"
    distance, flip = within(1.0, 0.1, z=0).margin_of(Measurement(1.25))
    assert distance == pytest.approx(-0.15) and flip == "tolerance 0.25"
    distance, flip = between(1.5, 2.5, z=0).margin_of(Measurement(3.04))
    assert distance == pytest.approx(-0.54) and flip == "upper bound 3.04"
    assert is_true().margin_of(Measurement(1)) is None
    # the sign of the margin agrees with the test, for every helper
    for criterion in (at_least(0.5), at_most(0.5), within(0.5, 0.1), between(0.3, 0.6)):
        for value in (0.0, 0.35, 0.5, 0.65, 1.0):
            m = Measurement(value, 0.01)
            assert criterion.holds(m) == (criterion.margin_of(m)[0] >= 0), (
                criterion.description,
                value,
            )
    assert (
        at_least(0.9, z=0).margin_text(Measurement(0.95))
        == "margin +0.050; flips at threshold 0.950"
    )


def test_criteria_account_for_the_uncertainty():
    assert not at_least(0.9, z=2).holds(Measurement(0.91, 0.01))  # 0.91 - 2 * 0.01 < 0.9
    assert at_least(0.9, z=0).holds(Measurement(0.91, 0.01))
    assert at_most(0.1, z=2).holds(Measurement(0.05, 0.02))
    assert not at_most(0.1, z=2).holds(Measurement(0.07, 0.02))
    assert within(1.0, 0.1, z=2).holds(Measurement(1.25, 0.1))  # |0.25| <= 0.1 + 0.2
    assert not within(1.0, 0.1, z=2).holds(Measurement(1.35, 0.1))
    assert between(0.7, 0.9, z=0).holds(Measurement(0.8)) and not between(0.7, 0.9, z=0).holds(
        Measurement(0.95)
    )
    assert is_true().holds(Measurement(1)) and not is_true().holds(Measurement(0))
    assert "≥ 0.9 by 2 SE" == at_least(0.9).description


def test_measurement_text_follows_its_uncertainty():
    assert Measurement(0.990391, 0.000190).show() == "0.9904 ± 0.0002"
    assert Measurement(0.123456789).show() == "0.1235"
    assert Measurement(1234).show() == "1,234"
    assert Measurement(3.0, text="3 of 4 seeds").show() == "3 of 4 seeds"
    with pytest.raises(InvalidInputError, match="non-negative"):
        Measurement(1.0, -0.1)


def test_claims_tables_render_verdict_first_with_symbols_a_legend_and_counts(monkeypatch):
    glued = {}
    monkeypatch.setattr(
        "myst_nb.glue", lambda name, value, display=False: glued.__setitem__(name, value)
    )
    claims = Claims()
    claims.add(
        Claim("a", "arc2026algzoo", "“~1/13,000”", Measurement(0.95, 0.01), at_least(0.9))
    )
    claims.add(
        Claim(
            "b",
            "arc2026algzoo, phasewheel2026",
            "“1/4”",
            Measurement(0.3),
            within(0.25, 0.1),
            null=Measurement(0.28),
            null_label="random RNNs",
        ),
        not_tested("c", "sharma2026temporal", "“dense regime”", "needs a GPU"),
        Claim(
            "d",
            "sharma2026temporal",
            "—",
            Measurement(0.2),
            at_least(0.9),
            further="the book's hypothesis",
        ),
        Claim(
            "e",
            "aeoptfailure2025",
            "“1”",
            Measurement(0.2),
            at_least(0.9),
            setting_differs="lr 1e-3",
        ),
    )
    tables = claims.tables()
    text = tables._repr_markdown_()
    sources, further = text.split("**Further checks")
    lines = [line for line in sources.splitlines() if line.startswith("|")]
    assert lines[0] == "| verdict | claim | source says | ours | null control | criterion |"
    assert (
        len(lines) == 2 + 4
        and sources.count("Verdicts: ") == 1
        and further.count("Verdicts: ") == 1
    )
    assert lines[2].startswith("| {bdg-success}`✓ reproduced` | a |")
    assert "{cite:p}`arc2026algzoo` {cite:p}`phasewheel2026`" in lines[3]
    assert (
        "random RNNs: 0.28 (meets the criterion)" in lines[3]
        and "`○ not discriminative`" in lines[3]
    )
    assert "`– not tested`" in lines[4] and "needs a GPU" in lines[4]
    assert "`△✗ differs at our settings`" in lines[5] and "at our settings: lr 1e-3" in lines[5]
    assert "| d (the book's hypothesis) |" in further and "`✗ differs`" in further
    symbols = [VERDICT_STYLE[word][1] for word in FINDINGS]
    assert len(set(symbols)) == len(symbols)  # told apart without colour
    assert tables.verdicts == [
        "reproduced",
        "not discriminative",
        "not tested",
        "differs at our settings",
        "differs",
    ]
    assert (
        glued["claims_count_reproduced"] == 1 and glued["claims_count_not_discriminative"] == 1
    )
    assert glued["claims_count_differs"] == 0 and glued["claims_count_total"] == 4
    assert (
        glued["claims_count_at_our_settings"] == 1
        and glued["claims_count_at_our_settings_detail"] == "1 differs"
    )
    assert glued["further_count_total"] == 1 and glued["further_count_differs"] == 1
    with pytest.raises(InvalidInputError):
        claims_table([])
    with pytest.raises(InvalidInputError, match="already registered"):
        claims.add(Claim("a", "arc2026algzoo", "“x”", Measurement(1), is_true()))
    with pytest.raises(InvalidInputError):
        verdict_badge("maybe")


def test_a_pipe_in_a_cell_does_not_break_the_table():
    row = Claim("x | y", "arc2026algzoo", "a|b", Measurement(1), is_true())
    assert ClaimsTableCells(row) == 6


def ClaimsTableCells(row) -> int:  # noqa: N802 - helper
    from tinymech.report import ClaimsTable

    line = ClaimsTable([row])._repr_markdown_().splitlines()[-1]
    return len([c for c in line.replace("\\|", "").split("|")[1:-1]])


def test_glue_without_myst_nb_prints_the_rounded_value(monkeypatch, capsys):
    """A launched notebook (Colab, Binder) has no MyST-NB: glue shows the value instead of failing."""
    import sys

    # `from myst_nb import glue` raises ImportError
    monkeypatch.setitem(sys.modules, "myst_nb", None)
    glue("a", 0.123456, digits=3)
    glue("c", 7)
    assert capsys.readouterr().out == "a = 0.123\nc = 7\n"
    with pytest.raises(InvalidInputError, match="needs exactly one of"):
        glue("e", 0.5)


def test_glue_refuses_floats_without_precision_and_rounds_them(monkeypatch):
    glued = {}
    monkeypatch.setattr(
        "myst_nb.glue", lambda name, value, display=False: glued.__setitem__(name, value)
    )
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
    assert text.splitlines() == [
        "**Seeds**",
        "",
        "| n | rate |",
        "|---|---|",
        "| 6 | 68.5% |",
        "| 7 | — |",
    ]
    with pytest.raises(InvalidInputError, match="every row needs 2 cells"):
        Table(["n", "rate"], [[1]])


def test_a_custom_criterion_is_a_function_of_value_and_uncertainty():
    criterion = Criterion(
        "ratio within a factor 2 of 13,000", lambda v, u: 13_000 / 2 <= v <= 13_000 * 2
    )
    assert verdict(Measurement(8748), criterion) == "reproduced"
    assert verdict(Measurement(5000), criterion) == "differs"


def test_one_claim_at_several_settings_is_one_row_decided_at_the_closest_setting():
    criterion = at_least(0.5, z=0)
    row = Claim(
        "resampling revives the dead feature",
        "aeoptfailure2025",
        "“x”",
        Measurement(0.6),
        criterion,
        other_settings=(("lr 1e-3", Measurement(0.0)), ("lr 1e-2", Measurement(1.0))),
    )
    assert row.verdict == "reproduced"
    line = ClaimsTable([row])._repr_markdown_().splitlines()[-1]
    assert "other settings: lr 1e-3: 0 (fails); lr 1e-2: 1 (meets)" in line
    assert len(Claims([row]).rows) == 1


def test_a_register_lists_claims_by_finding_and_by_seed_count():
    c = at_least(1.0, z=0)
    labels = ("a", "b")
    claims = Claims(
        [
            Claim("every", "x", "“q”", Seeds((Measurement(1), Measurement(2)), labels), c),
            Claim("some", "x", "“q”", Seeds((Measurement(1), Measurement(0)), labels), c),
            Claim("none", "x", "“q”", Seeds((Measurement(0), Measurement(0)), labels), c),
            Claim("null too", "x", "“q”", Measurement(1), c, null=Measurement(1)),
            Claim("mine", "x", "—", Measurement(1), c, further="the book's"),
        ]
    )
    assert claims.names(MET) == ["every"] and claims.names(PARTLY) == ["some"]
    assert claims.names(NOT_MET) == ["none"] and claims.names(NULL_MET) == ["null too"]
    assert claims.by_seed_count() == {"every": ["every"], "some": ["some"], "none": ["none"]}
    with pytest.raises(InvalidInputError, match="unknown findings"):
        claims.names(["passed"])


def test_margins_are_printed_without_python_e_notation():
    text = at_least(1e4, z=0).margin_text(Measurement(1.1e20))
    assert "e+" not in text and "10²⁰" in text


def test_the_first_page_prints_the_rule_of_the_code_and_counts_every_finding():
    from pathlib import Path

    intro = (Path(__file__).resolve().parents[1] / "book" / "intro.md").read_text()
    for word, words in RULE:
        assert f"- **{word}**: {words}" in intro, (
            f"the first page's rule differs from RULE at {word!r}"
        )
    for prefix in ("claims_count", "further_count"):
        for key in [w.replace(" ", "_") for w in FINDINGS] + ["at_our_settings", "total"]:
            assert f"{{claims-total}}`{prefix}_{key}`" in intro, (prefix, key)
    assert "pre-registered" not in intro.replace("not fixed in advance", "")


def test_a_register_puts_the_rows_measured_on_our_seeds_at_our_settings():
    from tinymech.report import Claims

    labels = ("000", "001")
    c = at_least(1.0, z=0)
    claims = Claims(seeds_setting="two models trained here; the source analyses its own file")
    claims.add(
        Claim("per seed", "x", "“q”", Seeds((Measurement(1), Measurement(1)), labels), c),
        Claim("one model", "x", "“q”", Measurement(1), c),
        Claim(
            "own words",
            "x",
            "“q”",
            Seeds((Measurement(1), Measurement(1)), labels),
            c,
            setting_differs="another budget",
        ),
    )
    assert [r.verdict for r in claims.rows] == [
        "reproduced at our settings",
        "reproduced",
        "reproduced at our settings",
    ]
    assert (
        claims.rows[0].setting_differs.startswith("two models")
        and claims.rows[2].setting_differs == "another budget"
    )


def test_an_other_setting_that_its_null_control_also_passes_says_so():
    c = at_least(0.5, z=0)
    row = Claim(
        "x",
        "arc2026algzoo",
        "“q”",
        Measurement(0.2),
        c,
        other_settings=(
            ("lr a", Measurement(0.9), None, Measurement(0.95)),
            ("lr b", Measurement(0.9), None, Measurement(0.1)),
            ("lr c", Measurement(0.1)),
        ),
    )
    text = ClaimsTable([row])._repr_markdown_()
    assert "lr a: 0.9 (meets, and so does its null control: not discriminative)" in text
    assert "lr b: 0.9 (meets)" in text and "lr c: 0.1 (fails)" in text
