"""The one computation behind each benchmark figure the book glues on several pages (no timing asserted)."""

from __future__ import annotations

import json
import math

import pytest

from tinymech.algzoo.exact import exact_accuracy
from tinymech.algzoo.zoo import load_model
from tinymech.benchmarks import (
    BOOK_BENCHMARKS,
    exact_m4_3_cost,
    exact_samples_to_match,
    run_single_benchmark,
    samples_to_match,
)
from tinymech.errors import InvalidInputError, ResultError


def test_samples_to_match_is_p_one_minus_p_over_the_squared_bound():
    for name in ("m2_2", "m4_3"):
        match = exact_samples_to_match(name)
        assert match.accuracy == pytest.approx(
            exact_accuracy(load_model(name)), abs=match.error_bound
        )
        assert match.samples == pytest.approx(
            match.accuracy * (1 - match.accuracy) / match.error_bound**2, rel=1e-12
        )
        assert match.samples == samples_to_match(match.accuracy, match.error_bound**2)
        # a bound of one unit past the digits shown: a power of ten, far above float64's rounding
        assert math.log10(match.error_bound) == round(math.log10(match.error_bound))
        assert match.error_bound > 1e3 * 2.2e-16
    with pytest.raises(InvalidInputError, match="sequence length 2 or 3"):
        exact_samples_to_match("m16_10")


def test_the_committed_exact_m4_3_cost_is_consistent(tmp_path):
    cost = exact_m4_3_cost()
    assert cost["operations_equal"] and cost["max_difference"] < 1e-12
    assert cost["models"] == 257 and 30_000 < cost["operations_per_model"] < 45_000
    assert cost["speed_up"] == pytest.approx(
        cost["one_model_seconds"] / cost["batched_seconds"]
    )
    assert "book/benchmarks.json" in cost["source"]
    missing = tmp_path / "figures.json"
    missing.write_text(json.dumps({"machine": {}}))
    with pytest.raises(ResultError, match="no m4_3_exact_ensemble entry"):
        exact_m4_3_cost(missing)
    with pytest.raises(InvalidInputError, match="unknown benchmark"):
        run_single_benchmark("nope")
    with pytest.raises(ResultError, match="does not exist"):
        run_single_benchmark("m4_3_exact_ensemble", output=tmp_path / "absent.json", write=True)
    assert BOOK_BENCHMARKS.is_file()
