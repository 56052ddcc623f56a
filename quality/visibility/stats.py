"""Small, tested statistics for the visibility report: intervals, exact tests, multiple testing.

Everything works on counts (never on client records). Functions accept numpy arrays where that is
cheap, so a report with thousands of cells is computed without a Python loop per cell, except for
the exact tests, which are only used where counts are small.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats as sps
from scipy.special import gammaln

Z95 = 1.959963984540054  # two-sided 95%


def wilson_interval(events, trials, z: float = Z95):
    """Wilson score interval for a proportion. Arrays allowed; trials == 0 gives (nan, nan)."""
    events = np.asarray(events, dtype=float)
    trials = np.asarray(trials, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = events / trials
        denominator = 1 + z**2 / trials
        centre = (p + z**2 / (2 * trials)) / denominator
        half = z * np.sqrt(p * (1 - p) / trials + z**2 / (4 * trials**2)) / denominator
    return centre - half, centre + half


def poisson_rate_interval(events, exposure, confidence: float = 0.95):
    """Exact (Garwood) interval for a Poisson rate events / exposure. Arrays allowed."""
    events = np.asarray(events, dtype=float)
    exposure = np.asarray(exposure, dtype=float)
    alpha = 1 - confidence
    lower = np.where(events > 0, sps.chi2.ppf(alpha / 2, 2 * events) / 2, 0.0)
    upper = sps.chi2.ppf(1 - alpha / 2, 2 * (events + 1)) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        return lower / exposure, upper / exposure


def fisher_exact_p(a: int, b: int, c: int, d: int) -> float:
    """Two-sided Fisher's exact test for [[a, b], [c, d]] (same p as scipy.stats.fisher_exact)."""
    return float(fisher_exact_many([a], [b], [c], [d])[0])


def fisher_exact_many(a, b, c, d, budget: int = 2_000_000) -> np.ndarray:
    """Two-sided Fisher's exact p for many 2×2 tables at once.

    Sums the hypergeometric probabilities no larger than the observed one over each table's
    support, with log-gamma on padded arrays; tables are sorted by support length and processed in
    chunks of at most `budget` cells, so memory stays bounded. The report runs thousands of small
    tables, where a Python call per table would cost more than the arithmetic.
    """
    a, b, c, d = (np.asarray(x, dtype=np.int64).ravel() for x in (a, b, c, d))
    row, column = a + b, a + c
    total = row + c + d
    low = np.maximum(0, column - (total - row))
    high = np.minimum(row, column)
    length = high - low + 1
    constant = (
        gammaln(row + 1)
        + gammaln(total - row + 1)
        + gammaln(column + 1)
        + gammaln(total - column + 1)
        - gammaln(total + 1)
    )
    order = np.argsort(length, kind="stable")
    p = np.empty(a.size)
    start = 0
    while start < order.size:
        end = min(order.size, start + max(1, budget // int(length[order[start]])))
        while end - start > 1 and int(length[order[end - 1]]) * (end - start) > budget:
            end = start + (end - start) // 2
        idx = order[start:end]
        x = low[idx, None] + np.arange(int(length[idx].max()))[None, :]
        valid = x <= high[idx, None]
        x = np.where(valid, x, low[idx, None])
        r, k, n = row[idx, None], column[idx, None], total[idx, None]
        log_pmf = (
            constant[idx, None]
            - gammaln(x + 1)
            - gammaln(r - x + 1)
            - gammaln(k - x + 1)
            - gammaln(n - r - k + x + 1)
        )
        observed = log_pmf[np.arange(idx.size), a[idx] - low[idx]]
        keep = valid & (log_pmf <= observed[:, None] + 1e-7)
        p[idx] = np.minimum(1.0, np.where(keep, np.exp(log_pmf), 0.0).sum(axis=1))
        start = end
    return p


def two_proportion_p(events_1, trials_1, events_2, trials_2):
    """Two-sided pooled z-test (chi-square without correction) for p1 == p2. Arrays allowed."""
    e1, n1, e2, n2 = (np.asarray(x, dtype=float) for x in (events_1, trials_1, events_2, trials_2))
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = (e1 + e2) / (n1 + n2)
        se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = np.where(se > 0, (e1 / n1 - e2 / n2) / se, 0.0)
    return 2 * sps.norm.sf(np.abs(z))


def proportion_p_values(events_1, trials_1, events_2, trials_2, min_expected: float = 5.0):
    """p for p1 == p2: Fisher's exact test where any expected cell count is below `min_expected`,
    the z-test elsewhere. Returns (p, used_exact)."""
    e1, n1, e2, n2 = (np.asarray(x, dtype=float) for x in (events_1, trials_1, events_2, trials_2))
    p = two_proportion_p(e1, n1, e2, n2)
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = (e1 + e2) / (n1 + n2)
        smallest_expected = np.minimum.reduce(
            [n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled)]
        )
    exact = smallest_expected < min_expected
    if exact.any():
        p[exact] = fisher_exact_many(
            e1[exact], n1[exact] - e1[exact], e2[exact], n2[exact] - e2[exact]
        )
    return p, exact


def rate_p_values(events_1, exposure_1, events_2, exposure_2, min_events: float = 20.0):
    """p for rate1 == rate2, conditional on the total number of events: group events ~
    Binomial(total, share of exposure). Exact binomial test for small totals, normal elsewhere."""
    e1, t1, e2, t2 = (
        np.asarray(x, dtype=float) for x in (events_1, exposure_1, events_2, exposure_2)
    )
    total = e1 + e2
    with np.errstate(invalid="ignore", divide="ignore"):
        share = t1 / (t1 + t2)
        se = np.sqrt(total * share * (1 - share))
        z = np.where(se > 0, (e1 - total * share) / se, 0.0)
    p = 2 * sps.norm.sf(np.abs(z))
    exact = total < min_events
    for i in np.flatnonzero(exact):
        p[i] = (
            1.0
            if total[i] == 0
            else float(sps.binomtest(int(e1[i]), int(total[i]), float(share[i])).pvalue)
        )
    return np.minimum(p, 1.0), exact


def rate_ratio_interval(events_1, exposure_1, events_2, exposure_2, confidence: float = 0.95):
    """Exact conditional interval for rate1 / rate2 (Clopper–Pearson on the binomial share)."""
    e1, t1, e2, t2 = (
        np.asarray(x, dtype=float) for x in (events_1, exposure_1, events_2, exposure_2)
    )
    alpha = 1 - confidence
    total = e1 + e2
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(e1 > 0, sps.beta.ppf(alpha / 2, e1, e2 + 1), 0.0)
        high = np.where(e2 > 0, sps.beta.ppf(1 - alpha / 2, e1 + 1, e2), 1.0)
        scale = t2 / t1
        lower = low / (1 - low) * scale
        upper = np.where(high < 1, high / (1 - high) * scale, np.inf)
    return np.where(total > 0, lower, np.nan), np.where(total > 0, upper, np.nan)


def risk_ratio_interval(events_1, trials_1, events_2, trials_2, z: float = Z95):
    """Katz log interval for p1 / p2 (0.5 added to every cell when one is zero)."""
    e1, n1, e2, n2 = (np.asarray(x, dtype=float) for x in (events_1, trials_1, events_2, trials_2))
    zero = (e1 == 0) | (e2 == 0)
    e1c, e2c = np.where(zero, e1 + 0.5, e1), np.where(zero, e2 + 0.5, e2)
    n1c, n2c = np.where(zero, n1 + 1, n1), np.where(zero, n2 + 1, n2)
    with np.errstate(invalid="ignore", divide="ignore"):
        log_ratio = np.log((e1c / n1c) / (e2c / n2c))
        se = np.sqrt(1 / e1c - 1 / n1c + 1 / e2c - 1 / n2c)
    return np.exp(log_ratio - z * se), np.exp(log_ratio + z * se)


def mantel_haenszel(events_1, size_1, events_2, size_2, kind: str = "proportion", z: float = Z95):
    """Stratified comparison of group (1) with rest (2); strata along the last axis.

    kind "proportion": size = trials, Mantel–Haenszel risk ratio with the Greenland–Robins
    variance and the Cochran–Mantel–Haenszel test (continuity-corrected).
    kind "rate": size = exposure, Mantel–Haenszel rate ratio and the conditional score test.
    Returns (ratio, lower, upper, p), each reduced over the last axis.
    """
    a, n1, c, n0 = (np.asarray(x, dtype=float) for x in (events_1, size_1, events_2, size_2))
    total = n1 + n0
    events = a + c
    with np.errstate(invalid="ignore", divide="ignore"):
        use = total > 0
        r = np.where(use, a * n0 / total, 0).sum(-1)
        s = np.where(use, c * n1 / total, 0).sum(-1)
        ratio = r / s
        if kind == "proportion":
            gr = np.where(use, (n1 * n0 * events - a * c * total) / total**2, 0).sum(-1)
            expected = np.where(use, n1 * events / total, 0).sum(-1)
            variance = np.where(
                total > 1, n1 * n0 * events * (total - events) / (total**2 * (total - 1)), 0
            ).sum(-1)
            statistic = (np.maximum(np.abs(a.sum(-1) - expected) - 0.5, 0)) ** 2 / variance
        else:
            gr = np.where(use, events * n1 * n0 / total**2, 0).sum(-1)
            expected = np.where(use, events * n1 / total, 0).sum(-1)
            variance = gr.copy()
            statistic = (a.sum(-1) - expected) ** 2 / variance
        se = np.sqrt(gr / (r * s))
        p = np.where(variance > 0, sps.chi2.sf(statistic, 1), 1.0)
        return ratio, ratio * np.exp(-z * se), ratio * np.exp(z * se), p


def benjamini_hochberg(p_values) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q), in the input order."""
    p = np.asarray(p_values, dtype=float)
    m = p.size
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    ranked = p[order] * m / np.arange(1, m + 1)
    q_sorted = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(q_sorted, 1.0)
    return q


def interpolated_median(bin_edges: list[float], counts) -> float | None:
    """Median from a histogram: linear interpolation inside the bin that holds the middle client.

    `bin_edges` has one more entry than `counts`; the last edge may be math.inf (then the median,
    if it falls in that open bin, is reported as its lower edge).
    """
    counts = np.asarray(counts, dtype=float)
    total = counts.sum()
    if total <= 0:
        return None
    half = total / 2
    cumulative = np.cumsum(counts)
    index = int(np.searchsorted(cumulative, half))
    lower, upper = bin_edges[index], bin_edges[index + 1]
    if math.isinf(upper):
        return float(lower)
    before = cumulative[index - 1] if index else 0.0
    return float(lower + (half - before) / counts[index] * (upper - lower))


def interpolated_medians(bin_edges: list[float], counts) -> np.ndarray:
    """`interpolated_median` for each row of a 2-D array of histograms (NaN where a row is empty)."""
    counts = np.asarray(counts, dtype=float)
    edges = np.asarray(bin_edges, dtype=float)
    total = counts.sum(axis=1)
    half = total / 2
    cumulative = np.cumsum(counts, axis=1)
    index = np.minimum((cumulative < half[:, None]).sum(axis=1), counts.shape[1] - 1)
    rows = np.arange(counts.shape[0])
    before = np.where(index > 0, cumulative[rows, np.maximum(index - 1, 0)], 0.0)
    lower, upper = edges[index], edges[index + 1]
    in_bin = counts[rows, index]
    with np.errstate(invalid="ignore", divide="ignore"):
        median = np.where(
            np.isinf(upper), lower, lower + (half - before) / in_bin * (upper - lower)
        )
    return np.where(total > 0, median, np.nan)
