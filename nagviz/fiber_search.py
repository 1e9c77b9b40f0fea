"""Finding the points of a finite fiber by many restarts, each verified exactly.

:func:`nagviz.fibers.finite_fiber` solves the fiber's polynomial system exactly, which is
only feasible for small systems. For bigger ones :func:`search_fiber` runs a batched
Levenberg-Marquardt solver for ``c(t) = c(theta)`` from many random starts at once, keeps
the runs that converge, merges equal points, and then *verifies each point exactly*: it
is rounded to a nearby rational point, whose coefficients are computed with exact
rational arithmetic (:func:`nagviz.fibers.symbolic_coefficients`) and compared with those
of ``theta``. A search can miss points, so the result is a lower bound for the real
fiber; the points it reports as verified are certainly in the fiber.

Pure mathematics: numpy and sympy only.

Examples
--------
>>> import nagviz
>>> s = search_fiber(nagviz.Architecture((2, 2, 1), "z^3 + z^2"), [1, 2, -1, 3, 2, -1],
...                  restarts=40, seed=0)
>>> s.verified, s.permutation_images
(2, 2)
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ._results import LinesRepr
from .cache import memoize
from .fibers import hidden_permutations, symbolic_coefficients
from .model import Model, as_model

__all__ = ["FiberSearch", "search_fiber"]


@dataclass(frozen=True, repr=False)
class FiberSearch(LinesRepr):
    """Points of a fiber found by restarts (:func:`search_fiber`).

    Attributes
    ----------
    points : tuple of tuples of Fraction
        The distinct points found, rounded to rationals, in a fixed order.
    exact : tuple of bool
        For each point, whether its exact coefficients equal those of ``theta``.
    restarts, converged : int
        Random starts, and how many of them converged to a point of the fiber.
    permutation_images : int
        Verified points that are ``theta`` with its hidden units permuted.
    """

    model: Model
    theta: tuple
    points: tuple = field(repr=False)
    exact: tuple = field(repr=False)
    restarts: int
    converged: int
    permutation_images: int
    seed: int
    seconds: float

    @property
    def verified(self) -> int:
        return int(sum(self.exact))

    @property
    def others(self) -> tuple:
        """Verified points that are not permutations of ``theta``."""
        perms = {tuple(np.asarray(self.theta, dtype=object)[p]) for p in
                 hidden_permutations(self.model)}
        return tuple(p for p, ok in zip(self.points, self.exact) if ok and p not in perms)

    def _lines(self):
        return [f"Fiber search for {self.model.describe()}",
                f"  {self.restarts} random starts (seed {self.seed}), {self.converged} converged",
                f"  distinct points found              {len(self.points)}",
                f"  verified exactly (rational point)  {self.verified}",
                f"  of which hidden-unit permutations  {self.permutation_images}",
                f"  method  batched Levenberg-Marquardt, then exact rational check; a lower "
                f"bound for the fiber, {self.seconds:.1f} s"]


def _lm(cmap, c0, T, iterations):
    """Batched Levenberg-Marquardt on ``||c(t) - c0||^2`` from the rows of ``T``."""
    B, P = T.shape
    lam = np.full(B, 1e-2)
    c = cmap.coefficients(T)
    cost = np.sum((c - c0) ** 2, axis=1)
    eye = np.eye(P)
    with np.errstate(all="ignore"):
        for _ in range(int(iterations)):
            c, J = cmap.coefficients_and_jacobian(T)
            r = c - c0
            JtJ = np.einsum("bmp,bmq->bpq", J, J)
            g = np.einsum("bmp,bm->bp", J, r)
            A = JtJ + lam[:, None, None] * (np.einsum("bpp->bp", JtJ)[:, :, None] * eye + 1e-12 * eye)
            try:
                step = np.linalg.solve(A, g[..., None])[..., 0]
            except np.linalg.LinAlgError:
                step = np.array([np.linalg.lstsq(a, v, rcond=None)[0] for a, v in zip(A, g)])
            trial = T - step
            tc = cmap.coefficients(trial)
            tcost = np.sum((tc - c0) ** 2, axis=1)
            better = np.isfinite(tcost) & (tcost < cost)
            T = np.where(better[:, None], trial, T)
            cost = np.where(better, tcost, cost)
            lam = np.where(better, lam / 3, np.minimum(lam * 4, 1e12))
    return T, cost


def search_fiber(model, theta, *, restarts: int = 200, seed: int = 0, scale: float = 2.0,
                 iterations: int = 150, tol: float = 1e-18,
                 max_denominator: int = 1000) -> FiberSearch:
    """All points of the fiber through ``theta`` that ``restarts`` random starts reach.

    Parameters
    ----------
    model : Model
    theta : sequence of int or Fraction
        A rational parameter point.
    restarts : int
        Gaussian starting points (standard deviation ``scale``), solved as one batch.
    iterations : int
        Levenberg-Marquardt iterations.
    tol : float
        A run has converged when ``||c(t) - c(theta)||^2 < tol * (1 + ||c(theta)||^2)``.
    max_denominator : int
        Converged points are rounded to fractions with denominators up to this, then
        checked exactly.

    Returns
    -------
    FiberSearch

    Examples
    --------
    With biases, each neuron of ``z^3 + z^2`` can be reflected about the inflection
    point of the activation: eight points, not two.

    >>> import nagviz
    >>> s = search_fiber(nagviz.Architecture((2, 2, 1), "z^3 + z^2", bias=True),
    ...                  [1, 2, -1, 3, 1, -2, 2, -1, 1], restarts=200, seed=0)
    >>> s.verified, s.permutation_images
    (8, 2)
    """

    model = as_model(model)
    start = time.perf_counter()
    exact_theta = tuple(Fraction(v).limit_denominator(10**9) if not isinstance(v, Fraction)
                        else v for v in np.asarray(theta, dtype=object).reshape(-1))
    P = model.n_parameters
    if len(exact_theta) != P:
        raise ValueError(f"{model.describe()} has {P} parameters; got {len(exact_theta)}")
    if isinstance(restarts, bool) or not isinstance(restarts, (int, np.integer)) or restarts < 1:
        raise ValueError(f"restarts must be a positive integer, got {restarts!r}")
    found = _search(model, exact_theta, int(restarts), int(seed), float(scale), int(iterations),
                    float(tol), int(max_denominator))
    points = tuple(tuple(Fraction(v) for v in p) for p in found["points"])
    exact = tuple(bool(e) for e in found["exact"])
    perm_images = {tuple(np.asarray(exact_theta, dtype=object)[p])
                   for p in hidden_permutations(model)}
    n_perm = sum(1 for p, e in zip(points, exact) if e and p in perm_images)
    return FiberSearch(model, exact_theta, points, exact, int(restarts),
                       int(found["converged"]), n_perm, int(seed), time.perf_counter() - start)


def _valid_search(value, model, theta, restarts, *args):
    return (isinstance(value, dict) and len(value.get("points", ())) == len(value.get("exact", ()))
            and all(len(p) == len(theta) for p in value["points"])
            and 0 <= value.get("converged", -1) <= restarts)


@memoize("fiber_search.search", disk=True, maxsize=16, validate=_valid_search)
def _search(model, theta, restarts, seed, scale, iterations, tol, max_denominator):
    """The restarts and exact checks of :func:`search_fiber` (memoized, on disk too): the
    points as fractions written ``"p/q"``, whether each is exactly in the fiber, and how
    many runs converged."""
    import sympy

    cmap = model.coefficient_map()
    th = np.array([float(v) for v in theta])
    c0 = np.asarray(cmap.coefficients(th[None]))[0].real
    rng = np.random.default_rng(seed)
    T, cost = _lm(cmap, c0, scale * rng.standard_normal((restarts, len(theta))), iterations)
    ok = cost < tol * (1 + c0 @ c0)
    found = []
    for t in T[ok]:
        if not any(np.abs(t - u).max() < 1e-6 * (1 + np.abs(u).max()) for u in found):
            found.append(t)
    coeffs, syms = symbolic_coefficients(model)
    # each coefficient as its terms (exponents, Fraction): evaluated in exact rational arithmetic
    terms = [[(m, Fraction(int(c.p), int(c.q))) for m, c in sympy.Poly(e, *syms).terms()]
             for e in coeffs]

    def exact_coefficients(point):
        return [sum((c * math.prod(x ** k for x, k in zip(point, m) if k) for m, c in poly),
                    Fraction(0)) for poly in terms]

    target = exact_coefficients(theta)
    points, exact = [], []
    for t in sorted(found, key=lambda u: tuple(np.round(u, 9))):
        q = tuple(Fraction(float(v)).limit_denominator(max_denominator) for v in t)
        points.append([str(v) for v in q])
        exact.append(exact_coefficients(q) == target)
    return {"points": points, "exact": exact, "converged": int(ok.sum())}
