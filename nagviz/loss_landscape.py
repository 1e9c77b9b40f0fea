"""The squared loss near a subnetwork: dead neurons are critical, and escape at third order.

At a parameter point whose hidden neuron has zero incoming and outgoing weights
(:func:`dead_neuron_point`) the loss gradient in that neuron's coordinates vanishes for
every target (:func:`loss_gradient`), the Hessian in those coordinates is zero
(:func:`loss_hessian`), and the loss decreases only at third order along the best
direction (:func:`escape_direction`): a subnetwork is a critical point of the full
loss.

For drawing a descent path over a plotted window, :func:`clip_path_to_box` cuts the path
where it first leaves the window (a diverging path would otherwise stretch every axis).

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .model import as_model
from ._fitting import _Loss
from .architecture import Architecture
from .parameterization import flatten, unflatten

__all__ = [
    "ClippedPath",
    "clip_path_to_box",
    "loss_gradient",
    "loss_hessian",
    "dead_neuron_point",
    "EscapeResult",
    "escape_direction",
]


def loss_gradient(arch, theta, X=None, Y=None, *, target=None, inner_product="euclidean",
                  input_scale: float = 1.0) -> np.ndarray:
    """Gradient of the squared loss, by backpropagation (exact formulas, float arithmetic).

    Either on data, ``L = sum_n ||f_theta(x_n) - y_n||^2``, or in function space,
    ``L = ||f_theta - t||_G^2`` for a target coefficient vector ``target``.

    Parameters
    ----------
    arch : Architecture or CNNArchitecture
    theta : array_like, shape (n_parameters,)
    X : array_like, shape (N, d_0), optional
    Y : array_like, shape (N, d_L) or (N,), optional
    target : array_like, shape (ambient,), optional
    inner_product, input_scale
        For ``target``: see :func:`nagviz.training.inner_product_matrix`.

    Examples
    --------
    Neuron 2 is off (zero in- and out-weights): its four coordinates of the gradient are
    exactly zero, whatever the data.

    >>> a = Architecture((2, 2, 1), "z^3 + z^2")
    >>> rng = np.random.default_rng(0)
    >>> X, Y = rng.standard_normal((10, 2)), rng.standard_normal(10)
    >>> g = loss_gradient(a, [1.0, -2.0, 0.0, 0.0, 0.5, 0.0], X, Y)
    >>> g[[2, 3, 5]].tolist()
    [0.0, 0.0, 0.0]
    """
    arch = as_model(arch)
    return _Loss(arch, X, Y, target, inner_product, input_scale).gradient(theta)


def loss_hessian(arch, theta, X=None, Y=None, *, target=None, inner_product="euclidean",
                 input_scale: float = 1.0) -> np.ndarray:
    """Hessian of the squared loss: ``2 J^T J + 2 sum_k r_k (second derivative of output k)``.

    The second derivatives of the outputs come from exact polynomial interpolation along
    lines (the outputs are polynomials in the parameters, evaluated on complex roots of
    unity and read off with an FFT), so the only error is floating-point rounding.

    Parameters
    ----------
    As in :func:`loss_gradient`.

    Returns
    -------
    numpy.ndarray, shape (n_parameters, n_parameters)

    Examples
    --------
    ``L(a, v) = (v a^2 - 1)^2`` for one data point ``x = 1``, ``y = 1`` with ``z^2``:

    >>> H = loss_hessian(Architecture((1, 1, 1), 2), [1.0, 2.0], [[1.0]], [1.0])
    >>> H.round(8).tolist()
    [[40.0, 12.0], [12.0, 2.0]]
    """
    arch = as_model(arch)
    return _Loss(arch, X, Y, target, inner_product, input_scale).hessian(
        np.asarray(theta, dtype=float))


def dead_neuron_point(arch, theta_sub, layer: int, neuron: int) -> np.ndarray:
    """Embed a subnetwork's parameters in ``arch`` with one extra neuron that is off.

    Parameters
    ----------
    arch : Architecture
        The full architecture.
    theta_sub : array_like
        Parameters of the architecture with one neuron fewer in hidden layer ``layer``.
    layer : int
        Hidden layer (1-based) that receives the dead neuron.
    neuron : int
        Its index (0-based) in the full layer.

    Returns
    -------
    numpy.ndarray, shape (arch.n_parameters,)
        Incoming weights, bias and outgoing weights of the new neuron are zero.

    Examples
    --------
    >>> a = Architecture((2, 2, 1), "z^3 + z^2")
    >>> dead_neuron_point(a, [1.0, -2.0, 0.5], 1, 1).tolist()
    [1.0, -2.0, 0.0, 0.0, 0.5, 0.0]
    """
    arch = as_model(arch)
    if not 1 <= layer < arch.depth:
        raise ValueError(f"hidden layers are 1..{arch.depth - 1}, got {layer}")
    widths = list(arch.widths)
    if not 0 <= neuron < widths[layer]:
        raise ValueError(f"layer {layer} has neurons 0..{widths[layer] - 1}, got {neuron}")
    if widths[layer] == 1:
        raise ValueError("the layer has a single neuron: the subnetwork without it is empty; "
                         "the zero parameter vector is the corresponding point")
    widths[layer] -= 1
    sub = Architecture(tuple(widths), arch.activation, arch.bias)
    sub_layers = unflatten(sub, np.asarray(theta_sub, dtype=float))
    layers = []
    for i, (W, b) in enumerate(sub_layers):
        W = np.array(W)
        b = None if b is None else np.array(b)
        if i == layer - 1:  # incoming: insert a zero row (and bias)
            W = np.insert(W, neuron, 0.0, axis=0)
            if b is not None:
                b = np.insert(b, neuron, 0.0)
        if i == layer:  # outgoing: insert a zero column
            W = np.insert(W, neuron, 0.0, axis=1)
        layers.append((W, b) if arch.bias else W)
    return flatten(arch, layers)


@dataclass(frozen=True)
class EscapeResult:
    """How the loss can decrease from a critical point, in a set of coordinates.

    Attributes
    ----------
    coordinates : tuple of int
        The parameter coordinates examined (e.g. a dead neuron's).
    gradient_norm : float
        Norm of the gradient in those coordinates.
    hessian_eigenvalues : tuple of float
        Eigenvalues of the full Hessian.
    restricted_eigenvalues : tuple of float
        Eigenvalues of the Hessian restricted to ``coordinates``.
    order : int or None
        The order of the first term of ``L(theta + s u) - L(theta)`` that can be made
        negative: 1 (gradient), 2 (negative curvature) or 3 (cubic term); None if no
        decrease was found up to third order.
    direction : numpy.ndarray
        A unit descent direction in parameter space, supported on ``coordinates``.
    coefficient : float
        ``L(theta + s u) = L(theta) + coefficient * s^order + O(s^(order + 1))``.
    loss_polynomial : tuple of float
        The loss along ``direction`` as an exact polynomial in ``s`` (ascending).
    method : str
    seed : int
    tolerance : float
    """

    coordinates: tuple
    gradient_norm: float
    hessian_eigenvalues: tuple
    restricted_eigenvalues: tuple
    order: int | None
    direction: np.ndarray = field(repr=False)
    coefficient: float = 0.0
    loss_polynomial: tuple = field(repr=False, default=())
    method: str = ""
    seed: int = 0
    tolerance: float = 1e-9

    def __repr__(self) -> str:
        ev = ", ".join(f"{x:.3g}" for x in self.restricted_eigenvalues)
        what = ("no decrease found up to third order" if self.order is None else
                f"the loss decreases at order {self.order}: L(theta + s u) - L = "
                f"{self.coefficient:.4g} s^{self.order} + ...")
        return (f"EscapeResult in coordinates {list(self.coordinates)}\n"
                f"  gradient there: norm {self.gradient_norm:.3g}\n"
                f"  Hessian there: eigenvalues [{ev}]; smallest eigenvalue of the full "
                f"Hessian {min(self.hessian_eigenvalues):.3g}\n  {what}\n"
                f"  {self.method}; seed {self.seed}, tolerance {self.tolerance:g}")

    def _repr_html_(self) -> str:
        return "<pre class='nagviz-result'>" + repr(self) + "</pre>"


def escape_direction(arch, theta, coordinates, X=None, Y=None, *, target=None,
                     inner_product="euclidean", input_scale: float = 1.0, seed: int = 0,
                     n_directions: int = 400, tolerance: float = 1e-9) -> EscapeResult:
    """Find a direction in ``coordinates`` along which the loss decreases, and its order.

    First order: the gradient. Second order: a negative eigenvalue of the Hessian
    restricted to the coordinates. Third order: at a dead neuron the Hessian vanishes
    there, and ``L(theta + s u) - L(theta) = c_3(u) s^3 + ...`` with a cubic form
    ``c_3``; a cubic form is odd, so it takes negative values unless it is identically
    zero. ``c_3`` is maximized in absolute value over ``n_directions`` random unit
    directions and then refined by a local optimizer; every coefficient comes from the
    exact polynomial of the loss along the line.

    Parameters
    ----------
    arch : Architecture or CNNArchitecture
    theta : array_like
    coordinates : sequence of int or Unit
        Parameter indices (or a unit from :func:`nagviz.training.hidden_units`).
    X, Y, target, inner_product, input_scale
        The loss, as in :func:`loss_gradient`.
    seed, n_directions, tolerance

    Returns
    -------
    EscapeResult

    Examples
    --------
    >>> a = Architecture((2, 2, 1), "z^3 + z^2")
    >>> rng = np.random.default_rng(1)
    >>> X, Y = rng.standard_normal((12, 2)), rng.standard_normal(12)
    >>> theta = dead_neuron_point(a, [0.3, -0.4, 1.2], 1, 1)
    >>> r = escape_direction(a, theta, [2, 3, 5], X, Y)
    >>> r.gradient_norm, bool(max(abs(e) for e in r.restricted_eigenvalues) < 1e-9), r.order
    (0.0, True, 3)
    """
    from scipy.optimize import minimize

    arch = as_model(arch)
    if hasattr(coordinates, "parameters"):
        coordinates = coordinates.parameters
    coords = tuple(int(c) for c in coordinates)
    theta = np.asarray(theta, dtype=float)
    loss = _Loss(arch, X, Y, target, inner_product, input_scale)
    g = loss.gradient(theta)
    H = loss.hessian(theta)
    Hs = H[np.ix_(coords, coords)]
    eig_full = np.linalg.eigvalsh(H)
    eig = np.linalg.eigvalsh(Hs)
    P = theta.size
    scale = max(1.0, float(np.abs(H).max()))

    def embed(u):
        d = np.zeros(P)
        d[list(coords)] = u / np.linalg.norm(u)
        return d

    gs = g[list(coords)]
    gnorm = float(np.linalg.norm(gs))
    method = "exact loss polynomial along lines (FFT interpolation), float arithmetic"
    if gnorm > tolerance * max(1.0, float(np.abs(g).max())):
        d = embed(-gs)
        poly = loss.along(theta, d)
        return EscapeResult(coords, gnorm, tuple(eig_full), tuple(eig), 1, d, float(poly[1]),
                            tuple(poly), method, seed, tolerance)
    if eig.min() < -tolerance * scale:
        w, V = np.linalg.eigh(Hs)
        d = embed(V[:, 0])
        poly = loss.along(theta, d)
        return EscapeResult(coords, gnorm, tuple(eig_full), tuple(eig), 2, d, float(poly[2]),
                            tuple(poly), method, seed, tolerance)
    rng = np.random.default_rng(seed)
    k = len(coords)

    def cubic(u):
        return loss.along(theta, embed(u))[3]

    cands = rng.standard_normal((n_directions, k))
    vals = np.array([cubic(u) for u in cands])
    best = cands[np.argmin(vals)]
    res = minimize(lambda u: cubic(u), best, method="Nelder-Mead",
                   options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 2000})
    u = res.x if res.fun < vals.min() else best
    d = embed(u)
    poly = loss.along(theta, d)
    if poly[3] < -tolerance * max(1.0, abs(poly[0])):
        return EscapeResult(coords, gnorm, tuple(eig_full), tuple(eig), 3, d, float(poly[3]),
                            tuple(poly), method, seed, tolerance)
    return EscapeResult(coords, gnorm, tuple(eig_full), tuple(eig), None, d, 0.0, tuple(poly),
                        method, seed, tolerance)


# --------------------------------------------------------------------------- drawing windows

@dataclass(frozen=True)
class ClippedPath:
    """The parts of a polygonal path inside an axis-parallel box (:func:`clip_path_to_box`).

    Attributes
    ----------
    points : numpy.ndarray, shape (k, d)
        The pieces of the path inside the box, each cut where it crosses the boundary,
        separated by rows of NaN (a break in a plotted line).
    exits : numpy.ndarray, shape (e, d)
        The points where the path leaves the box, in order.
    first_exit : int or None
        The number of steps (segments) taken before the path first leaves the box;
        ``None`` if it never does.
    """

    points: np.ndarray
    exits: np.ndarray
    first_exit: int | None

    @property
    def leaves(self) -> bool:
        """Whether the path leaves the box at least once."""
        return len(self.exits) > 0


def _segment_in_box(a, b, lo, hi):
    """Liang-Barsky: the parameters ``0 <= t0 <= t1 <= 1`` of the part of ``a + t (b - a)``
    inside the box, or None when the segment misses it."""
    t0, t1 = 0.0, 1.0
    for ai, di, l, h in zip(a, b - a, lo, hi):
        if di == 0:
            if ai < l or ai > h:
                return None
            continue
        ta, tb = (l - ai) / di, (h - ai) / di
        t0, t1 = max(t0, min(ta, tb)), min(t1, max(ta, tb))
        if t0 > t1:
            return None
    return t0, t1


def clip_path_to_box(points, lower, upper) -> ClippedPath:
    """Cut a polygonal path to the box ``lower <= p <= upper``, marking where it leaves.

    Each segment of the path is cut to its part inside the box (the drawn straight
    segment, not the curve a flow would follow); the pieces are separated by NaN rows.
    A non-finite vertex ends the path (an iteration that overflowed).

    Parameters
    ----------
    points : array_like, shape (n, d)
        The vertices of the path, in order.
    lower, upper : array_like, shape (d,)
        The corners of the box.

    Returns
    -------
    ClippedPath

    Examples
    --------
    >>> clipped = clip_path_to_box([[0, 0], [1, 0.5], [4, 2]], [-2, -2], [2, 2])
    >>> clipped.points.tolist(), clipped.exits.tolist(), clipped.first_exit
    ([[0.0, 0.0], [1.0, 0.5], [2.0, 1.0]], [[2.0, 1.0]], 1)
    >>> out_and_back = clip_path_to_box([[0, 0], [4, 0], [1, 1]], [-2, -2], [2, 2])
    >>> out_and_back.points.tolist()
    [[0.0, 0.0], [2.0, 0.0], [nan, nan], [2.0, 0.6666666666666666], [1.0, 1.0]]
    >>> clip_path_to_box([[0, 0], [1, 1]], [-2, -2], [2, 2]).leaves
    False
    """
    P = np.asarray(points, dtype=float)
    lo, hi = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    if P.ndim != 2 or P.shape[1] != lo.shape[0] or hi.shape != lo.shape:
        raise ValueError(f"points must have shape (n, {lo.shape[0]}) to match the box, "
                         f"got {P.shape}")
    if np.any(lo > hi):
        raise ValueError("the box must have lower <= upper in every coordinate")
    finite = np.all(np.isfinite(P), axis=1)
    if not finite.all():
        P = P[:int(np.argmin(finite))]
    gap = np.full(P.shape[1], np.nan)
    out: list[np.ndarray] = []
    exits: list[np.ndarray] = []
    first_exit = None

    def inside(p):
        return bool(np.all((p >= lo) & (p <= hi)))

    if len(P) == 1 and inside(P[0]):
        out.append(P[0])
    for step, (a, b) in enumerate(zip(P[:-1], P[1:])):
        part = _segment_in_box(a, b, lo, hi)
        if part is None:
            continue
        start, end = (a if t == 0 else b if t == 1 else np.clip(a + t * (b - a), lo, hi)
                      for t in part)
        if not out or not np.array_equal(out[-1], start):
            if out:
                out.append(gap)
            out.append(start)
        out.append(end)
        if not inside(b):
            exits.append(end)
            first_exit = step if first_exit is None else first_exit
    return ClippedPath(np.array(out).reshape(-1, P.shape[1]),
                       np.array(exits).reshape(-1, P.shape[1]), first_exit)
