"""Linear regions of small ReLU networks with two inputs.

A ReLU network ``f(x) = W_L relu(... relu(W_1 x + b_1) ...) + b_L`` is piecewise
linear: on each set where the *activation pattern* (which hidden neurons are on) is
fixed, it is an affine function. These sets are convex polygons (intersections of
half-planes, once the earlier layers' pattern is fixed); they are the **linear regions**
counted here. In the language of tropical geometry, ``f`` is a tropical rational
function, a difference of two convex piecewise-linear functions, and the region
boundaries are pieces of tropical hypersurfaces.

Two independent ways to count the regions in a box:

* :func:`linear_regions` -- exact polygon geometry: start from the box, and for each
  hidden neuron in turn cut every current polygon along the line where that neuron's
  input (affine on the polygon) vanishes; the result is the list of regions, each with
  its activation pattern and its affine function;
* :func:`grid_region_count` -- sample the activation pattern on a fine grid and count
  the distinct patterns seen (each pattern's region is convex, so one pattern is one
  region); it misses regions that fall between grid points.

For one hidden layer of width ``n`` the lines form an arrangement, and in general
position the whole plane has ``1 + n + n(n - 1)/2`` regions (:func:`arrangement_bound`);
inside a box, ``1 + (lines meeting the box) + (crossings inside the box)``
(:func:`shallow_region_count`).

Pure mathematics: no plotting or widget imports.

Examples
--------
>>> net = ReLUNetwork.random((2, 4, 1), seed=0)
>>> r = linear_regions(net, box=(-3, 3, -3, 3))
>>> r.count == shallow_region_count(net, box=(-3, 3, -3, 3)) <= arrangement_bound(4)
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from numbers import Integral

import numpy as np

__all__ = [
    "ReLUNetwork",
    "LinearRegions",
    "GridRegionCount",
    "RegionGrowth",
    "linear_regions",
    "grid_region_count",
    "shallow_region_count",
    "arrangement_bound",
    "region_growth",
]

_AREA_EPS = 1e-12


def _check_box(box) -> tuple[float, float, float, float]:
    try:
        x0, x1, y0, y1 = (float(v) for v in box)
    except (TypeError, ValueError):
        raise ValueError(f"box must be (xmin, xmax, ymin, ymax), got {box!r}") from None
    if not (np.isfinite([x0, x1, y0, y1]).all() and x0 < x1 and y0 < y1):
        raise ValueError(f"box must be (xmin, xmax, ymin, ymax) with xmin < xmax and ymin < ymax, "
                         f"got {box!r}")
    return x0, x1, y0, y1


@dataclass(frozen=True, repr=False)
class ReLUNetwork:
    """A fully connected ReLU network with biases and two inputs.

    Parameters
    ----------
    widths : tuple of int
        ``(2, d_1, ..., d_L)``.
    weights, biases : tuple of numpy arrays
        ``W_i`` of shape ``(d_i, d_{i-1})`` and ``b_i`` of shape ``(d_i,)``.

    Examples
    --------
    >>> net = ReLUNetwork.random((2, 3, 1), seed=1)
    >>> net
    ReLUNetwork(widths=(2, 3, 1), seed=1)
    >>> net(np.zeros((1, 2))).shape
    (1, 1)
    """

    widths: tuple
    weights: tuple
    biases: tuple
    seed: int | None = field(default=None, compare=False)

    def __post_init__(self):
        widths = tuple(self.widths)
        if len(widths) < 2 or widths[0] != 2 or any(
                isinstance(w, bool) or not isinstance(w, (Integral, np.integer)) or w < 1
                for w in widths):
            raise ValueError(f"widths must be (2, d_1, ..., d_L) with positive integers, got {widths!r}")
        if len(self.weights) != len(widths) - 1 or len(self.biases) != len(widths) - 1:
            raise ValueError(f"widths {widths} need {len(widths) - 1} weight matrices and bias vectors")
        for i, (W, b) in enumerate(zip(self.weights, self.biases)):
            if np.shape(W) != (widths[i + 1], widths[i]) or np.shape(b) != (widths[i + 1],):
                raise ValueError(f"layer {i + 1} needs W of shape {(widths[i + 1], widths[i])} and b of "
                                 f"shape {(widths[i + 1],)}, got {np.shape(W)} and {np.shape(b)}")

    @classmethod
    def random(cls, widths, seed=None, scale: float = 1.0) -> "ReLUNetwork":
        """Gaussian weights and biases (``N(0, scale^2)``)."""
        widths = tuple(widths)
        if any(isinstance(w, bool) or not isinstance(w, (Integral, np.integer)) or w < 1 for w in widths):
            raise ValueError(f"widths must be positive integers like (2, 4, 1), got {widths!r}")
        if sum(widths) > 400:
            raise ValueError(f"widths {widths} are too large for a region picture; use at most 400 neurons")
        rng = np.random.default_rng(seed)
        Ws = tuple(scale * rng.standard_normal((widths[i + 1], widths[i])) for i in range(len(widths) - 1))
        bs = tuple(scale * rng.standard_normal(widths[i + 1]) for i in range(len(widths) - 1))
        return cls(widths, Ws, bs, seed=seed)

    def __repr__(self) -> str:
        return f"ReLUNetwork(widths={tuple(self.widths)}, seed={self.seed})"

    @property
    def hidden_neurons(self) -> int:
        return sum(self.widths[1:-1])

    def __call__(self, X, activation=None) -> np.ndarray:
        """The network's values at points ``X`` of shape (N, 2).

        ``activation`` replaces ReLU by another function (e.g. a polynomial approximation
        from :func:`nagviz.approximation.approximate`), with the same weights.

        Examples
        --------
        >>> net = ReLUNetwork((2, 1, 1), (np.array([[1.0, 1.0]]), np.array([[2.0]])),
        ...                   (np.zeros(1), np.zeros(1)))
        >>> net([[1.0, 2.0], [-1.0, -2.0]]).ravel().tolist()
        [6.0, 0.0]
        >>> net([[1.0, 2.0]], activation=np.square).ravel().tolist()
        [18.0]
        """
        sigma = (lambda z: np.maximum(z, 0.0)) if activation is None else activation
        h = np.asarray(X, dtype=float)
        for i, (W, b) in enumerate(zip(self.weights, self.biases)):
            h = _affine(h, W, b)
            if i < len(self.weights) - 1:
                h = sigma(h)
        return h

    def preactivation_range(self, X) -> float:
        """The largest ``|pre-activation|`` of a hidden neuron over the points ``X``."""
        h, top = np.asarray(X, dtype=float), 0.0
        for W, b in zip(self.weights[:-1], self.biases[:-1]):
            h = _affine(h, W, b)
            top = max(top, float(np.abs(h).max()))
            h = np.maximum(h, 0.0)
        return top

    def activation_pattern(self, X) -> np.ndarray:
        """Boolean array (N, hidden neurons): which hidden neurons are on at each point."""
        h = np.asarray(X, dtype=float)
        on = []
        for W, b in zip(self.weights[:-1], self.biases[:-1]):
            h = _affine(h, W, b)
            on.append(h > 0)
            h = np.maximum(h, 0.0)
        return np.concatenate(on, axis=1) if on else np.zeros((len(h), 0), dtype=bool)


_ROWS = 2048  # row blocks this small keep OpenBLAS on one thread


def _affine(h: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``h @ W.T + b`` in blocks of rows: the same numbers, but for the thin matrices of
    these networks OpenBLAS's threads only cost time (tens of ms on a loaded machine)."""
    out = np.empty((len(h), W.shape[0]))
    for i in range(0, len(h), _ROWS):
        np.matmul(h[i:i + _ROWS], W.T, out=out[i:i + _ROWS])
    return out + b


def _clip(poly: np.ndarray, a: np.ndarray, c: float, keep_positive: bool):
    """The part of a convex polygon where ``a . x + c >= 0`` (or ``<= 0``)."""
    sign = 1.0 if keep_positive else -1.0
    vals = sign * (poly @ a + c)
    out = []
    n = len(poly)
    for i in range(n):
        p, q = poly[i], poly[(i + 1) % n]
        vp, vq = vals[i], vals[(i + 1) % n]
        if vp >= 0:
            out.append(p)
        if (vp > 0 > vq) or (vp < 0 < vq):
            t = vp / (vp - vq)
            out.append(p + t * (q - p))
    return np.array(out) if len(out) >= 3 else None


def _area(poly: np.ndarray) -> float:
    x, y = poly[:, 0], poly[:, 1]
    return 0.5 * abs(float(x[:-1] @ y[1:] - y[:-1] @ x[1:]) + x[-1] * y[0] - y[-1] * x[0])


def _extremes(vals: np.ndarray) -> tuple:
    """Per column (neuron) of vertex values: the least and the largest, as Python lists."""
    return vals.min(axis=0).tolist(), vals.max(axis=0).tolist()


@dataclass(frozen=True, repr=False)
class LinearRegions:
    """The linear regions of a ReLU network in a box, by exact polygon cutting.

    Attributes
    ----------
    network : ReLUNetwork
    box : tuple of float
    polygons : tuple of numpy arrays
        Vertices (k, 2) of each region, counter-clockwise or clockwise.
    patterns : tuple of tuple of bool
        The activation pattern of each region.
    gradients : numpy array (regions, 2)
        The gradient of the first output on each region (the network is affine there).
    """

    network: ReLUNetwork
    box: tuple
    polygons: tuple
    patterns: tuple
    gradients: np.ndarray
    method: str = "exact: convex polygons cut along each neuron's zero line"

    @property
    def count(self) -> int:
        """The number of linear (activation) regions in the box."""
        return len(self.polygons)

    @property
    def areas(self) -> np.ndarray:
        return np.array([_area(p) for p in self.polygons])

    def __repr__(self) -> str:
        return (f"LinearRegions of {self.network!r} in the box {self.box}\n"
                f"  regions   {self.count}\n"
                f"  method    {self.method}")


def linear_regions(network: ReLUNetwork, box=(-1.0, 1.0, -1.0, 1.0)) -> LinearRegions:
    """Cut the box into the network's linear regions, exactly (up to rounding of vertices).

    Examples
    --------
    >>> W1 = np.array([[1.0, 0.0], [0.0, 1.0]]); b1 = np.zeros(2)   # relu(x) + relu(y)
    >>> net = ReLUNetwork((2, 2, 1), (W1, np.ones((1, 2))), (b1, np.zeros(1)))
    >>> r = linear_regions(net)
    >>> r.count, sorted(map(tuple, r.gradients.tolist()))
    (4, [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)])
    """
    x0, x1, y0, y1 = _check_box(box)
    start = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    # each piece: polygon, pattern so far, and the affine map x -> A x + c of the current layer's input
    pieces = [(start, (), np.eye(2), np.zeros(2))]
    layers = list(zip(network.weights, network.biases))
    for W, b in layers[:-1]:
        new_pieces = []
        for poly, pattern, A, c in pieces:
            pre_A, pre_c = W @ A, W @ c + b         # pre-activations, affine on the polygon
            # each cell with the least and largest value of every neuron on its vertices
            cells = [(poly, pattern) + _extremes(poly @ pre_A.T + pre_c)]
            for k in range(W.shape[0]):
                cut = []
                for cell, pat, lo, hi in cells:
                    if lo[k] >= 0 or hi[k] <= 0:  # the line misses the open cell: no clipping
                        cut.append((cell, pat + (bool(hi[k] > 0),), lo, hi))
                        continue
                    for on in (True, False):
                        part = _clip(cell, pre_A[k], pre_c[k], on)
                        if part is not None and _area(part) > _AREA_EPS:
                            cut.append((part, pat + (on,)) + _extremes(part @ pre_A.T + pre_c))
                cells = cut
            for cell, pat, _, _ in cells:
                mask = np.array(pat[len(pattern):], dtype=float)
                new_pieces.append((cell, pat, mask[:, None] * pre_A, mask * pre_c))
        pieces = new_pieces
    W, b = layers[-1]
    return LinearRegions(
        network=network,
        box=(x0, x1, y0, y1),
        polygons=tuple(p for p, _, _, _ in pieces),
        patterns=tuple(pat for _, pat, _, _ in pieces),
        gradients=np.array([(W @ A)[0] for _, _, A, _ in pieces]).reshape(-1, 2),
    )


@dataclass(frozen=True, repr=False)
class GridRegionCount:
    """Regions counted on a grid: the distinct activation patterns at the grid points.

    Attributes
    ----------
    count : int
    resolution : int
        Grid points per side.
    labels : numpy array (resolution, resolution)
        A region number per grid point (rows are ``y``, columns ``x``).
    box : tuple of float
    """

    count: int
    resolution: int
    labels: np.ndarray
    box: tuple
    method: str = "grid: distinct activation patterns at the grid points"

    def __repr__(self) -> str:
        return (f"GridRegionCount: {self.count} regions on a {self.resolution} x "
                f"{self.resolution} grid in the box {self.box}")


def grid_region_count(network: ReLUNetwork, box=(-1.0, 1.0, -1.0, 1.0),
                      resolution: int = 400) -> GridRegionCount:
    """Count regions by sampling the activation pattern on a ``resolution`` x ``resolution`` grid.

    The region of one activation pattern is convex (on it every pre-activation is
    affine, so it is cut out by half-planes), hence it is connected and the number of
    distinct patterns seen is the number of regions the grid hits: a lower bound of the
    true count that reaches it once the grid is fine enough.

    Examples
    --------
    >>> net = ReLUNetwork.random((2, 5, 1), seed=3)
    >>> grid_region_count(net, (-2, 2, -2, 2)).count == linear_regions(net, (-2, 2, -2, 2)).count
    True
    """
    x0, x1, y0, y1 = _check_box(box)
    if isinstance(resolution, bool) or not isinstance(resolution, (Integral, np.integer)) \
            or not 2 <= resolution <= 4000:
        raise ValueError(f"resolution must be an integer between 2 and 4000, got {resolution!r}")
    xs, ys = np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
    X, Y = np.meshgrid(xs, ys)
    pattern = network.activation_pattern(np.column_stack([X.ravel(), Y.ravel()]))
    packed = np.packbits(pattern, axis=1)   # 8 neurons per byte
    if packed.shape[1] <= 8:  # one big-endian integer per point: sorts like the bytes, faster
        packed = np.pad(packed, ((0, 0), (0, 8 - packed.shape[1])))
        keys = np.ascontiguousarray(packed).view(">u8").ravel()
    else:
        packed = np.ascontiguousarray(packed)
        keys = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()  # one key per point
    _, codes = np.unique(keys, return_inverse=True)
    labels = codes.reshape(resolution, resolution)
    return GridRegionCount(count=int(labels.max()) + 1, resolution=int(resolution), labels=labels,
                           box=(x0, x1, y0, y1))


def arrangement_bound(n: int) -> int:
    """``1 + n + n(n-1)/2``: regions of ``n`` lines in general position in the plane.

    It is the most a one-hidden-layer network of width ``n`` with two inputs can have.

    Examples
    --------
    >>> [arrangement_bound(n) for n in range(5)]
    [1, 2, 4, 7, 11]
    """
    return 1 + n + math.comb(n, 2)


def shallow_region_count(network: ReLUNetwork, box=(-1.0, 1.0, -1.0, 1.0)) -> int:
    """Regions of a one-hidden-layer network in a box, by counting: ``1 + lines + crossings``.

    Each line that meets the box adds one region, and each crossing of two lines inside
    the box one more (Euler's formula for an arrangement in general position in a
    convex set).

    Examples
    --------
    >>> shallow_region_count(ReLUNetwork.random((2, 3, 1), seed=0), box=(-100, 100, -100, 100))
    7
    """
    if len(network.widths) != 3:
        raise ValueError(f"the counting formula needs one hidden layer, got widths {network.widths}")
    x0, x1, y0, y1 = _check_box(box)
    W, b = network.weights[0], network.biases[0]
    corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    vals = corners @ W.T + b                              # (4, n)
    meets = (vals.min(axis=0) < 0) & (vals.max(axis=0) > 0)
    crossings = 0
    idx = np.flatnonzero(meets)
    for i_pos, i in enumerate(idx):
        for j in idx[i_pos + 1:]:
            M = W[[i, j]]
            if abs(np.linalg.det(M)) < 1e-14:
                continue
            p = np.linalg.solve(M, -b[[i, j]])
            if x0 < p[0] < x1 and y0 < p[1] < y1:
                crossings += 1
    return int(1 + meets.sum() + crossings)


@dataclass(frozen=True, repr=False)
class RegionGrowth:
    """Region counts over widths and seeds (:func:`region_growth`)."""

    widths: tuple
    counts: np.ndarray          # (len(widths), seeds)
    depth: int
    box: tuple
    seeds: int

    def plot(self, ax=None):
        """Regions against width, with the bound, with matplotlib (:func:`nagviz.plotting.plot_region_growth`); returns the matplotlib axes."""
        from .plotting import plot_region_growth

        return plot_region_growth(self, ax=ax)

    @property
    def mean(self) -> np.ndarray:
        return self.counts.mean(axis=1)

    @property
    def bound(self) -> np.ndarray:
        """``1 + n + n(n-1)/2`` for one hidden layer of width ``n`` (the arrangement bound)."""
        return np.array([arrangement_bound(n) for n in self.widths])

    def __repr__(self) -> str:
        rows = "\n".join(f"  width {n:>3}: mean {m:7.1f}, max {c.max():4d}"
                         for n, m, c in zip(self.widths, self.mean, self.counts))
        return (f"RegionGrowth: {self.depth} hidden layer(s), box {self.box}, {self.seeds} seeds\n"
                + rows)


def region_growth(widths, depth: int = 1, box=(-3.0, 3.0, -3.0, 3.0), seeds: int = 5) -> RegionGrowth:
    """Exact region counts of random networks ``(2, n, ..., n, 1)`` for each width ``n``.

    Examples
    --------
    >>> g = region_growth([1, 2, 4], seeds=3)
    >>> bool((g.counts <= g.bound[:, None]).all())
    True
    """
    widths = tuple(int(n) for n in widths)
    box = _check_box(box)
    counts = np.array([[linear_regions(ReLUNetwork.random((2,) + (n,) * depth + (1,), seed=s), box).count
                        for s in range(seeds)] for n in widths])
    return RegionGrowth(widths=widths, counts=counts, depth=int(depth), box=box, seeds=int(seeds))
