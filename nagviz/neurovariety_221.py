"""A singular neurovariety to draw: (2, 2, 1) with activation ``z^3 + z^2``.

The network ``v_1 sigma(l_1) + v_2 sigma(l_2)`` (:data:`CUBIC_221`) computes ``Q + K``,
a binary quadratic plus a binary cubic; its neurovariety is the cubic hypersurface
``det M = 0`` in the 7-dimensional space of such pairs, where ``M`` is a 3 x 3
apolarity matrix (:func:`apolarity_matrix_221`, :func:`neurovariety_221_equation`). It
is singular where ``M`` has rank one: along the one-neuron networks.
:func:`network_221_parameters` recovers real weights from a point,
:func:`singular_slice_221` meshes a 3-D slice through a line of one-neuron networks and
:func:`slice_cross_section_221` classifies its cross-sections (nodes, isolated points).

Pure mathematics: no plotting or widget imports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .cache import memoize
from .architecture import Architecture
from .parameterization import coefficients

__all__ = [
    "CUBIC_221",
    "apolarity_matrix_221",
    "neurovariety_221_equation",
    "network_221_parameters",
    "is_real_network_221",
    "SingularSlice",
    "singular_slice_221",
    "slice_cross_section_221",
]


#: The network ``v1 sigma(l1) + v2 sigma(l2)``, ``sigma(z) = z^3 + z^2``, ``l_j`` linear forms
#: in ``x, y``: a hypersurface of dimension 6 in the 7-dimensional space of
#: ``Q + K`` (``Q`` a binary quadratic, ``K`` a binary cubic).
CUBIC_221 = Architecture((2, 2, 1), "z^3 + z^2")


def apolarity_matrix_221(coeffs) -> np.ndarray:
    """The 3 x 3 matrix whose determinant cuts out the (2,2,1), ``z^3 + z^2`` neurovariety.

    Write ``f = Q + K`` with ``Q = A x^2 + B xy + C y^2`` and
    ``K = k0 x^3 + k1 x^2 y + k2 x y^2 + k3 y^3`` (nagviz's coefficient order). A network
    computes ``Q = sum_j a_j m_j^2`` and ``K = sum_j b_j m_j^3`` for two directions
    ``m_1, m_2``. A quadratic differential operator ``q(d) = q0 d_x^2 + q1 d_x d_y +
    q2 d_y^2`` kills both exactly when its factors are the lines dual to ``m_1, m_2``
    (apolarity), and ``q(d) Q = 0``, ``q(d) K = 0`` are three linear conditions on
    ``(q0, q1, q2)``: the rows of this matrix. So ``det = 0`` on the neuromanifold (a
    cubic equation), the matrix has rank at most 1 exactly at the singular points
    (``Q = A m^2, K = B m^3``: every neuron along one direction, a subnetwork; or
    ``K = 0``, reached only in the limit of unbounded weights), and the kernel gives the
    hidden neurons (:func:`network_221_parameters`).

    Parameters
    ----------
    coeffs : array_like, shape (..., 7)

    Returns
    -------
    numpy.ndarray, shape (..., 3, 3)

    Examples
    --------
    One neuron ``sigma(x + y)``: rank one.

    >>> f = coefficients(CUBIC_221, [1.0, 1.0, 0.0, 0.0, 1.0, 0.0])[0]
    >>> int(np.linalg.matrix_rank(apolarity_matrix_221(f)))
    1
    >>> f = coefficients(CUBIC_221, [1.0, 2.0, -1.0, 0.5, 1.0, -2.0])[0]   # two neurons
    >>> int(np.linalg.matrix_rank(apolarity_matrix_221(f)))
    2
    """
    c = np.asarray(coeffs, dtype=float)
    if c.shape[-1] != 7:
        raise ValueError(f"coefficients of (2,2,1) with z^3 + z^2 have 7 entries, got {c.shape}")
    A, B, C, k0, k1, k2, k3 = np.moveaxis(c, -1, 0)
    rows = [np.stack([2 * A, B, 2 * C], axis=-1),
            np.stack([6 * k0, 2 * k1, 2 * k2], axis=-1),
            np.stack([2 * k1, 2 * k2, 6 * k3], axis=-1)]
    return np.stack(rows, axis=-2)


def neurovariety_221_equation(coeffs) -> np.ndarray:
    """``det`` of :func:`apolarity_matrix_221`: zero exactly on the neurovariety.

    A cubic polynomial in the 7 coefficients, linear in the quadratic part and quadratic
    in the cubic part.

    Examples
    --------
    >>> theta = np.random.default_rng(0).standard_normal(6)
    >>> abs(float(neurovariety_221_equation(coefficients(CUBIC_221, theta)[0]))) < 1e-9
    True
    >>> round(float(neurovariety_221_equation([1, 0, 1, 0, 1, 0, 0])), 9)   # x^2 + y^2 + x^2 y
    -8.0
    """
    return np.linalg.det(apolarity_matrix_221(coeffs))


def network_221_parameters(coeffs, tolerance: float = 1e-9):
    """Real weights of (2,2,1), ``z^3 + z^2`` computing ``coeffs``, or None.

    The kernel ``q`` of :func:`apolarity_matrix_221` factors as
    ``(b_1 d_x - a_1 d_y)(b_2 d_x - a_2 d_y)``; its real roots are the directions
    ``m_j = a_j x + b_j y`` of the hidden neurons. Solving ``Q = sum a_j m_j^2`` and
    ``K = sum b_j m_j^3`` gives each neuron's scale ``t_j = b_j / a_j`` and out-weight
    ``v_j = a_j / t_j^2``. None when the roots are not real and distinct (only complex
    weights reach the point), when the point is not on the neurovariety, or when some
    ``a_j`` or ``b_j`` vanishes (a limit of networks, not a network).

    Returns
    -------
    numpy.ndarray of shape (6,) or None
        ``(w_11, w_12, w_21, w_22, v_1, v_2)``.

    Examples
    --------
    >>> theta = [1.0, 2.0, -1.0, 0.5, 1.0, -2.0]
    >>> f = coefficients(CUBIC_221, theta)[0]
    >>> back = network_221_parameters(f)
    >>> bool(np.allclose(coefficients(CUBIC_221, back)[0], f))
    True
    >>> network_221_parameters([1, 0, 1, 0, 1, 0, 0]) is None        # not on the variety
    True
    """
    c = np.asarray(coeffs, dtype=float)
    theta, ok = _decompose_221(c.reshape(1, 7), tolerance)
    return theta[0] if ok[0] else None


def is_real_network_221(coeffs, tolerance: float = 1e-9) -> np.ndarray:
    """For each row of ``coeffs``: do real weights of (2,2,1), ``z^3 + z^2`` compute it?

    The batched test behind :func:`network_221_parameters`: points of the neurovariety
    that only complex weights reach, and points off it, give ``False``.

    Examples
    --------
    >>> f = coefficients(CUBIC_221, [1.0, 2.0, -1.0, 0.5, 1.0, -2.0])[0]
    >>> is_real_network_221([f, [1, 0, 1, 0, 1, 0, 0]]).tolist()
    [True, False]
    """
    return _decompose_221(np.atleast_2d(np.asarray(coeffs, dtype=float)), tolerance)[1]


def _decompose_221(C, tolerance):
    """Batched :func:`network_221_parameters`: ``(theta (N, 6), ok (N,))``."""
    C = np.asarray(C, dtype=float)
    N = C.shape[0]
    M = apolarity_matrix_221(C)
    scale = np.maximum(np.abs(M).reshape(N, -1).max(axis=1), 1e-300)
    _, s, vt = np.linalg.svd(M)
    ok = (s[:, 2] <= tolerance * scale) & (s[:, 1] > tolerance * scale)
    q0, q1, q2 = vt[:, 2, 0], vt[:, 2, 1], vt[:, 2, 2]
    disc = q1 * q1 - 4 * q0 * q2
    ok &= disc > tolerance
    root = np.sqrt(np.maximum(disc, 0.0))
    first = np.abs(q0) >= np.abs(q2)  # directions (r, 1) from q0 r^2 + q1 r + q2 = 0
    dirs = np.empty((N, 2, 2))
    with np.errstate(all="ignore"):
        for j, sign in enumerate((1.0, -1.0)):
            r0 = (-q1 + sign * root) / (2 * q0)
            r2 = (-q1 + sign * root) / (2 * q2)
            dirs[:, j, 0] = np.where(first, r0, 1.0)
            dirs[:, j, 1] = np.where(first, 1.0, r2)
    finite = np.all(np.isfinite(dirs), axis=(1, 2))
    ok &= finite
    dirs = np.where(finite[:, None, None], dirs, 1.0)
    dirs /= np.maximum(np.linalg.norm(dirs, axis=-1, keepdims=True), 1e-300)
    p, q = dirs[..., 0], dirs[..., 1]  # (N, 2)
    sq = np.stack([p * p, 2 * p * q, q * q], axis=1)                      # (N, 3, 2)
    cu = np.stack([p ** 3, 3 * p * p * q, 3 * p * q * q, q ** 3], axis=1)  # (N, 4, 2)
    a = np.einsum("nij,nj->ni", np.linalg.pinv(sq), C[:, :3])
    b = np.einsum("nij,nj->ni", np.linalg.pinv(cu), C[:, 3:])
    size = np.maximum(np.abs(C).max(axis=1), 1e-300)
    ok &= np.all(np.abs(a) > tolerance * size[:, None], axis=1)
    ok &= np.all(np.abs(b) > tolerance * size[:, None], axis=1)
    with np.errstate(all="ignore"):
        t = np.where(ok[:, None], b / a, 1.0)
        v = np.where(ok[:, None], a / t ** 2, 0.0)
    theta = np.concatenate([(t[:, :, None] * dirs).reshape(N, 4), v], axis=1)
    back = coefficients(CUBIC_221, np.where(ok[:, None], theta, 0.0)).reshape(N, 7)
    ok &= np.abs(back - C).max(axis=1) <= 1e-6 * size
    theta[~ok] = np.nan
    return theta, ok


@dataclass(frozen=True)
class SingularSlice:
    """A 3-dimensional slice of the (2,2,1), ``z^3 + z^2`` neuromanifold through a line
    of one-neuron networks.

    The slice is the affine space of functions
    ``x^2 + alpha x^3 + beta (y^2 + x y^2) + gamma (x y + y^3)``. Its points on the
    neurovariety satisfy ``equation``; the ``alpha``-axis (``beta = gamma = 0``) is the
    line of one-neuron networks ``v sigma(a x)`` (``a = alpha``, ``v = 1 / alpha^2``; at
    ``alpha = 0`` two opposite neurons) and the surface is singular exactly there. Each
    cross-section ``alpha = const`` is a pair of lines through the axis: two real lines
    crossing (a node) for ``alpha < 0`` or ``alpha > 1/3``, only the point on the axis
    (isolated) in between; ``alpha = 0`` and ``alpha = 1/3`` are pinch points.

    Attributes
    ----------
    base, directions : tuple
        The slice ``base + alpha d_1 + beta d_2 + gamma d_3`` in coefficient coordinates.
    equation : str
    alphas : numpy.ndarray
    sheets : tuple of (X, Y, Z) arrays
        Two sheets, meshes over (alpha, distance from the axis) with NaN where there is no
        real point, clipped to ``|(beta, gamma)| <= radius``.
    real : tuple of numpy.ndarray of bool
        Per mesh point: computed by a real network (True) or only by complex weights.
    pinch_points : tuple of float
    radius : float
    """

    base: tuple
    directions: tuple
    equation: str
    alphas: np.ndarray = field(repr=False)
    sheets: tuple = field(repr=False)
    real: tuple = field(repr=False)
    pinch_points: tuple = (0.0, 1.0 / 3.0)
    radius: float = 1.0

    def coefficients(self, alpha, beta, gamma) -> np.ndarray:
        """The coefficient vector (x^2, xy, y^2, x^3, x^2 y, x y^2, y^3) of a slice point.

        Examples
        --------
        >>> singular_slice_221(n_alpha=5, n_radius=3).coefficients(2.0, 0.0, 0.0).tolist()
        [1.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0]
        """
        b = np.asarray(self.base, dtype=float)
        d1, d2, d3 = (np.asarray(d, dtype=float) for d in self.directions)
        return (b + np.multiply.outer(alpha, d1) + np.multiply.outer(beta, d2)
                + np.multiply.outer(gamma, d3))

    def __repr__(self) -> str:
        return (f"SingularSlice of {CUBIC_221!r}: {self.equation} in the slice "
                "x^2 + alpha x^3 + beta (y^2 + x y^2) + gamma (x y + y^3); singular along "
                f"the alpha-axis (one-neuron networks), pinch points alpha = 0 and 1/3")


_SLICE_BASE = (1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)                 # x^2


_SLICE_DIRECTIONS = ((0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0),          # x^3
                     (0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0),          # y^2 + x y^2
                     (0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0))          # x y + y^3


def slice_cross_section_221(alpha: float) -> dict:
    """The cross-section ``alpha = const`` of :func:`singular_slice_221` in the
    ``(beta, gamma)`` plane.

    On the slice the equation is a quadratic form in ``(beta, gamma)`` whose coefficients
    depend on ``alpha`` (read off from :func:`neurovariety_221_equation`), so the
    section is two lines through the origin, one double line, or the origin alone.

    Returns
    -------
    dict
        ``kind`` ("node", "isolated point" or "double line"), ``directions`` (unit
        vectors of the real lines), ``form`` (the 2 x 2 matrix of the quadratic form).

    Examples
    --------
    >>> slice_cross_section_221(-1.0)["kind"], slice_cross_section_221(0.2)["kind"]
    ('node', 'isolated point')
    """
    base, dirs = np.array(_SLICE_BASE), [np.array(d) for d in _SLICE_DIRECTIONS]

    def F(beta, gamma):
        return float(neurovariety_221_equation(base + alpha * dirs[0] + beta * dirs[1]
                                               + gamma * dirs[2]))

    h11, h22 = F(1.0, 0.0), F(0.0, 1.0)
    h12 = (F(1.0, 1.0) - h11 - h22) / 2
    H = np.array([[h11, h12], [h12, h22]])
    det = h11 * h22 - h12 * h12
    size = max(float(np.abs(H).max()), 1e-300)
    if abs(det) <= 1e-12 * size * size:
        w, V = np.linalg.eigh(H)
        k = int(np.argmin(np.abs(w)))
        return dict(kind="double line", directions=[V[:, k]], form=H)
    if det > 0:
        return dict(kind="isolated point", directions=[], form=H)
    # null directions of an indefinite form
    w, V = np.linalg.eigh(H)
    # u = s V_0 + t V_1 is null when w_0 s^2 + w_1 t^2 = 0
    lo, hi = V[:, 0] * math.sqrt(w[1]), V[:, 1] * math.sqrt(-w[0])
    out = [u / np.linalg.norm(u) for u in (lo + hi, lo - hi)]
    return dict(kind="node", directions=out, form=H)


@memoize(maxsize=4)
def singular_slice_221(alpha_range=(-1.0, 1.2), radius: float = 1.0, n_alpha: int = 89,
                       n_radius: int = 25) -> SingularSlice:
    """The surface ``V cap L`` of :class:`SingularSlice`, meshed for drawing.

    Each real line of each cross-section (:func:`slice_cross_section_221`) is sampled at
    ``n_radius`` distances in ``[-radius, radius]`` from the axis; every sample is
    classified as computed by a real network (:func:`network_221_parameters`) or not.

    Examples
    --------
    >>> s = singular_slice_221(n_alpha=21, n_radius=5)
    >>> X, Y, Z = s.sheets[0]
    >>> pts = s.coefficients(X, Y, Z)[np.isfinite(X)]
    >>> bool(np.abs(neurovariety_221_equation(pts)).max() < 1e-9)
    True
    """
    lo, hi = alpha_range
    alphas = np.unique(np.concatenate([np.linspace(lo, hi, n_alpha),
                                       [-1e-3, 1e-3, 1 / 3 - 1e-3, 1 / 3 + 1e-3]]))
    alphas = alphas[(alphas >= lo) & (alphas <= hi)]
    rho = np.linspace(-radius, radius, n_radius)
    sheets, reals = [], []
    meshes = [tuple(np.full((len(alphas), n_radius), np.nan) for _ in range(3)) for _ in range(2)]
    for i, a in enumerate(alphas):
        dirs = slice_cross_section_221(float(a))["directions"]
        if not dirs:
            continue
        # orient each line with beta >= 0 and order the two by slope, so that each sheet
        # varies continuously with alpha
        dirs = [d if (d[0] > 0 or (d[0] == 0 and d[1] > 0)) else -d for d in dirs]
        dirs = sorted(dirs, key=lambda d: -math.atan2(d[1], d[0]))
        for k, (X, Y, Z) in enumerate(meshes):
            d = dirs[min(k, len(dirs) - 1)]
            X[i], Y[i], Z[i] = a, rho * d[0], rho * d[1]
    sheets.extend(meshes)
    base, dirs = np.array(_SLICE_BASE), np.array(_SLICE_DIRECTIONS)
    for X, Y, Z in sheets:
        R = np.zeros(X.shape, dtype=bool)
        finite = np.isfinite(X)
        pts = base + np.stack([X[finite], Y[finite], Z[finite]], axis=1) @ dirs
        R[finite] = _decompose_221(pts, 1e-7)[1]
        reals.append(R)
    return SingularSlice(_SLICE_BASE, _SLICE_DIRECTIONS,
                         "6 alpha beta^2 - 2 beta^2 - 9 alpha gamma^2 = 0", alphas,
                         tuple(sheets), tuple(reals), (0.0, 1.0 / 3.0), float(radius))
