"""Statistics of repeated experiments: the interval every reported fraction carries.

Each experiment in the course (how many gradient-descent runs end trapped, how
many random targets have real critical points, ...) reports a count ``k`` out
of ``n`` runs together with a 95% confidence interval for the underlying
probability.  The interval is Wilson's score interval: unlike the textbook
``p +- 1.96 sqrt(p(1-p)/n)`` it stays inside ``[0, 1]`` and is not empty at
``k = 0`` or ``k = n``, where most of our interesting counts sit.

This module is pure mathematics (no plotting imports).
"""

from __future__ import annotations

import math
import numbers

__all__ = ["Z_95", "wilson_interval"]

#: the two-sided 95% quantile of the standard normal distribution
Z_95 = 1.959964


def wilson_interval(k: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval (95% by default) for ``k`` successes in ``n`` trials.

    With ``n = 0`` there is no information and the interval is ``(0, 1)``.

    Examples
    --------
    >>> tuple(round(x, 3) for x in wilson_interval(0, 100))
    (0.0, 0.037)
    >>> tuple(round(x, 3) for x in wilson_interval(30, 100))
    (0.219, 0.396)
    >>> wilson_interval(0, 0)
    (0.0, 1.0)
    """
    for name, value in (("k", k), ("n", n)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(f"wilson_interval needs whole numbers of runs; got {name}={value!r}")
    k, n = int(k), int(n)
    if n < 0 or not 0 <= k <= max(n, 0):
        raise ValueError(f"wilson_interval needs 0 <= k <= n; got k={k}, n={n}")
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = 0.0 if k == 0 else max(0.0, centre - half)      # exact at the edges
    hi = 1.0 if k == n else min(1.0, centre + half)
    return (lo, hi)
