"""The statistics of the visibility report against published / textbook values."""

import math

import numpy as np
import pytest

from quality.visibility import stats


def test_wilson_interval_matches_newcombe_examples():
    # Newcombe (1998), Statistics in Medicine 17, table I.
    low, high = stats.wilson_interval(81, 263)
    assert (round(float(low), 4), round(float(high), 4)) == (0.2553, 0.3662)
    low, high = stats.wilson_interval(0, 10)
    assert float(low) == pytest.approx(0, abs=1e-12)
    assert round(float(high), 4) == 0.2775


def test_wilson_interval_is_vectorised():
    low, high = stats.wilson_interval([5, 10], [10, 10])
    assert low.shape == (2,)
    assert round(float(low[0]), 4) == 0.2366 and round(float(high[0]), 4) == 0.7634
    assert float(high[1]) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "events, lower, upper",
    [(0, 0.0, 3.689), (1, 0.0253, 5.572), (10, 4.795, 18.39)],
)
def test_garwood_interval_matches_tables(events, lower, upper):
    low, high = stats.poisson_rate_interval(events, 1.0)
    assert float(low) == pytest.approx(lower, abs=5e-4)
    assert float(high) == pytest.approx(upper, rel=1e-3)


def test_poisson_interval_scales_with_exposure():
    low, high = stats.poisson_rate_interval(10, 20.0)
    assert float(low) == pytest.approx(4.795 / 20, rel=1e-3)
    assert float(high) == pytest.approx(18.39 / 20, rel=1e-3)


def test_fisher_exact_lady_tasting_tea():
    assert stats.fisher_exact_p(3, 1, 1, 3) == pytest.approx(0.4857, abs=1e-4)


@pytest.mark.parametrize(
    "table",
    [(3, 1, 1, 3), (0, 12, 5, 40), (8, 2, 1, 5), (1, 9, 11, 3), (10, 0, 0, 10), (2, 30, 90, 400)],
)
def test_fisher_exact_matches_scipy(table):
    from scipy.stats import fisher_exact

    a, b, c, d = table
    assert stats.fisher_exact_p(a, b, c, d) == pytest.approx(
        fisher_exact([[a, b], [c, d]]).pvalue, rel=1e-6
    )


def test_fisher_exact_many_matches_scipy_in_small_chunks():
    from scipy.stats import fisher_exact

    rng = np.random.default_rng(0)
    tables = rng.integers(0, 60, size=(200, 4))
    p = stats.fisher_exact_many(*tables.T, budget=500)
    expected = [fisher_exact([[a, b], [c, d]]).pvalue for a, b, c, d in tables]
    assert p == pytest.approx(expected, rel=1e-6, abs=1e-12)


def test_proportion_p_uses_fisher_only_for_small_expected_counts():
    p, exact = stats.proportion_p_values([3, 400], [4, 1000], [1, 500], [4, 1000])
    assert exact.tolist() == [True, False]
    assert p[0] == pytest.approx(0.4857, abs=1e-4)
    # 40% vs 50% of 1000 each: pooled 0.45, z = -4.49
    assert p[1] == pytest.approx(6.97e-6, rel=0.01)


def test_benjamini_hochberg_known_example():
    q = stats.benjamini_hochberg([0.01, 0.04, 0.03, 0.005])
    assert q.tolist() == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert stats.benjamini_hochberg([]).size == 0


def test_benjamini_hochberg_is_monotone_and_capped():
    q = stats.benjamini_hochberg([0.9, 0.8, 0.99])
    assert q.max() <= 1.0
    assert q.tolist() == pytest.approx([0.99, 0.99, 0.99])


def test_rate_ratio_interval_and_test_agree_on_equal_rates():
    low, high = stats.rate_ratio_interval(20, 10.0, 40, 20.0)
    assert float(low) < 1 < float(high)
    p, exact = stats.rate_p_values([20], [10.0], [40], [20.0])
    assert p[0] == pytest.approx(1.0)
    assert not exact[0]


def test_rate_test_detects_a_halved_rate():
    p, _exact = stats.rate_p_values([50], [100.0], [400], [400.0])
    assert p[0] < 1e-4
    low, high = stats.rate_ratio_interval(50, 100.0, 400, 400.0)
    assert float(low) < 0.5 < float(high) < 1


def test_risk_ratio_interval_contains_the_ratio():
    low, high = stats.risk_ratio_interval(20, 100, 80, 100)
    assert float(low) < 0.25 < float(high) < 0.4


def test_mantel_haenszel_with_one_stratum_is_the_crude_ratio():
    ratio, low, high, p = stats.mantel_haenszel([[20]], [[100]], [[80]], [[200]])
    assert float(ratio[0]) == pytest.approx((20 / 100) / (80 / 200))
    assert float(low[0]) < float(ratio[0]) < float(high[0])
    assert float(p[0]) < 0.001  # 20% vs 40% of 100 and 200


def test_mantel_haenszel_removes_a_difference_explained_by_strata():
    # Within each stratum group and rest are served alike; the group sits mostly in the worse stratum.
    events_1 = np.array(
        [[45, 9]]
    )  # stratum rates 0.5 and 0.9, like the rest; 90% of the group in A
    size_1 = np.array([[90, 10]])
    events_2 = np.array([[50, 360]])
    size_2 = np.array([[100, 400]])
    crude = (events_1.sum() / size_1.sum()) / (events_2.sum() / size_2.sum())
    assert crude < 0.7
    ratio, low, high, p = stats.mantel_haenszel(events_1, size_1, events_2, size_2)
    assert float(ratio[0]) == pytest.approx(1.0, abs=0.12)
    assert float(p[0]) > 0.05


def test_mantel_haenszel_rates():
    ratio, low, high, p = stats.mantel_haenszel(
        [[10, 10]], [[10.0, 10.0]], [[40, 40]], [[20.0, 20.0]], kind="rate"
    )
    assert float(ratio[0]) == pytest.approx(0.5)
    assert float(high[0]) < 1 and float(p[0]) < 0.01


def test_interpolated_median():
    assert stats.interpolated_median([0, 10, 20, math.inf], [0, 10, 0]) == pytest.approx(15)
    assert stats.interpolated_median([0, 10, math.inf], [1, 5]) == 10
    assert stats.interpolated_median([0, 10], [0]) is None


def test_interpolated_medians_match_the_scalar_version():
    edges = [0, 14, 30, 60, 90, math.inf]
    histograms = np.array(
        [[0, 10, 0, 0, 0], [1, 2, 3, 4, 5], [0, 0, 0, 0, 3], [0, 0, 0, 0, 0], [5, 5, 0, 0, 0]]
    )
    medians = stats.interpolated_medians(edges, histograms)
    for row, median in zip(histograms, medians, strict=True):
        expected = stats.interpolated_median(edges, row)
        assert (np.isnan(median) and expected is None) or median == pytest.approx(expected)
