"""Singular points of M versus critical points of phi, critical exposure, and "never the best fit".

Two notions that notebook 05 keeps apart, each computed exactly (sympy, rational numbers):

* a **critical point of the parameterization** ``phi`` is a parameter point where the
  Jacobian of ``phi`` drops rank;
* a **singular point of the neuromanifold** ``M`` is a function near which ``M`` is not a
  manifold of dimension ``dim M`` (the tangent space of its Zariski closure jumps).

They differ in both directions. :func:`rank_drop_at_smooth_point`: the quadratic network
(2, 2, 1) fills ``R^3``, so every function is a smooth point, yet ``phi`` drops rank at
parameters computing ``x^2``. :func:`cnn_node`: the CNN with filter sizes (2, 2) and
``sigma = z^3 + z^2`` computes ``u sigma(s x_1)`` from two parameter points on different
branches, both of full rank, whose tangent images together span 6 > 4 = dim M: a node.

:func:`critical_exposure_221` makes the dimension count of critical exposure exact for the
(2, 2, 1), ``z^3 + z^2`` network: one-neuron stratum (3) + normal space (4) = ambient (7),
with an exact target for which the dead-neuron point is critical and a nonsingular
subnetwork Hessian, so that every nearby target has a critical dead-neuron point too.
:func:`neuron_directions_span` is the spanning fact behind the theorem that a subnetwork
is never the best fit of a target other than itself. :func:`dead_neuron_saddle` shows that
the dead-neuron trap needs ``sigma'(0) = 0``: otherwise the dead neuron is a strict saddle.

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from math import factorial

import numpy as np

from .architecture import Architecture
from .cache import memoize
from .cnn import CNNArchitecture
from .jacobian_rank import dimension

__all__ = [
    "RankDropAtSmoothPoint",
    "NodeWithoutRankDrop",
    "CriticalExposureResult",
    "SpanningResult",
    "DeadNeuronSaddle",
    "bombieri_weights",
    "rank_drop_at_smooth_point",
    "cnn_node",
    "critical_exposure_221",
    "neuron_directions_span",
    "dead_neuron_saddle",
]


# --------------------------------------------------------------------------- sympy helpers

def _sympy():
    import sympy

    return sympy


def _sigma(activation, z):
    """The activation polynomial at ``z`` (sympy), from its rational coefficients."""
    sp = _sympy()
    return sum(sp.Rational(c.numerator, c.denominator) * z**k
               for k, c in enumerate(activation.coefficients) if c != 0)


def _coefficient_vector(expr, xs, monomials):
    """Coefficients of ``expr`` in the given monomial exponents (sympy)."""
    sp = _sympy()
    poly = sp.Poly(sp.expand(expr), *xs)
    return sp.Matrix([poly.coeff_monomial(tuple(e)) for e in monomials])


def _shallow_symbolic(arch: Architecture):
    """Symbols, coefficient vector and monomials of a shallow one-output MLP."""
    sp = _sympy()
    d0, d1, _ = arch.widths
    xs = sp.symbols(f"x1:{d0 + 1}")
    W = sp.Matrix(d1, d0, lambda i, j: sp.Symbol(f"w{i + 1}{j + 1}"))
    v = sp.symbols(f"v1:{d1 + 1}")
    f = sum(v[i] * _sigma(arch.activation, sum(W[i, j] * xs[j] for j in range(d0)))
            for i in range(d1))
    params = list(W) + list(v)                       # W1 row by row, then W2: nagviz's order
    monomials = [tuple(e) for e in arch.monomials()]
    return params, xs, _coefficient_vector(f, xs, monomials), monomials


def _exact(theta):
    sp = _sympy()
    return [sp.Rational(str(Fraction(x).limit_denominator(10**9) if isinstance(x, float)
                            else Fraction(x))) for x in theta]


def _fmt(theta) -> str:
    """``(0, 1/2, 3)``: a parameter point with exact entries, readably."""
    return "(" + ", ".join(str(Fraction(x)) if not isinstance(x, float) else f"{x:g}"
                           for x in theta) + ")"


def _check_shallow(arch) -> Architecture:
    if not isinstance(arch, Architecture) or arch.depth != 2 or arch.widths[-1] != 1 \
            or arch.bias:
        raise ValueError(f"expected a shallow one-output network without biases, got {arch!r}")
    return arch


# --------------------------------------------------------------------------- (a) rank drop, smooth point

@dataclass(frozen=True)
class RankDropAtSmoothPoint:
    """Parameter points computing one function ``f``, with the exact rank of ``d phi`` at each.

    Attributes
    ----------
    architecture : Architecture
    function : tuple of Fraction
        The coefficients of ``f`` (all points compute it).
    points : tuple of tuple
        The parameter points (W1 row by row, then W2).
    labels : tuple of str
    ranks : tuple of int
        Exact ranks (sympy, rational arithmetic).
    dimension, ambient_dimension : int
        ``dim M`` and the ambient dimension; equal means ``M`` fills its space.
    """

    architecture: Architecture
    function: tuple
    points: tuple
    labels: tuple
    ranks: tuple
    dimension: int
    ambient_dimension: int

    @property
    def is_filling(self) -> bool:
        return self.dimension == self.ambient_dimension

    def __repr__(self) -> str:
        lines = [f"RankDropAtSmoothPoint: {self.architecture!r} has dim M = {self.dimension} "
                 f"= ambient {self.ambient_dimension} (filling: every function is a smooth "
                 f"point of M = R^{self.ambient_dimension}); exact ranks of d phi (sympy) at "
                 f"points computing the same function:"]
        lines += [f"  {label:<34} {_fmt(p)}: rank {r}"
                  for label, p, r in zip(self.labels, self.points, self.ranks)]
        return "\n".join(lines)


def _exact_text(values):
    return [str(Fraction(v)) for v in values]       # "1/2": as the other cached records


def _exact_values(texts):
    return tuple(int(f) if f.denominator == 1 else f for f in map(Fraction, texts))


def _rank_drop_record(r: RankDropAtSmoothPoint) -> dict:
    return {"widths": list(r.architecture.widths), "activation": str(r.architecture.activation),
            "function": _exact_text(r.function), "points": [_exact_text(p) for p in r.points],
            "labels": list(r.labels), "ranks": list(r.ranks), "dimension": r.dimension,
            "ambient_dimension": r.ambient_dimension}


def _rank_drop_from_record(d: dict) -> RankDropAtSmoothPoint:
    return RankDropAtSmoothPoint(
        Architecture(tuple(d["widths"]), d["activation"]),
        tuple(map(Fraction, d["function"])), tuple(_exact_values(p) for p in d["points"]),
        tuple(d["labels"]), tuple(d["ranks"]), d["dimension"], d["ambient_dimension"])


# exact ranks with sympy: 0.6 s in a fresh kernel, so kept on disk (notebook 05 shows them)
@memoize("singular_versus_critical.rank_drop", disk=True, maxsize=1, encode=_rank_drop_record,
         decode=_rank_drop_from_record)
def rank_drop_at_smooth_point() -> RankDropAtSmoothPoint:
    """(2, 2, 1), ``z^2`` fills ``R^3``, yet ``phi`` drops rank at parameters computing ``x^2``.

    Every real binary quadratic form is ``v_1 l_1^2 + v_2 l_2^2`` (diagonalize it), so the
    real neuromanifold is all of ``R^3``, a manifold: no point of it is singular. The
    Jacobian nevertheless has rank 2 < 3 with neuron 2 switched off or with parallel
    neurons, and rank 3 at another point computing the same ``x^2``.

    Examples
    --------
    >>> r = rank_drop_at_smooth_point()
    >>> r.is_filling, r.ranks
    (True, (2, 2, 3))
    """
    arch = Architecture((2, 2, 1), 2)
    params, _, coeffs, _ = _shallow_symbolic(arch)
    J = coeffs.jacobian(params)
    points = ((1, 0, 0, 0, 1, 0), (1, 0, 1, 0, Fraction(1, 2), Fraction(1, 2)),
              (1, 0, 0, 1, 1, 0))
    labels = ("neuron 2 switched off", "parallel neurons", "only neuron 2's out-weight zero")
    ranks, values = [], set()
    for p in points:
        sub = dict(zip(params, _exact(p)))
        ranks.append(J.subs(sub).rank())
        values.add(tuple(coeffs.subs(sub)))
    if len(values) != 1:
        raise AssertionError("the points do not compute one function")  # pragma: no cover
    (f,) = values
    return RankDropAtSmoothPoint(arch, tuple(Fraction(int(c.p), int(c.q)) for c in f), points,
                                 labels, tuple(ranks), dimension(arch).dimension,
                                 arch.ambient_dimension)


# --------------------------------------------------------------------------- (b) a node without rank drop

@dataclass(frozen=True)
class NodeWithoutRankDrop:
    """Two parameter points of full rank computing one function, with tangent images
    whose sum is larger than ``dim M``: the function is a singular point (a node).

    Attributes
    ----------
    model : CNNArchitecture
    theta_1, theta_2 : tuple
    function : tuple of Fraction
        Coefficients of the common function, in ``monomials``.
    monomials : tuple
    ranks : tuple of int
        Exact ranks of ``d phi`` at ``theta_1`` and ``theta_2``.
    generic_rank : int
        ``dim M``.
    sum_rank : int
        The dimension of the sum of the two tangent images.
    intersection_dimension : int
        ``ranks[0] + ranks[1] - sum_rank``.
    """

    model: CNNArchitecture
    theta_1: tuple
    theta_2: tuple
    function: tuple = field(repr=False)
    monomials: tuple = field(repr=False)
    ranks: tuple
    generic_rank: int
    sum_rank: int

    @property
    def intersection_dimension(self) -> int:
        return self.ranks[0] + self.ranks[1] - self.sum_rank

    @property
    def is_node(self) -> bool:
        """Both branches of full rank, and together more than ``dim M`` directions."""
        return all(r == self.generic_rank for r in self.ranks) and self.sum_rank > self.generic_rank

    def __repr__(self) -> str:
        return (f"NodeWithoutRankDrop: {self.model!r}, dim M = {self.generic_rank}; theta_1 = "
                f"{_fmt(self.theta_1)} and theta_2 = {_fmt(self.theta_2)} compute the same "
                f"function, with "
                f"exact ranks {self.ranks[0]} and {self.ranks[1]} (no rank drop); the two "
                f"tangent images span {self.sum_rank} > {self.generic_rank} dimensions "
                f"(they meet in {self.intersection_dimension}): a singular point of M")


def _cnn_symbolic(model: CNNArchitecture):
    sp = _sympy()
    if model.depth != 2 or model.strides != (1, 1):
        raise ValueError(f"expected a two-layer CNN with stride 1, got {model!r}")
    k1, k2 = model.filter_sizes
    n = model.input_length
    xs = sp.symbols(f"x0:{n}")
    a = sp.symbols(f"a0:{k1}")
    u = sp.symbols(f"u0:{k2}")
    hidden = [_sigma(model.activation, sum(a[m] * xs[j + m] for m in range(k1)))
              for j in range(n - k1 + 1)]
    f = sum(u[m] * hidden[m] for m in range(k2))
    poly = sp.Poly(sp.expand(f), *xs)
    monomials = tuple(sorted(poly.monoms()))
    return list(a) + list(u), xs, _coefficient_vector(f, xs, monomials), monomials


def _node_record(r: NodeWithoutRankDrop) -> dict:
    return {"filter_sizes": list(r.model.filter_sizes), "activation": str(r.model.activation),
            "theta_1": _exact_text(r.theta_1), "theta_2": _exact_text(r.theta_2),
            "function": _exact_text(r.function), "monomials": [list(m) for m in r.monomials],
            "ranks": list(r.ranks), "generic_rank": r.generic_rank, "sum_rank": r.sum_rank}


def _node_from_record(d: dict) -> NodeWithoutRankDrop:
    return NodeWithoutRankDrop(
        CNNArchitecture(tuple(d["filter_sizes"]), d["activation"]),
        _exact_values(d["theta_1"]), _exact_values(d["theta_2"]),
        tuple(map(Fraction, d["function"])), tuple(tuple(m) for m in d["monomials"]),
        tuple(d["ranks"]), d["generic_rank"], d["sum_rank"])


# exact ranks with sympy: 0.5 s in a fresh kernel, so kept on disk (notebook 05 shows them)
@memoize("singular_versus_critical.cnn_node", disk=True, maxsize=8, encode=_node_record,
         decode=_node_from_record)
def cnn_node(s=1, u=1) -> NodeWithoutRankDrop:
    """The CNN (2, 2) with ``z^3 + z^2``: ``u sigma(s x_1)`` is a node of M without a rank drop.

    The network computes ``u_0 sigma(a_0 x_0 + a_1 x_1) + u_1 sigma(a_0 x_1 + a_1 x_2)``.
    The parameter points ``(a, u) = (0, s, u, 0)`` and ``(s, 0, 0, u)`` both compute
    ``u sigma(s x_1)``. At each the Jacobian has the full rank 4 = dim M, yet the two
    tangent images together span 6 dimensions: near this function M contains two
    4-dimensional branches meeting in a 2-dimensional tangent space, so M is not a
    manifold there.

    Examples
    --------
    >>> r = cnn_node()
    >>> r.ranks, r.generic_rank, r.sum_rank, r.is_node
    ((4, 4), 4, 6, True)
    """
    s, u = Fraction(s), Fraction(u)
    if s == 0 or u == 0:
        raise ValueError("s and u must be nonzero (otherwise the function is zero)")
    model = CNNArchitecture((2, 2), "z^3 + z^2")
    params, _, coeffs, monomials = _cnn_symbolic(model)
    J = coeffs.jacobian(params)
    # as the disk record reads back: integers as int, the rest as Fraction
    theta_1, theta_2 = (_exact_values(_exact_text(t)) for t in ((0, s, u, 0), (s, 0, 0, u)))
    subs = [dict(zip(params, _exact(t))) for t in (theta_1, theta_2)]
    f1, f2 = (coeffs.subs(d) for d in subs)
    if f1 != f2:
        raise AssertionError("the two points compute different functions")  # pragma: no cover
    J1, J2 = (J.subs(d) for d in subs)
    return NodeWithoutRankDrop(model, theta_1, theta_2,
                               tuple(Fraction(int(c.p), int(c.q)) for c in f1), monomials,
                               (J1.rank(), J2.rank()), dimension(model).dimension,
                               J1.row_join(J2).rank())


# --------------------------------------------------------------------------- critical exposure

def bombieri_weights(monomials) -> list:
    """The Bombieri weights ``a! / |a|!`` of monomials ``x^a`` (exact fractions).

    Examples
    --------
    >>> bombieri_weights([(2, 0), (1, 1), (0, 2)])
    [Fraction(1, 1), Fraction(1, 2), Fraction(1, 1)]
    """
    out = []
    for e in monomials:
        num = 1
        for k in e:
            num *= factorial(k)
        out.append(Fraction(num, factorial(sum(e))))
    return out


@dataclass(frozen=True)
class CriticalExposureResult:
    """The exact dimension count of critical exposure at the one-neuron stratum of (2, 2, 1).

    Attributes
    ----------
    inner_product : str
    stratum_dimension : int
        Dimension of the one-neuron functions ``v sigma(w . x)`` (rank of their Jacobian).
    normal_dimension : int
        ``ambient - stratum_dimension``: the residuals that make a dead-neuron point critical.
    ambient_dimension : int
    dead_neuron_rank : int
        Rank of ``d phi`` of the full network at the dead-neuron point (its tangent image is
        the stratum's tangent space: neuron 2 adds nothing).
    theta : tuple of Fraction
        The dead-neuron point (neuron 2 off).
    target : tuple of Fraction
        ``P + n`` with ``n`` an exact normal vector.
    gradient : tuple of Fraction
        The exact gradient of the full loss at ``theta``: all zero.
    hessian_determinant : Fraction
        Of the one-neuron loss at ``theta``'s live neuron; nonzero, so every target near
        ``target`` has a critical dead-neuron point nearby (implicit function theorem).
    """

    inner_product: str
    stratum_dimension: int
    normal_dimension: int
    ambient_dimension: int
    dead_neuron_rank: int
    theta: tuple = field(repr=False)
    target: tuple = field(repr=False)
    gradient: tuple = field(repr=False)
    hessian_determinant: Fraction = field(repr=False)

    @property
    def fills(self) -> bool:
        """stratum + normal = ambient: the normal bundle can cover an open set of targets."""
        return self.stratum_dimension + self.normal_dimension == self.ambient_dimension

    def __repr__(self) -> str:
        return (f"CriticalExposureResult ({self.inner_product} inner product, exact): one-neuron "
                f"stratum {self.stratum_dimension} + normal space {self.normal_dimension} = "
                f"{self.stratum_dimension + self.normal_dimension} = ambient "
                f"{self.ambient_dimension}; at the dead-neuron point the rank of d phi is "
                f"{self.dead_neuron_rank}, the gradient for the exact target P + n is "
                f"{'zero' if not any(self.gradient) else 'NOT zero'}, and the subnetwork "
                f"Hessian has determinant {float(self.hessian_determinant):.4g} != 0, so an "
                f"open set of targets around it has a critical dead-neuron point")


def _exposure_record(r: CriticalExposureResult) -> dict:
    return {"inner_product": r.inner_product, "stratum_dimension": r.stratum_dimension,
            "normal_dimension": r.normal_dimension, "ambient_dimension": r.ambient_dimension,
            "dead_neuron_rank": r.dead_neuron_rank, "theta": _exact_text(r.theta),
            "target": _exact_text(r.target), "gradient": _exact_text(r.gradient),
            "hessian_determinant": str(r.hessian_determinant)}


def _exposure_from_record(d: dict) -> CriticalExposureResult:
    return CriticalExposureResult(
        d["inner_product"], d["stratum_dimension"], d["normal_dimension"],
        d["ambient_dimension"], d["dead_neuron_rank"], tuple(map(Fraction, d["theta"])),
        tuple(map(Fraction, d["target"])), tuple(map(Fraction, d["gradient"])),
        Fraction(d["hessian_determinant"]))


# sympy (its import alone is 0.5 s of a fresh kernel): kept on disk, notebook 05 shows both
@memoize("singular_versus_critical.critical_exposure", disk=True, maxsize=8,
         encode=_exposure_record, decode=_exposure_from_record)
def critical_exposure_221(inner_product: str = "euclidean", theta_sub=(1, 1, 1),
                          normal=(1, 0, 0, 0)) -> CriticalExposureResult:
    """Critical exposure of the one-neuron subnetworks of (2, 2, 1) with ``z^3 + z^2``, exactly.

    Neuron 2 switched off (``w_2 = 0, v_2 = 0``) contributes nothing to ``d phi``, so the
    full loss ``||f_theta - t||^2`` is critical at ``theta`` exactly when the live neuron is
    critical for the one-neuron loss, i.e. when ``t - P`` is normal to the stratum ``S`` of
    one-neuron functions at ``P``. Targets with a critical dead-neuron point therefore form
    the union of the normal spaces ``P + N_P S``: a family of dimension ``dim S + dim N_P S =
    ambient``. With a nonsingular subnetwork Hessian at one such pair, the implicit function
    theorem gives a critical point for every target in an open set.

    Parameters
    ----------
    inner_product : {"euclidean", "bombieri"}
        Of coefficient vectors.
    theta_sub : (w_1, w_2, v)
        The live neuron (rational).
    normal : 4 rationals
        Coordinates of the normal vector in an exact basis of the normal space.

    Examples
    --------
    >>> r = critical_exposure_221()
    >>> r.stratum_dimension, r.normal_dimension, r.ambient_dimension, r.fills
    (3, 4, 7, True)
    >>> any(r.gradient), r.hessian_determinant != 0
    (False, True)
    """
    sp = _sympy()
    arch = Architecture((2, 2, 1), "z^3 + z^2")
    params, _, coeffs, monomials = _shallow_symbolic(arch)
    if inner_product == "euclidean":
        weights = [Fraction(1)] * len(monomials)
    elif inner_product == "bombieri":
        weights = bombieri_weights(monomials)
    else:
        raise ValueError(f"inner_product must be 'euclidean' or 'bombieri', got {inner_product!r}")
    G = sp.diag(*[sp.Rational(w.numerator, w.denominator) for w in weights])
    a, b, v = _exact(theta_sub)
    if v == 0 or (a == 0 and b == 0):
        raise ValueError("the live neuron must be on: v != 0 and w != 0")
    theta = [a, b, 0, 0, v, 0]
    sub = dict(zip(params, theta))
    J = coeffs.jacobian(params).subs(sub)                       # full network, 7 x 6
    live = [params[0], params[1], params[4]]
    Js = coeffs.jacobian(live)                                  # the one-neuron stratum
    Js0 = Js.subs(sub)
    stratum = Js0.rank()
    basis = (Js0.T * G).nullspace()                             # n with Js^T G n = 0
    if len(normal) != len(basis):
        raise ValueError(f"normal needs {len(basis)} coordinates, got {len(normal)}")
    n = sum((sp.Rational(str(Fraction(c))) * bvec for c, bvec in zip(normal, basis)),
            sp.zeros(len(monomials), 1))
    P = coeffs.subs(sub)
    t = P + n
    residual = P - t
    gradient = 2 * J.T * G * residual
    hessian = sp.zeros(3, 3)
    Gr = G * residual
    for k in range(len(monomials)):
        if Gr[k] != 0:
            hessian += Gr[k] * sp.hessian(coeffs[k], live).subs(sub)
    hessian = 2 * (Js0.T * G * Js0 + hessian)
    det = hessian.det()
    return CriticalExposureResult(
        inner_product, stratum, len(basis), len(monomials), J.rank(),
        tuple(Fraction(str(x)) for x in theta), tuple(Fraction(str(x)) for x in t),
        tuple(Fraction(str(x)) for x in gradient), Fraction(str(det)))


# --------------------------------------------------------------------------- never the best fit

@dataclass(frozen=True)
class SpanningResult:
    """The span of the added-neuron directions ``sigma(u . x)`` in the ambient space.

    Attributes
    ----------
    architecture : Architecture
    n_directions : int
        Random integer vectors ``u`` used.
    rank : int
        Exact rank of the coefficient vectors of ``sigma(u . x)``.
    degree_ranks : dict
        For each exponent ``k`` of ``sigma``, the exact rank of the ``(u . x)^k``: all forms
        of degree ``k`` in ``d_0`` variables (a second count of the ambient dimension).
    ambient_dimension : int
    seed : int
    """

    architecture: Architecture
    n_directions: int
    rank: int
    degree_ranks: dict
    ambient_dimension: int
    seed: int

    @property
    def spans(self) -> bool:
        return self.rank == self.ambient_dimension

    def __repr__(self) -> str:
        parts = ", ".join(f"degree {k}: {r}" for k, r in self.degree_ranks.items())
        return (f"SpanningResult: the {self.n_directions} directions sigma(u.x) of "
                f"{self.architecture!r} (random integer u, seed {self.seed}) have exact rank "
                f"{self.rank} of ambient {self.ambient_dimension} ({parts})")


def _span_record(r: SpanningResult) -> dict:
    return {"widths": list(r.architecture.widths), "activation": str(r.architecture.activation),
            "n_directions": r.n_directions, "rank": r.rank,
            "degree_ranks": [[k, v] for k, v in r.degree_ranks.items()],
            "ambient_dimension": r.ambient_dimension, "seed": r.seed}


def _span_from_record(d: dict) -> SpanningResult:
    return SpanningResult(Architecture(tuple(d["widths"]), d["activation"]), d["n_directions"],
                          d["rank"], {k: v for k, v in d["degree_ranks"]},
                          d["ambient_dimension"], d["seed"])


# exact ranks with sympy: kept on disk (notebook 05 shows them)
@memoize("singular_versus_critical.neuron_directions_span", disk=True, maxsize=8,
         encode=_span_record, decode=_span_from_record)
def neuron_directions_span(arch=None, n_directions: int | None = None,
                           seed: int = 0) -> SpanningResult:
    """Exact rank of the functions ``sigma(u . x)`` one added neuron can contribute.

    If ``P`` is computed with one neuron switched off, ``P + s sigma(u . x)`` is in ``M`` for
    every ``s`` and ``u``. At a nearest point ``P`` of a target ``t`` this forces
    ``<t - P, sigma(u . x)> = 0`` for all ``u`` (expand the squared distance in ``s``); when
    these functions span the ambient space, ``t = P``.

    Parameters
    ----------
    arch : Architecture, default (2, 2, 1) with ``z^3 + z^2``
        A shallow network with one output.
    n_directions : int, default ambient dimension + 2
    seed : int

    Examples
    --------
    >>> r = neuron_directions_span()
    >>> r.rank, r.ambient_dimension, r.degree_ranks
    (7, 7, {2: 3, 3: 4})
    """
    sp = _sympy()
    arch = _check_shallow(Architecture((2, 2, 1), "z^3 + z^2") if arch is None else arch)
    monomials = [tuple(e) for e in arch.monomials()]
    n = len(monomials) + 2 if n_directions is None else int(n_directions)
    if n < 1:
        raise ValueError(f"n_directions must be positive, got {n_directions!r}")
    d0 = arch.widths[0]
    xs = sp.symbols(f"x1:{d0 + 1}")
    rng = np.random.default_rng(seed)
    us = rng.integers(-9, 10, size=(n, d0))
    lines = [sum(int(c) * x for c, x in zip(u, xs)) for u in us]
    rank = sp.Matrix.hstack(*[_coefficient_vector(_sigma(arch.activation, ell), xs, monomials)
                              for ell in lines]).rank()
    degree_ranks = {}
    for k in arch.activation.exponents:
        mons = [e for e in monomials if sum(e) == k]
        degree_ranks[k] = sp.Matrix.hstack(*[_coefficient_vector(ell**k, xs, mons)
                                             for ell in lines]).rank()
    return SpanningResult(arch, n, rank, degree_ranks, len(monomials), seed)


# --------------------------------------------------------------------------- sigma'(0) != 0

@dataclass(frozen=True)
class DeadNeuronSaddle:
    """The Hessian of the loss in a dead neuron's coordinates ``(w_2, v_2)``.

    Attributes
    ----------
    activation : str
    block : tuple of tuple of float
        The 3 x 3 block in ``(w_21, w_22, v_2)``: ``[[0, g], [g^T, 0]]``.
    g : tuple of float
        ``2 sigma'(0) sum_n r_n x_n``, with ``r`` the residual of the data.
    eigenvalues : tuple of float
        ``-|g|, 0, |g|``: a strict saddle when ``g != 0``.
    """

    activation: str
    block: tuple
    g: tuple
    eigenvalues: tuple
    n_samples: int = 0
    seed: int | None = None

    @property
    def is_strict_saddle(self) -> bool:
        return min(self.eigenvalues) < -1e-9 * max(1.0, max(self.eigenvalues))

    def __repr__(self) -> str:
        scale = max(1.0, max(abs(e) for e in self.eigenvalues))
        eig = ", ".join("0" if abs(e) < 1e-9 * scale else f"{e:.4g}" for e in self.eigenvalues)
        data = f"{self.n_samples} data points, seed {self.seed}" if self.seed is not None \
            else f"{self.n_samples} given data points"
        return (f"DeadNeuronSaddle (sigma = {self.activation}, {data}): eigenvalues of the "
                f"Hessian block in the dead neuron's coordinates (w_21, w_22, v_2): {eig} (0: below "
                f"1e-9 of the largest, rounding); "
                + ("a strict saddle (negative curvature: the loss decreases at second order)"
                   if self.is_strict_saddle else
                   "no negative curvature: any decrease of the loss is of higher order"))


def dead_neuron_saddle(activation="z^3 + z^2 + z", theta_sub=(0.5, 1.5, -2.0), X=None, Y=None,
                       seed: int = 3) -> DeadNeuronSaddle:
    """The Hessian block of the squared loss in the coordinates of a switched-off neuron.

    With ``w_2 = 0, v_2 = 0`` and ``sigma(0) = 0``, the second derivatives in ``(w_2, v_2)`` are
    ``d^2 L / dv_2^2 = 2 sum sigma(0)^2 = 0``, ``d^2 L / dw_2^2 = 0`` (each term carries
    ``v_2``) and ``d^2 L / dw_2 dv_2 = 2 sigma'(0) sum_n r_n x_n =: g``, with residuals
    ``r_n = f(x_n) - y_n``. The block ``[[0, g], [g^T, 0]]`` has eigenvalues ``+-|g|``:
    when ``sigma'(0) != 0`` (and the residual correlates with some linear function) the
    dead neuron is a strict saddle, not a trap.

    Examples
    --------
    >>> dead_neuron_saddle("z^3 + z^2 + z").is_strict_saddle
    True
    >>> dead_neuron_saddle("z^3 + z^2").is_strict_saddle
    False
    """
    from .loss_landscape import dead_neuron_point, loss_hessian
    from .parameterization import evaluate

    arch = Architecture((2, 2, 1), activation)
    if arch.activation(0) != 0:
        raise ValueError("sigma(0) must be 0 for a switched-off neuron to be critical")
    rng = np.random.default_rng(seed)
    given = X is not None and Y is not None
    if X is None:
        X = rng.standard_normal((25, 2))
    if Y is None:
        Y = rng.standard_normal(len(X))
    X, Y = np.asarray(X, float), np.asarray(Y, float)
    theta = dead_neuron_point(arch, list(theta_sub), 1, 1)
    H = loss_hessian(arch, theta, X, Y)
    idx = [2, 3, 5]
    block = H[np.ix_(idx, idx)]
    sub = Architecture((2, 1, 1), activation)
    r = evaluate(sub, np.asarray(theta_sub, float), X).reshape(-1) - Y
    slope = float(arch.activation.coefficients[1]) if len(arch.activation.coefficients) > 1 else 0.0
    g = 2 * slope * (r @ X)
    eig = np.linalg.eigvalsh((block + block.T) / 2)
    return DeadNeuronSaddle(str(arch.activation), tuple(map(tuple, block.tolist())),
                            tuple(g.tolist()), tuple(float(e) for e in eig), len(X),
                            None if given else seed)
