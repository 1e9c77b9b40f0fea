"""The Wilson interval, recomputed a second way with scipy."""

import pytest
from scipy.stats import binomtest

from nagviz.statistics import wilson_interval


@pytest.mark.parametrize("k, n", [(0, 10), (2, 57), (30, 100), (57, 57), (211, 400), (1, 1200)])
def test_wilson_matches_scipy(k, n):
    ours = wilson_interval(k, n)
    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert ours == pytest.approx((ci.low, ci.high), abs=1e-6)


def test_wilson_edges_and_errors():
    assert wilson_interval(0, 0) == (0.0, 1.0)
    assert wilson_interval(0, 10)[0] == 0.0 and wilson_interval(10, 10)[1] == 1.0
    with pytest.raises(ValueError, match="0 <= k <= n"):
        wilson_interval(5, 3)
    with pytest.raises(ValueError, match="0 <= k <= n"):
        wilson_interval(-1, 3)
    with pytest.raises(TypeError, match="whole numbers"):
        wilson_interval(0.5, 3)
