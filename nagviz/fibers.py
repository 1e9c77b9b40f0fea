"""Fibers of the parameterization: symmetries, identifiability, finite fibers.

The **fiber** of the parameterization ``phi: theta -> f_theta`` over a function ``f`` is
the set of all parameter vectors that compute ``f``. A network is *identifiable* (up to
its symmetries) when the generic fiber is no bigger than the symmetries force it to be.

* **Counting.** ``dim(generic fiber) = #params - dim M`` (:func:`fiber_table`, from the
  exact engine :func:`nagviz.dimension`), for every family of :mod:`nagviz.model`.
* **The kernel of the Jacobian.** At a parameter point, the directions that do not change
  the function to first order form the kernel of ``d phi``. It contains the tangent
  vectors of the symmetry orbits (:meth:`nagviz.model.Model.symmetry_directions`); in a
  defective architecture it is bigger. :func:`fiber_directions` splits it into the
  symmetry directions and the *extra* ones.
* **Moving along a fiber.** :func:`symmetry_flow` moves a point along a symmetry orbit
  exactly (the symmetries of the contract are linear or affine vector fields, so the orbit
  is a matrix exponential); :func:`follow_fiber` follows any kernel direction by
  predictor-corrector continuation, so extra directions can be walked too.
* **Finite fibers.** With a non-monomial activation such as ``z^3 + z^2`` there is no
  rescaling and the generic fiber is finite. :func:`finite_fiber` finds *all* its points,
  complex and real, exactly: a Groebner basis of the polynomial system
  ``coefficients(theta) = coefficients(theta_0)`` over the rationals (sympy).
  :func:`hidden_permutations` lists the permutations of hidden units that are symmetries,
  to compare the fiber with.

Everything works through the model contract (:class:`nagviz.model.Model`); nothing here
switches on the family.

Pure mathematics: numpy, scipy and sympy only.

Examples
--------
>>> import nagviz
>>> from nagviz.fibers import fiber_directions
>>> fd = fiber_directions(nagviz.Architecture((3, 2, 1), 2), seed=0)
>>> fd.kernel_dimension, fd.symmetry_dimension, fd.extra_dimension
(3, 2, 1)
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ._arithmetic import Symbolic
from ._results import LinesRepr
from .cache import memoize
from .jacobian_rank import dimension
from .model import Model, as_model

__all__ = [
    "FiberDirections",
    "FiniteFiber",
    "FiberPath",
    "fiber_directions",
    "fiber_table",
    "finite_fiber",
    "follow_fiber",
    "function_change",
    "hidden_permutations",
    "symmetry_flow",
    "symmetry_generators",
    "symbolic_coefficients",
    "two_neuron_fiber_slice",
]


def _theta(model: Model, theta) -> np.ndarray:
    theta = np.asarray(theta, dtype=float)
    if theta.shape != (model.n_parameters,):
        raise ValueError(f"{model.describe()} has {model.n_parameters} parameters; got a "
                         f"parameter vector of shape {theta.shape}")
    if not np.all(np.isfinite(theta)):
        raise ValueError("the parameter vector has infinite or NaN entries")
    return theta


def _coefficient_jacobian(model: Model, theta: np.ndarray):
    c, J = model.coefficient_map().coefficients_and_jacobian(theta[None, :])
    return c[0], J[0]


def _coefficients(model: Model, thetas: np.ndarray) -> np.ndarray:
    thetas = np.atleast_2d(np.asarray(thetas, dtype=float))
    return np.asarray(model.coefficient_map().coefficients(thetas)).real


def function_change(model, theta_a, theta_b) -> float:
    """The largest coefficient difference between the functions of two parameter vectors.

    ``0`` (up to rounding) exactly when both lie in the same fiber.

    Examples
    --------
    >>> import nagviz
    >>> a = nagviz.Architecture((1, 1, 1), 2)                 # v (w x)^2
    >>> function_change(a, [1.0, 2.0], [2.0, 0.5])            # w -> 2w, v -> v / 4
    0.0
    >>> function_change(a, [1.0, 2.0], [1.0, 3.0])
    1.0
    """
    model = as_model(model)
    a, b = _theta(model, theta_a), _theta(model, theta_b)
    ca, cb = _coefficients(model, np.stack([a, b]))
    return float(np.max(np.abs(ca - cb))) if ca.size else 0.0


# --------------------------------------------------------------------------- counting

def fiber_table(models, *, seed: int = 0) -> list[dict]:
    """Parameters, exact dimension, generic fiber dimension and symmetry count, per model.

    ``extra`` is the part of the generic fiber that the obvious symmetries
    (:attr:`~nagviz.model.Model.symmetry_dimension`) do not explain: positive for
    defective architectures, and for filling ones with more parameters than the ambient
    space needs (``#params - symmetries > ambient``).

    Examples
    --------
    >>> import nagviz
    >>> from nagviz.cnn import CNNArchitecture
    >>> rows = fiber_table([nagviz.Architecture((3, 2, 1), 2), CNNArchitecture((3, 3), 2)])
    >>> [(r["parameters"], r["dimension"], r["fiber_dimension"], r["extra"]) for r in rows]
    [(8, 5, 3, 1), (6, 5, 1, 0)]
    """
    rows = []
    for model in models:
        model = as_model(model)
        res = dimension(model, seed=seed)
        rows.append(dict(model=model.describe(), parameters=res.parameters,
                         dimension=res.dimension, fiber_dimension=res.fiber_dimension,
                         symmetry_dimension=model.symmetry_dimension,
                         extra=res.fiber_dimension - model.symmetry_dimension,
                         certified=res.certified))
    return rows


# --------------------------------------------------------------------------- the kernel

def _orthonormal_rows(M: np.ndarray, tol: float = 1e-10) -> np.ndarray:
    """An orthonormal basis (as rows) of the row space of ``M``."""
    if M.size == 0:
        return np.zeros((0, M.shape[-1]))
    _, s, Vt = np.linalg.svd(M, full_matrices=False)
    keep = s > tol * max(s.max(), 1.0)
    return Vt[keep]


@dataclass(frozen=True, repr=False)
class FiberDirections(LinesRepr):
    """The kernel of ``d phi`` at a point, split into symmetry and extra directions.

    Attributes
    ----------
    model : Model
    theta : numpy.ndarray
        The parameter point.
    kernel : numpy.ndarray, shape (k, P)
        Orthonormal rows spanning the kernel of the coefficient Jacobian at ``theta``
        (singular values below ``tolerance`` times the largest).
    symmetry : numpy.ndarray, shape (s, P)
        Orthonormal rows spanning the symmetry directions of the model at ``theta``.
    extra : numpy.ndarray, shape (e, P)
        Orthonormal rows spanning the part of the kernel orthogonal to the symmetries.
    generic_fiber_dimension : int
        ``#params - dim M`` from the exact engine.
    symmetry_in_kernel : float
        ``max ||J u|| / ||J||`` over the unit symmetry directions ``u`` (zero up to
        rounding: the symmetries do not change the function).
    gap : float
        ``log10`` of the ratio between the smallest singular value kept as nonzero and the
        largest one counted as zero (how clearly the float kernel is separated).
    tolerance : float
    """

    model: Model
    theta: np.ndarray = field(repr=False)
    kernel: np.ndarray = field(repr=False)
    symmetry: np.ndarray = field(repr=False)
    extra: np.ndarray = field(repr=False)
    generic_fiber_dimension: int
    symmetry_in_kernel: float
    gap: float
    tolerance: float
    seed: int | None = None

    @property
    def kernel_dimension(self) -> int:
        return int(self.kernel.shape[0])

    @property
    def symmetry_dimension(self) -> int:
        return int(self.symmetry.shape[0])

    @property
    def extra_dimension(self) -> int:
        return int(self.extra.shape[0])

    @property
    def is_generic(self) -> bool:
        """Whether the kernel at ``theta`` has the generic dimension."""
        return self.kernel_dimension == self.generic_fiber_dimension

    def _lines(self):
        return [
            f"Fiber directions of {self.model.describe()}",
            f"  kernel of d(phi) at theta  {self.kernel_dimension} "
            f"(generic fiber dimension {self.generic_fiber_dimension}, exact engine)",
            f"  symmetry directions        {self.symmetry_dimension} "
            f"(|J u| / |J| <= {self.symmetry_in_kernel:.1e} for unit u)",
            f"  extra directions           {self.extra_dimension}",
            f"  method                     float SVD of the coefficient Jacobian, relative "
            f"tolerance {self.tolerance:g}, gap {self.gap:.1f} decades"
            + ("" if self.seed is None else f", random point of seed {self.seed}"),
        ]


def fiber_directions(model, theta=None, *, seed: int = 0,
                     tolerance: float = 1e-9) -> FiberDirections:
    """The kernel of the Jacobian of ``phi`` at ``theta`` and how the symmetries sit in it.

    Parameters
    ----------
    model : Model or widths
    theta : array_like, optional
        The parameter point; a Gaussian random point of ``seed`` by default.
    seed : int
    tolerance : float
        Singular values below ``tolerance * s_max`` count as zero.

    Returns
    -------
    FiberDirections

    Examples
    --------
    Widths (2, 1, 2, 1) with ``z^2`` (6 parameters, dimension 2): the width-one
    bottleneck makes the fiber one dimension bigger than the three rescalings.

    >>> import nagviz
    >>> fd = fiber_directions(nagviz.Architecture((2, 1, 2, 1), 2), seed=1)
    >>> fd.kernel_dimension, fd.symmetry_dimension, fd.extra_dimension, fd.is_generic
    (4, 3, 1, True)
    """
    model = as_model(model)
    given = theta is not None
    theta = _theta(model, model.random_parameters(seed) if theta is None else theta)
    _, J = _coefficient_jacobian(model, theta)
    P = model.n_parameters
    _, s, Vt = np.linalg.svd(J, full_matrices=True)
    s_full = np.zeros(P)
    s_full[:s.size] = s
    smax = s_full.max() if s_full.size else 0.0
    nonzero = s_full > tolerance * max(smax, 1e-300)
    rank = int(nonzero.sum())
    kernel = Vt[rank:]
    if 0 < rank < P:
        small = s_full[rank]
        gap = float(np.log10(s_full[rank - 1] / small)) if small > 0 else float("inf")
    else:
        gap = float("inf")
    S = np.asarray(model.symmetry_directions(theta), dtype=float).reshape(-1, P)
    symmetry = _orthonormal_rows(S)
    in_kernel = (float(np.max(np.linalg.norm(J @ symmetry.T, axis=0))) / max(smax, 1e-300)
                 if symmetry.size else 0.0)
    if kernel.shape[0] and symmetry.shape[0]:
        rest = kernel - (kernel @ symmetry.T) @ symmetry
        extra = _orthonormal_rows(rest, tol=1e-6)[:max(kernel.shape[0] - symmetry.shape[0], 0)]
    else:
        extra = kernel.copy()
    generic = dimension(model, seed=seed).fiber_dimension
    return FiberDirections(model, theta, kernel, symmetry, extra, generic, in_kernel, gap,
                           float(tolerance), None if given else int(seed))


# --------------------------------------------------------------------------- orbits

def symmetry_generators(model, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The symmetry vector fields of the model as matrices: ``v_k(theta) = b_k + A_k theta``.

    Every symmetry direction of the model contract is an affine function of ``theta``
    (rescalings, ``GL`` actions, translations of biases); this reads off ``A_k`` and
    ``b_k`` and checks affinity at a random point (a ``ValueError`` otherwise).

    Returns
    -------
    (A, b) : arrays of shapes (k, P, P) and (k, P)

    Examples
    --------
    >>> import nagviz
    >>> A, b = symmetry_generators(nagviz.Architecture((1, 1, 1), 2))   # (w, v)
    >>> A[0].tolist(), b[0].tolist()                                    # w' = w, v' = -2 v
    ([[1.0, 0.0], [0.0, -2.0]], [0.0, 0.0])
    """
    model = as_model(model)
    P = model.n_parameters

    def fields(theta):
        return np.asarray(model.symmetry_directions(theta), dtype=float).reshape(-1, P)

    b = fields(np.zeros(P))
    k = b.shape[0]
    A = np.zeros((k, P, P))
    for j in range(P):
        e = np.zeros(P)
        e[j] = 1.0
        A[:, :, j] = fields(e) - b
    probe = np.random.default_rng(seed).standard_normal(P)
    if k and not np.allclose(fields(probe), b + A @ probe, atol=1e-9 * (1 + np.abs(probe).max())):
        raise ValueError(f"the symmetry directions of {model.describe()} are not affine in "
                         "theta; symmetry_flow needs affine vector fields")
    return A, b


def symmetry_flow(model, theta, generator: int, ts) -> np.ndarray:
    """Points ``theta(t)`` of the orbit of one symmetry generator through ``theta``.

    ``theta(t)`` solves ``theta' = v_k(theta)``, the ``generator``-th symmetry direction
    of the model, exactly: ``v_k`` is affine (:func:`symmetry_generators`), so the flow is
    a matrix exponential. For a rescaling of a ``z^r`` neuron, ``theta(t)`` multiplies its
    incoming weights by ``e^t`` and its outgoing weights by ``e^(-r t)``.

    Parameters
    ----------
    model : Model
    theta : array_like, shape (P,)
    generator : int
        Index into :meth:`~nagviz.model.Model.symmetry_directions`.
    ts : float or sequence of float

    Returns
    -------
    numpy.ndarray, shape (len(ts), P) (or (P,) for a scalar ``t``)

    Examples
    --------
    >>> import nagviz
    >>> a = nagviz.Architecture((1, 1, 1), 2)
    >>> symmetry_flow(a, [1.0, 1.0], 0, np.log(2.0)).round(12).tolist()     # (2 w, v / 4)
    [2.0, 0.25]
    """
    from scipy.linalg import expm

    model = as_model(model)
    theta = _theta(model, theta)
    A, b = symmetry_generators(model)
    if isinstance(generator, bool) or not isinstance(generator, (int, np.integer)) \
            or not 0 <= generator < A.shape[0]:
        raise ValueError(f"generator must be an integer in [0, {A.shape[0]}) for "
                         f"{model.describe()}, got {generator!r}")
    P = model.n_parameters
    aug = np.zeros((P + 1, P + 1))
    aug[:P, :P], aug[:P, P] = A[generator], b[generator]
    scalar = np.ndim(ts) == 0
    out = np.array([(expm(float(t) * aug) @ np.append(theta, 1.0))[:P]
                    for t in np.atleast_1d(ts)])
    return out[0] if scalar else out


@dataclass(frozen=True, repr=False)
class FiberPath(LinesRepr):
    """A path in a fiber found by continuation (:func:`follow_fiber`).

    Attributes
    ----------
    points : numpy.ndarray, shape (n, P)
    arclength : numpy.ndarray, shape (n,)
    function_change : float
        The largest coefficient difference from the starting function along the path.
    steps, step_size : int, float
    """

    model: Model
    points: np.ndarray = field(repr=False)
    arclength: np.ndarray = field(repr=False)
    function_change: float
    steps: int
    step_size: float

    def _lines(self):
        return [f"Fiber path of {self.model.describe()}",
                f"  {self.steps} steps of size {self.step_size:g}, arclength "
                f"{self.arclength[-1]:.3f}, parameters moved {np.linalg.norm(self.points[-1] - self.points[0]):.3f}",
                f"  largest change of the function {self.function_change:.1e} "
                "(predictor along the kernel, Gauss-Newton corrector)"]


def follow_fiber(model, theta, direction, *, steps: int = 40, step_size: float = 0.05,
                 corrections: int = 8) -> FiberPath:
    """Walk along the fiber through ``theta``, starting in ``direction``.

    Each step moves ``step_size`` along the current kernel direction of ``d phi`` (the
    previous direction projected onto the kernel at the new point), then pulls the point
    back onto the fiber with Gauss-Newton steps on ``c(theta) - c(theta_0) = 0``
    (least-norm updates). Works for symmetry directions and for the extra directions of a
    defective architecture alike.

    Examples
    --------
    >>> import nagviz
    >>> a = nagviz.Architecture((3, 2, 1), 2)
    >>> fd = fiber_directions(a, seed=0)
    >>> path = follow_fiber(a, fd.theta, fd.extra[0], steps=10)
    >>> path.function_change < 1e-9, bool(np.linalg.norm(path.points[-1] - path.points[0]) > 0.3)
    (True, True)
    """
    model = as_model(model)
    theta = _theta(model, theta)
    d = np.asarray(direction, dtype=float).reshape(-1)
    if d.shape != theta.shape or not np.linalg.norm(d) > 0:
        raise ValueError("direction must be a nonzero vector with one entry per parameter")
    if int(steps) < 1 or not step_size > 0:
        raise ValueError("steps must be >= 1 and step_size > 0")
    c0, J = _coefficient_jacobian(model, theta)
    k = model.n_parameters - np.linalg.matrix_rank(J, tol=1e-9 * max(np.abs(J).max(), 1.0))
    points, arc = [theta.copy()], [0.0]
    d = d / np.linalg.norm(d)
    for _ in range(int(steps)):
        cur = points[-1]
        _, J = _coefficient_jacobian(model, cur)
        kernel = np.linalg.svd(J, full_matrices=True)[2][model.n_parameters - k:]
        d = kernel.T @ (kernel @ d)
        norm = np.linalg.norm(d)
        if norm < 1e-12:
            break
        d = d / norm
        new = cur + step_size * d
        for _ in range(int(corrections)):
            c, J = _coefficient_jacobian(model, new)
            r = c - c0
            if np.max(np.abs(r)) < 1e-14 * max(1.0, np.abs(c0).max()):
                break
            new = new - np.linalg.lstsq(J, r, rcond=1e-10)[0]
        arc.append(arc[-1] + float(np.linalg.norm(new - cur)))
        points.append(new)
    pts = np.array(points)
    change = float(np.max(np.abs(_coefficients(model, pts) - c0)))
    return FiberPath(model, pts, np.array(arc), change, len(pts) - 1, float(step_size))


# --------------------------------------------------------------------------- permutations

def hidden_permutations(model, *, limit: int = 720, seed: int = 0) -> list[np.ndarray]:
    """The permutations of hidden units that leave every function unchanged.

    Units (:meth:`~nagviz.model.Model.hidden_units`) of the same kind and layer that have
    outgoing weights are permuted together with their incoming and outgoing weights;
    each candidate is kept only if it leaves the function of a random parameter point
    unchanged (so filter entries of a CNN, which feed nothing of their own, are not kept).

    Returns
    -------
    list of index arrays ``perm`` (``theta[perm]`` is the permuted point); the identity first.

    Examples
    --------
    >>> import nagviz
    >>> perms = hidden_permutations(nagviz.Architecture((2, 2, 1), "z^3 + z^2"))
    >>> [p.tolist() for p in perms]
    [[0, 1, 2, 3, 4, 5], [2, 3, 0, 1, 5, 4]]
    """
    model = as_model(model)
    P = model.n_parameters
    groups: dict = {}
    for unit in model.hidden_units():
        if unit.outgoing:
            groups.setdefault((unit.kind, unit.layer), []).append(unit)
    per_group = [list(itertools.permutations(range(len(g)))) for g in groups.values()]
    total = math.prod(len(p) for p in per_group) if per_group else 1
    if total > limit:
        raise ValueError(f"{model.describe()} has {total} permutations of hidden units, more "
                         f"than limit={limit}")
    probe = model.random_parameters(seed)
    out = []
    for choice in itertools.product(*per_group):
        perm = np.arange(P)
        for units, sigma in zip(groups.values(), choice):  # compose layer by layer
            step = np.arange(P)
            for u, image in zip(units, sigma):
                src = units[image]
                if len(src.incoming) != len(u.incoming) or len(src.outgoing) != len(u.outgoing):
                    break
                step[list(u.incoming)] = src.incoming
                step[list(u.outgoing)] = src.outgoing
            perm = perm[step]
        if function_change(model, probe, probe[perm]) <= 1e-9 * (1 + np.abs(probe).max()):
            out.append(perm)
    return out


# --------------------------------------------------------------------------- finite fibers

def symbolic_coefficients(model, theta=None):
    """The output polynomials' coefficients as sympy expressions in the parameters.

    Runs the model's own forward pass (:meth:`~nagviz.model.Model.forward`) on sympy
    symbols ``t0, t1, ...`` (or on the exact rationals ``theta``).

    Returns
    -------
    (coefficients, symbols) : list of sympy expressions, tuple of the parameter symbols

    Examples
    --------
    >>> import nagviz
    >>> coeffs, t = symbolic_coefficients(nagviz.Architecture((2, 1, 1), 2))
    >>> coeffs
    [t0**2*t2, 2*t0*t1*t2, t1**2*t2]
    """
    import sympy

    model = as_model(model)
    P, n = model.n_parameters, model.input_dimension
    symbols = sympy.symbols(f"t0:{P}")
    values = symbols if theta is None else [_rational(v) for v in theta]
    if len(values) != P:
        raise ValueError(f"{model.describe()} has {P} parameters; got {len(values)} values")
    xs = sympy.symbols(f"x0:{n}")
    T = np.empty((1, P), dtype=object)
    T[0, :] = list(values)
    X = np.empty((1, 1, n), dtype=object)
    X[0, 0, :] = list(xs)
    out = model.forward(T, X, Symbolic(model.activation))[0, 0]
    coeffs = []
    for f in out:
        poly = sympy.Poly(sympy.expand(f), *xs)
        coeffs.extend(poly.coeff_monomial(tuple(e)) for e in model.monomials())
    return coeffs, symbols


def _rational(v):
    import sympy

    if isinstance(v, Fraction):
        return sympy.Rational(v.numerator, v.denominator)
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return sympy.Integer(int(v))
    if isinstance(v, sympy.Rational):
        return v
    if isinstance(v, (float, np.floating)) and np.isfinite(v):
        f = Fraction(float(v)).limit_denominator(10**6)
        return sympy.Rational(f.numerator, f.denominator)
    raise ValueError(f"finite_fiber needs exact rational parameters (ints, fractions), got {v!r}")


@dataclass(frozen=True, repr=False)
class FiniteFiber(LinesRepr):
    """All parameter points with the function of ``theta``, found exactly.

    Attributes
    ----------
    model : Model
    theta : tuple
        The exact rational starting point.
    points : tuple of tuples
        The real points of the fiber (exact sympy numbers), in a fixed order.
    complex_count : int
        The number of complex points counted with multiplicity: the dimension of the
        quotient ring of the (zero-dimensional) ideal.
    permutation_images : int
        How many of ``points`` are images of ``theta`` under :func:`hidden_permutations`.
    seconds : float
    """

    model: Model
    theta: tuple
    points: tuple = field(repr=False)
    complex_count: int
    permutation_images: int
    seconds: float

    @property
    def real_count(self) -> int:
        return len(self.points)

    @property
    def others(self) -> int:
        """Real points that are not permutations of ``theta``."""
        return self.real_count - self.permutation_images

    def _lines(self):
        return [f"Finite fiber of {self.model.describe()}",
                f"  complex points (with multiplicity)  {self.complex_count}",
                f"  real points                         {self.real_count}",
                f"  of which hidden-unit permutations   {self.permutation_images}",
                f"  method  Groebner basis over the rationals (sympy, grevlex then FGLM to "
                f"lex), {self.seconds:.1f} s"]


def finite_fiber(model, theta) -> FiniteFiber:
    """Every parameter point that computes the same function as ``theta``, exactly.

    Solves ``c(t) = c(theta)`` for the coefficient map ``c`` (:func:`symbolic_coefficients`)
    over the rationals: a Groebner basis in degree-reverse-lexicographic order decides
    whether the fiber is finite and counts its complex points (with multiplicity); a
    lexicographic basis (FGLM) then gives the points, of which the real ones are kept.
    The solve is memoized on disk (:func:`nagviz.cache.memoize`); ``seconds`` is the time
    of this call.

    Parameters
    ----------
    model : Model
        A small model whose generic fiber is finite (``nagviz.dimension(model)
        .fiber_dimension == 0``); a ``ValueError`` says so otherwise.
    theta : sequence of int or Fraction
        An exact rational parameter point (floats are rounded to nearby fractions).

    Examples
    --------
    >>> import nagviz
    >>> ff = finite_fiber(nagviz.Architecture((2, 2, 1), "z^3 + z^2"), [1, 2, -1, 3, 2, -1])
    >>> ff.complex_count, ff.real_count, ff.permutation_images
    (2, 2, 2)
    """
    model = as_model(model)
    start = time.perf_counter()
    theta = tuple(_rational(v) for v in np.asarray(theta, dtype=object).reshape(-1))
    if len(theta) != model.n_parameters:
        raise ValueError(f"{model.describe()} has {model.n_parameters} parameters; "
                         f"got {len(theta)}")
    solved = _solve_fiber(model, theta)
    real = [tuple(_from_exact(v) for v in point) for point in solved["points"]]
    perms = hidden_permutations(model)
    images = {tuple(theta[i] for i in perm) for perm in perms}
    n_images = sum(1 for p in real if p in images)
    return FiniteFiber(model, theta, tuple(real), solved["count"], n_images,
                       time.perf_counter() - start)


def _to_exact(value):
    """A real algebraic number as JSON: ``[p, q]`` for a rational, else its minimal
    polynomial's integer coefficients and its index among the polynomial's real roots."""
    import sympy

    if value.is_Rational:
        return [int(value.p), int(value.q)]
    x = sympy.Symbol("x")
    poly = sympy.Poly(sympy.minimal_polynomial(value, x), x)
    roots = poly.real_roots()
    target = complex(sympy.N(value, 40)).real
    index = min(range(len(roots)), key=lambda k: abs(float(roots[k]) - target))
    return {"polynomial": [int(c) for c in poly.all_coeffs()], "index": index}


def _from_exact(record):
    import sympy

    if isinstance(record, list):
        return sympy.Rational(int(record[0]), int(record[1]))
    x = sympy.Symbol("x")
    return sympy.CRootOf(sympy.Poly([int(c) for c in record["polynomial"]], x),
                         int(record["index"]))


def _valid_fiber(value, model, theta):
    return (isinstance(value, dict) and isinstance(value.get("count"), int)
            and all(len(p) == len(theta) for p in value.get("points", ()))
            and len(value["points"]) <= value["count"])


@memoize("fibers.finite_fiber", disk=True, maxsize=32, validate=_valid_fiber)
def _solve_fiber(model, theta):
    """The Groebner-basis computation of :func:`finite_fiber` (memoized, on disk too): the
    real points as exact records (:func:`_to_exact`) and the complex count."""
    import sympy

    coeffs, t = symbolic_coefficients(model)
    target = [sympy.expand(c.subs(dict(zip(t, theta)))) for c in coeffs]
    eqs = [sympy.expand(c - v) for c, v in zip(coeffs, target)]
    eqs = [e for e in eqs if e != 0]
    # the last layer's weights first: the same ideal (and fiber), and for the (2, 2, 1)
    # networks of notebook 03 a grevlex basis two to seven times faster than in t0, t1, ...
    G = sympy.groebner(eqs, *t[::-1], order="grevlex")
    if not G.is_zero_dimensional:
        raise ValueError(f"the fiber of {model.describe()} through this point is not finite "
                         "(its ideal is not zero-dimensional); use fiber_directions")
    count = _standard_monomial_count(G, len(t))
    lex = G.fglm("lex")
    solutions = sympy.solve(list(lex.exprs), list(t), dict=True)
    real = []
    for sol in solutions:
        point = tuple(sympy.nsimplify(sympy.simplify(sol.get(s, s))) for s in t)
        if all(_is_real(p) for p in point):
            real.append(point)
    real = sorted(set(real), key=lambda p: [float(v) for v in p])
    return {"points": [[_to_exact(v) for v in p] for p in real], "count": int(count)}


def _is_real(value) -> bool:
    """Whether an exact algebraic number is real (radicals of a real root of a cubic can
    involve complex numbers, so decide from 40 digits when sympy cannot say)."""
    import sympy

    if value.is_real is not None:
        return bool(value.is_real)
    z = complex(sympy.N(value, 40))
    return abs(z.imag) <= 1e-30 * (1 + abs(z.real))


def _standard_monomial_count(G, n: int) -> int:
    """The number of monomials not divisible by a leading monomial of ``G`` (finite)."""
    leads = [tuple(g.monoms(order="grevlex")[0]) for g in G.polys]
    bound = [0] * n
    for m in leads:  # a zero-dimensional ideal has a pure power x_i^a among the leads
        nz = [i for i, e in enumerate(m) if e]
        if len(nz) == 1:
            i = nz[0]
            bound[i] = m[i] if bound[i] == 0 else min(bound[i], m[i])
    count = 0
    for e in itertools.product(*(range(b) for b in bound)):
        if not any(all(e[i] >= m[i] for i in range(n)) for m in leads):
            count += 1
    return count


# --------------------------------------------------------------------------- a fiber to look at

def two_neuron_fiber_slice(c: float, s: float, lim: float = 2.0, n: int = 41) -> dict:
    """The fiber over ``c x^2`` of ``f(x) = v_1 (w_1 x)^2 + v_2 (w_2 x)^2``, sliced at ``v_2 = s``.

    The fiber is the hypersurface ``v_1 w_1^2 + v_2 w_2^2 = c`` of the parameter space
    ``R^4``; its slice ``v_2 = s`` is the surface ``v_1 = (c - s w_2^2) / w_1^2`` in
    ``(w_1, w_2, v_1)`` space, drawn as two sheets (``w_1 > 0`` and ``w_1 < 0``) on grids that
    stop exactly where ``|v_1| = lim``, plus the plane ``w_1 = 0`` when ``c = s = 0``. The parameterization ``phi`` has rank zero exactly where
    ``w_1 = w_2 = 0`` (the ``v_1``-axis of the slice): its critical points. The function
    space ``M`` (all ``c x^2``, the real line) is smooth everywhere.

    Returns
    -------
    dict with ``w1, w2, v1`` (surface grids), ``plane`` (grids of the plane ``w_1 = 0``,
    NaN unless ``c = s = 0``) and ``critical`` (points of the critical line).

    Examples
    --------
    >>> sl = two_neuron_fiber_slice(1.0, 0.5, n=9)
    >>> res = sl["v1"] * sl["w1"] ** 2 + 0.5 * sl["w2"] ** 2 - 1.0
    >>> bool(np.nanmax(np.abs(res)) < 1e-12)
    True
    """
    grid = np.linspace(-lim, lim, n)
    R = c - s * grid ** 2                       # v_1 w_1^2 = R(w_2)
    start = np.sqrt(np.abs(R) / lim)            # |v_1| <= lim  <=>  |w_1| >= start
    frac = np.linspace(0.0, 1.0, n)
    sheets = []
    for sign in (1.0, -1.0):                    # w_1 > 0 and w_1 < 0, each up to |w_1| = lim
        tau = sign * (start[:, None] + (lim - start[:, None]) * frac[None, :])
        sheets.append(tau)
    gap = np.full((n, 1), np.nan)
    W1 = np.hstack([sheets[0], gap, sheets[1]])
    W2 = np.repeat(grid[:, None], W1.shape[1], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        V1 = np.where(np.isnan(W1), np.nan, R[:, None] / W1 ** 2)
    V1[start > lim, :] = np.nan                  # no point of the fiber in the box here
    P2, V2 = np.meshgrid(grid, grid, indexing="ij")
    plane = dict(w1=np.zeros_like(P2), w2=P2, v1=V2)
    if not (c == 0 and s == 0):
        plane = {k: np.full_like(P2, np.nan) for k in plane}
    critical = np.column_stack([np.zeros(2), np.zeros(2), [-lim, lim]])
    return dict(w1=W1, w2=W2, v1=V1, plane=plane, critical=critical, c=float(c), s=float(s))
