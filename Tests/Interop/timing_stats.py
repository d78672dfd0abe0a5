"""Two-sample statistics for timing tests and scripts/bench password: whether two sets of call
durations could come from one distribution (Kolmogorov–Smirnov), and how their spreads compare.
Written out here so the tests need nothing beyond the standard library."""
import bisect
import math
import statistics


def ks_statistic(first, second):
    """The two-sample Kolmogorov–Smirnov statistic D: the largest gap between the two empirical
    distribution functions (0 = identical, 1 = disjoint)."""
    a, b = sorted(first), sorted(second)
    gap = 0.0
    for value in a + b:
        gap = max(gap, abs(bisect.bisect_right(a, value) / len(a) - bisect.bisect_right(b, value) / len(b)))
    return gap


def ks_p_value(statistic, n, m):
    """The asymptotic p-value of D for samples of n and m (Numerical Recipes' kstwo form)."""
    effective = math.sqrt(n * m / (n + m))
    lam = (effective + 0.12 + 0.11 / effective) * statistic
    if lam < 1e-3:
        return 1.0
    total, sign = 0.0, 1.0
    for k in range(1, 101):
        term = sign * math.exp(-2.0 * k * k * lam * lam)
        total += term
        if abs(term) < 1e-12:
            break
        sign = -sign
    return max(0.0, min(1.0, 2.0 * total))


def ks_critical(n, m, alpha=0.01):
    """The D above which two samples of n and m differ at level alpha."""
    return math.sqrt(-math.log(alpha / 2) / 2) * math.sqrt((n + m) / (n * m))


def interquartile_range(values):
    quartiles = statistics.quantiles(values, n=4)
    return quartiles[2] - quartiles[0]


def centred(values):
    """`values` minus their median: the shape of a distribution without its position."""
    middle = statistics.median(values)
    return [value - middle for value in values]
