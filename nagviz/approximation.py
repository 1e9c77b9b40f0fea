"""Polynomial approximation of ReLU and tanh on an interval.

Neuroalgebraic geometry studies polynomial activations; networks in practice use ReLU or
tanh. On a bounded interval (where the pre-activations of a trained network live) both
are limits of polynomials, and a network with a polynomial activation of high degree
computes nearly the same function as the ReLU or tanh network with the same weights.
This module measures how fast, in two standard ways:

* **least squares**: the orthogonal projection onto polynomials of degree ``n`` in
  ``L^2(interval)`` (a Legendre series; integrals by Gauss-Legendre quadrature on the
  pieces where the target is smooth, so they are exact to rounding);
* **Chebyshev**: interpolation at the ``n + 1`` Chebyshev points, within a small factor
  of the best uniform approximation.

For ``tanh`` (analytic near the interval) the error falls geometrically with the
degree; for ``ReLU`` (a kink at 0) only like ``1/n``: halving the error doubles the
degree, and with it the degree of the network's output polynomials.

Pure mathematics: no plotting or widget imports.

Examples
--------
>>> a = approximate("relu", 8, "chebyshev")
>>> a
PolynomialApproximation(relu, degree 8, chebyshev on [-1.0, 1.0]): max error 0.0335, L2 error 0.0228
>>> round(float(a(0.5)), 3)
0.517
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from numbers import Integral

import numpy as np
from .cache import memoize
from numpy.polynomial import Chebyshev, Legendre, Polynomial

__all__ = [
    "TARGETS",
    "METHODS",
    "PolynomialApproximation",
    "ErrorCurve",
    "approximate",
    "approximation_errors",
    "degree_for_accuracy",
]


def _relu(x):
    return np.maximum(x, 0.0)


#: the functions approximated, with the points where they are not smooth
TARGETS = {"relu": (_relu, (0.0,)), "tanh": (np.tanh, ()), "abs": (np.abs, (0.0,))}
METHODS = ("least squares", "chebyshev")
_MAX_DEGREE = 400


def _check_target(target) -> str:
    if target not in TARGETS:
        raise ValueError(f"target must be one of {', '.join(TARGETS)}, got {target!r}")
    return target


def _check_method(method) -> str:
    if method not in METHODS:
        raise ValueError(f"method must be 'least squares' or 'chebyshev', got {method!r}")
    return method


def _check_degree(degree) -> int:
    if isinstance(degree, bool) or not isinstance(degree, (Integral, np.integer)) \
            or not 0 <= degree <= _MAX_DEGREE:
        raise ValueError(f"the degree must be an integer between 0 and {_MAX_DEGREE}, got {degree!r}")
    return int(degree)


def _check_interval(interval) -> tuple[float, float]:
    try:
        a, b = (float(v) for v in interval)
    except (TypeError, ValueError):
        raise ValueError(f"interval must be (a, b), got {interval!r}") from None
    if not (np.isfinite([a, b]).all() and a < b):
        raise ValueError(f"interval must be (a, b) with a < b, got {interval!r}")
    return a, b


def _pieces(target, interval):
    a, b = interval
    cuts = [a] + [c for c in TARGETS[target][1] if a < c < b] + [b]
    return list(zip(cuts[:-1], cuts[1:]))


@memoize(maxsize=16)
def _gauss_legendre(nodes: int):
    return np.polynomial.legendre.leggauss(nodes)


def _quadrature(target, interval, degree):
    """Nodes and weights of Gauss-Legendre quadrature on each smooth piece.

    With ``k`` nodes the rule is exact for polynomials of degree below ``2k``: the
    integrands are products of two polynomials of degree ``degree`` on the pieces of
    ReLU, and smooth (tanh) otherwise, where 40 extra nodes reach rounding level.
    """
    nodes = 32 * (1 + (degree + 40) // 32)                # few distinct sizes, cached
    t, w = _gauss_legendre(nodes)
    xs, ws = [], []
    for lo, hi in _pieces(target, interval):
        xs.append(lo + (hi - lo) * (t + 1) / 2)
        ws.append(w * (hi - lo) / 2)
    return np.concatenate(xs), np.concatenate(ws)


@dataclass(frozen=True, repr=False)
class PolynomialApproximation:
    """A polynomial approximation of ``target`` on ``interval``.

    Attributes
    ----------
    target : str
        ``"relu"``, ``"tanh"`` or ``"abs"``.
    degree : int
    method : str
        ``"least squares"`` or ``"chebyshev"``.
    interval : tuple of float
    coefficients : numpy array
        Power-basis coefficients in ``x`` (``coefficients[k]`` multiplies ``x^k``).
    max_error : float
        ``max |target - p|`` over the interval (on 20001 points and the kinks).
    l2_error : float
        ``(integral over the interval of (target - p)^2)^(1/2)``.
    """

    target: str
    degree: int
    method: str
    interval: tuple
    series: object
    max_error: float
    l2_error: float

    @property
    def coefficients(self) -> np.ndarray:
        a, b = self.interval
        return self.series.convert(kind=Polynomial, domain=[a, b], window=[a, b]).coef

    def __call__(self, x):
        return self.series(np.asarray(x, dtype=float))

    def __repr__(self) -> str:
        a, b = self.interval
        return (f"PolynomialApproximation({self.target}, degree {self.degree}, {self.method} on "
                f"[{a}, {b}]): max error {self.max_error:.3g}, L2 error {self.l2_error:.3g}")

    def to_activation(self, digits: int = 6):
        """The polynomial as a :class:`nagviz.Activation`, coefficients rounded to ``digits``
        decimals (the exact engine needs rational coefficients).

        Examples
        --------
        >>> str(approximate("relu", 2, "least squares").to_activation(5))   # 3/32 + x/2 + 15 x^2/32
        '(15/32)*z^2 + (1/2)*z + 3/32'
        """
        from .activation import Activation

        coeffs = [Fraction(round(float(c), digits)).limit_denominator(10 ** digits)
                  for c in self.coefficients]
        while len(coeffs) > 2 and coeffs[-1] == 0:   # a top coefficient lost to rounding
            coeffs.pop()
        return Activation(tuple(coeffs))


def approximate(target: str, degree: int, method: str = "chebyshev",
                interval=(-1.0, 1.0)) -> PolynomialApproximation:
    """Approximate ``target`` by a polynomial of ``degree`` on ``interval``.

    Parameters
    ----------
    target : {"relu", "tanh", "abs"}
    degree : int
        Between 0 and 400.
    method : {"chebyshev", "least squares"}
    interval : (a, b), default (-1, 1)

    Examples
    --------
    >>> approximate("tanh", 9, "least squares").max_error < 1e-4
    True
    >>> approximate("relu", 1, "least squares").coefficients.round(4).tolist()   # 1/4 + x/2
    [0.25, 0.5]
    """
    target, method = _check_target(target), _check_method(method)
    degree, interval = _check_degree(degree), _check_interval(interval)
    f = TARGETS[target][0]
    a, b = interval
    if method == "chebyshev":
        series = Chebyshev.interpolate(f, degree, domain=[a, b])
    else:
        x, w = _quadrature(target, interval, degree)
        t = (2 * x - a - b) / (b - a)                       # the Legendre window [-1, 1]
        V = np.polynomial.legendre.legvander(t, degree)      # (nodes, degree + 1)
        norms = 2.0 / (2 * np.arange(degree + 1) + 1)        # integral of P_k^2 over [-1, 1]
        coef = (V * (w * f(x))[:, None]).sum(axis=0) * 2 / (b - a) / norms
        series = Legendre(coef, domain=[a, b])
    grid = np.concatenate([np.linspace(a, b, 20001), [c for c in TARGETS[target][1] if a < c < b]])
    max_error = float(np.abs(f(grid) - series(grid)).max())
    x, w = _quadrature(target, interval, degree)
    l2_error = float(np.sqrt(np.dot(w, (f(x) - series(x)) ** 2)))
    return PolynomialApproximation(target=target, degree=degree, method=method, interval=interval,
                                   series=series, max_error=max_error, l2_error=l2_error)


@dataclass(frozen=True, repr=False)
class ErrorCurve:
    """Errors of :func:`approximate` over degrees, for each method."""

    target: str
    interval: tuple
    degrees: tuple
    max_errors: dict      # method -> array over degrees
    l2_errors: dict

    def plot(self, ax=None, kind: str = "max"):
        """Error against degree per method, with matplotlib (:func:`nagviz.plotting.plot_error_curve`); returns the matplotlib axes."""
        from .plotting import plot_error_curve

        return plot_error_curve(self, ax=ax, kind=kind)

    def __repr__(self) -> str:
        head = f"ErrorCurve({self.target} on {list(self.interval)}): max error by degree"
        rows = [f"  {m:>13}: " + ", ".join(f"{n}: {e:.2g}" for n, e in zip(self.degrees, errs))
                for m, errs in self.max_errors.items()]
        return "\n".join([head] + rows)


def approximation_errors(target: str, degrees, methods=METHODS, interval=(-1.0, 1.0)) -> ErrorCurve:
    """Max and L2 errors of each method for each degree.

    Examples
    --------
    >>> c = approximation_errors("relu", [2, 4, 8, 16])
    >>> bool(np.all(np.diff(c.l2_errors["least squares"]) < 0))   # projections only improve
    True
    """
    target, interval = _check_target(target), _check_interval(interval)
    degrees = tuple(_check_degree(n) for n in degrees)
    methods = tuple(_check_method(m) for m in methods)
    fits = {m: [approximate(target, n, m, interval) for n in degrees] for m in methods}
    return ErrorCurve(target=target, interval=interval, degrees=degrees,
                      max_errors={m: np.array([a.max_error for a in fits[m]]) for m in methods},
                      l2_errors={m: np.array([a.l2_error for a in fits[m]]) for m in methods})


def degree_for_accuracy(target: str, tolerance: float, method: str = "chebyshev",
                        interval=(-1.0, 1.0), max_degree: int = _MAX_DEGREE) -> int:
    """The smallest degree whose maximum error on ``interval`` is at most ``tolerance``.

    Examples
    --------
    >>> degree_for_accuracy("tanh", 1e-3), degree_for_accuracy("relu", 1e-2)
    (5, 30)
    """
    target, method = _check_target(target), _check_method(method)
    tolerance = float(tolerance)
    if not np.isfinite(tolerance) or tolerance <= 0:
        raise ValueError(f"the tolerance must be a positive number, got {tolerance!r}")
    max_degree = _check_degree(max_degree)
    for n in range(max_degree + 1):
        if approximate(target, n, method, interval).max_error <= tolerance:
            return n
    raise ValueError(f"no degree up to {max_degree} approximates {target} within {tolerance:g} by "
                     f"{method}; ask for a larger tolerance")
