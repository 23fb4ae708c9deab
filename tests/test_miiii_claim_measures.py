"""Tests of tinymech.miiii.claim_measures: one claim statistic per claim, on both committed run sets."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from tinymech.errors import InvalidInputError
from tinymech.miiii import grokking
from tinymech.miiii.claim_measures import RUN_KINDS, measure_claims
from tinymech.catalog import load

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def paper_scale():
    return {kind: load(f"miiii/{kind}_p113_d256")[0] for kind in RUN_KINDS}


def test_the_order_gap_of_the_small_moduli_is_negative_when_one_overtakes(paper_scale):
    measures = measure_claims(paper_scale)
    half = {q: e for q, e in zip(measures.moduli, measures.epochs_half)}
    # the gap is the smallest difference of consecutive halfway epochs in the order 2, 3, 5, 7
    expected = min(half[3] - half[2], half[5] - half[3], half[7] - half[5])
    assert measures.small_order_gap == expected
    assert (measures.small_order_gap > 0) == (measures.order[:4] == [2, 3, 5, 7])


def test_an_unfinished_run_gives_a_lower_bound_on_the_slower_ratio(paper_scale):
    measures = measure_claims(paper_scale)
    assert measures.n_generalised < len(measures.moduli)
    assert math.isnan(measures.all_half) and measures.slower_ratio_is_bound
    assert measures.slower_ratio == pytest.approx(
        measures.epochs["miiii"] / measures.nanda_half
    )
    # the wall test then ends at the run's last epoch, and the paper's epochs past it are absent
    assert max(measures.paper_wall) <= measures.epochs["miiii"]
    assert measures.epochs["miiii"] < measures.horizon == 65536


def test_the_measures_are_those_of_the_chapters_functions():
    runs = {kind: load(f"miiii/{kind}_p47_d128")[0] for kind in RUN_KINDS}
    measures = measure_claims(runs)
    moduli = [int(q) for q in runs["miiii"]["moduli"]]
    half = grokking.generalisation_epochs(runs["miiii"]["log"], moduli)
    np.testing.assert_array_equal(measures.epochs_half, half)
    assert measures.n_generalised == len(moduli) and not measures.slower_ratio_is_bound
    assert measures.slower_ratio == pytest.approx(half.max() / measures.nanda_half)
    assert measures.masked_overlap <= 4 and measures.rho_n == sum(q >= 11 for q in moduli)


def test_runs_of_two_bases_or_a_missing_run_are_refused(paper_scale):
    with pytest.raises(InvalidInputError, match="missing"):
        measure_claims({kind: paper_scale[kind] for kind in ("miiii", "nanda", "basis")})
    mixed = dict(paper_scale, nanda=load("miiii/nanda_p47_d128")[0])
    with pytest.raises(InvalidInputError, match="share one p"):
        measure_claims(mixed)


def test_the_correlation_standard_error_is_the_null_spread_of_pearson_r():
    from tinymech.miiii.fourier import correlation_standard_error

    rng = np.random.default_rng(3)
    r = [
        np.corrcoef(rng.standard_normal(256), rng.standard_normal(256))[0, 1]
        for _ in range(4000)
    ]
    assert np.std(r) == pytest.approx(correlation_standard_error(0.0, 256), rel=0.05)
    assert correlation_standard_error(1.0, 10) == 0.0
    with pytest.raises(InvalidInputError):
        correlation_standard_error(0.5, 2)
