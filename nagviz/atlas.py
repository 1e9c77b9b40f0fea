"""A dimension atlas: the exact dimension of many neurovarieties at once, cached.

Sweeping an architecture family shows where counting parameters is right and where it
is not. For shallow networks with one output, ``f = sum_j v_j (w_j . x)^r`` is a sum of
``d_1`` r-th powers of linear forms, and the Alexander–Hirschowitz theorem says the
count ``min(d_0 d_1, binom(d_0 + r - 1, r))`` is right except for quadrics (``r = 2``,
``2 <= d_1 <= d_0 - 1``) and four sporadic cases, each defective by one:
``(d_0, d_1, r) = (3, 5, 4), (4, 9, 4), (5, 14, 4), (5, 7, 3)``. An atlas computed by
:func:`shallow_atlas` shows exactly these cells.

Every number comes from :func:`nagviz.sweeps.cached_dimension` (an exact Jacobian rank
modulo a large prime, remembered in memory and on disk by :mod:`nagviz.cache`; pass
``cache_dir=`` to move the disk cache or ``cache_dir=False`` to turn it off). The same
module also holds the dimension against the activation degree (:func:`degree_threshold`)
and the smallest filling width (:func:`minimal_filling_width`).

Long sweeps report progress through a ``progress(done, total)`` callback; the view layer
turns it into a progress bar. Pure mathematics: no plotting, widget or tqdm imports.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._sweep_common import METHOD, as_activation, positive_ints, readonly, status_line
from .architecture import Architecture
from .cache import cache_directory, clear_cache  # re-exported: they used to live here
from .jacobian_rank import DEFAULT_PRIME
from .sweeps import SweepResult, cached_dimension, sweep

__all__ = [
    "AtlasResult",
    "SweepResult",
    "ThresholdResult",
    "FillingResult",
    "cached_dimension",
    "sweep",
    "grid_atlas",
    "shallow_atlas",
    "deep_atlas",
    "degree_threshold",
    "minimal_filling_width",
    "alexander_hirschowitz_dimension",
    "cache_directory",
    "clear_cache",
    "format_grid",
    "QUANTITIES",
    "AtlasFamily",
    "ATLAS_FAMILIES",
    "THRESHOLD_PRESETS",
]

#: The per-architecture numbers an atlas holds, in the order the tables print them.
QUANTITIES = ("dimension", "defect", "expected", "ambient", "parameters", "fiber", "filling")


# ----------------------------------------------------------------------------------
# two-dimensional atlases
# ----------------------------------------------------------------------------------
def format_grid(corner: str, row_names, column_names, cells, star=None) -> str:
    r"""Align a table of strings: a corner label, row names, column names, and cells.

    ``star[i][j]`` appends a ``*`` to a cell (columns stay aligned).

    Examples
    --------
    >>> print(format_grid("r \\ c", [1, 2], ["a", "b"], [["1", "22"], ["3", "4"]],
    ...                   [[False, True], [False, False]]))
    r \ c  a  b
    1      1  22*
    2      3   4
    """
    cells = [[str(c) for c in row] for row in cells]
    star = np.zeros((len(cells), len(column_names)), bool) if star is None else np.asarray(star)
    first = [str(corner)] + [str(r) for r in row_names]
    out_columns = [[x.ljust(max(map(len, first))) for x in first]]
    for j, name in enumerate(column_names):
        col = [str(name)] + [cells[i][j] for i in range(len(cells))]
        w = max(map(len, col))
        any_star = bool(star[:, j].any()) if len(cells) else False
        marks = [" " if any_star else ""] + [
            "*" if star[i, j] else (" " if any_star else "") for i in range(len(cells))]
        out_columns.append([x.rjust(w) + m for x, m in zip(col, marks)])
    return "\n".join("  ".join(parts).rstrip() for parts in zip(*out_columns))


@dataclass(frozen=True, eq=False)
class AtlasResult:
    """Exact dimensions over a grid of architectures: one cell per ``(row, column)``.

    Arrays have shape ``(len(row_values), len(column_values))``; ``A[i, j]`` belongs to
    ``row_values[i]`` and ``column_values[j]``, whose architecture is ``widths[i][j]``.

    Attributes
    ----------
    row_label, column_label : str
        What the axes are, e.g. ``"d_0"`` and ``"d_1"``.
    row_values, column_values : tuple of int
    widths : tuple of tuple of tuple of int
    activation : str
    bias : bool
    dimension, expected, ambient, parameters, defect : numpy.ndarray of int
    certified : numpy.ndarray of bool
        Whether each value met the proven upper bound (then it is certain).
    description : str
        The family, e.g. ``"widths (d_0, d_1, 1)"``.
    method : str
    prime, seed, trials : int
    """

    row_label: str
    column_label: str
    row_values: tuple
    column_values: tuple
    widths: tuple
    activation: str
    bias: bool
    dimension: np.ndarray
    expected: np.ndarray
    ambient: np.ndarray
    parameters: np.ndarray
    defect: np.ndarray
    certified: np.ndarray
    description: str
    method: str
    prime: int
    seed: int
    trials: int

    @property
    def filling(self) -> np.ndarray:
        """Where the neurovariety fills its ambient space."""
        return self.dimension == self.ambient

    @property
    def fiber(self) -> np.ndarray:
        """Dimension of the generic fiber: ``parameters - dimension``."""
        return self.parameters - self.dimension

    @property
    def is_defective(self) -> np.ndarray:
        """Where the dimension is below the expected dimension."""
        return self.defect > 0

    @property
    def shape(self) -> tuple[int, int]:
        return self.dimension.shape

    def quantity(self, name: str) -> np.ndarray:
        """One of :data:`QUANTITIES` as an array.

        Examples
        --------
        >>> shallow_atlas([2, 3], [1, 2], 2, cache_dir=False).quantity("defect").tolist()
        [[0, 0], [0, 1]]
        """
        if name not in QUANTITIES:
            raise ValueError(f"unknown quantity {name!r}; choose one of {', '.join(QUANTITIES)}")
        return np.asarray(getattr(self, name))

    def cell(self, row, column) -> dict:
        """The numbers of one architecture, by its row and column *values*.

        Examples
        --------
        >>> shallow_atlas(3, 5, 4, cache_dir=False).cell(3, 5)["defect"]
        1
        """
        try:
            i, j = self.row_values.index(int(row)), self.column_values.index(int(column))
        except ValueError:
            raise KeyError(f"({row}, {column}) is not in this atlas") from None
        return self._record(i, j)

    def _record(self, i, j) -> dict:
        return {
            "widths": list(self.widths[i][j]),
            "activation": self.activation + (" (with biases)" if self.bias else ""),
            "parameters": int(self.parameters[i, j]),
            "ambient_dimension": int(self.ambient[i, j]),
            "expected_dimension": int(self.expected[i, j]),
            "dimension": int(self.dimension[i, j]),
            "defect": int(self.defect[i, j]),
            "filling": bool(self.filling[i, j]),
            "fiber_dimension": int(self.fiber[i, j]),
        }

    def to_records(self) -> list[dict]:
        """One dict per cell, row by row, with the keys of ``python -m nagviz dim --json``.

        Examples
        --------
        >>> shallow_atlas(2, [1, 2], 2, cache_dir=False).to_records()[0]["widths"]
        [2, 1, 1]
        """
        return [self._record(i, j) for i in range(self.shape[0]) for j in range(self.shape[1])]

    def to_text(self, quantity: str = "dimension", mark_defects: bool = True) -> str:
        """A plain-text table of one quantity (rows and columns as in the atlas).

        Cells below the expected dimension get a ``*`` when ``mark_defects``.

        Examples
        --------
        >>> print(shallow_atlas([2, 3], [1, 2, 3], 2, cache_dir=False).to_text())
        d_0 \\ d_1  1  2   3
        2          2  3   3
        3          3  5*  6
        """
        values = self.quantity(quantity)
        if values.dtype == bool:
            cells = [["yes" if v else "no" for v in row] for row in values]
        else:
            cells = [[str(int(v)) for v in row] for row in values]
        star = (self.defect > 0) if mark_defects else np.zeros(values.shape, bool)
        return format_grid(f"{self.row_label} \\ {self.column_label}", self.row_values,
                           self.column_values, cells, star)

    def footer(self) -> str:
        """One line stating the method, prime, seed and trials."""
        return status_line(self.method, self.prime, self.seed, self.trials,
                            bool(np.all(self.certified)))

    def __repr__(self) -> str:
        n_def = int(np.sum(self.defect > 0))
        lines = [
            f"AtlasResult: {self.description}, activation {self.activation}"
            + (", with biases" if self.bias else ""),
            f"  {self.row_label} in {list(self.row_values)}, "
            f"{self.column_label} in {list(self.column_values)}; "
            f"{n_def} defective and {int(np.sum(self.filling))} filling of {self.dimension.size}",
        ]
        lines += ["  " + line for line in self.to_text("dimension").splitlines()]
        lines.append("  (* = below the expected dimension)")
        lines.append("  " + self.footer())
        return "\n".join(lines)

    def plot(self, ax=None, **kwargs):
        """A heat map of one quantity (``quantity="defect"``), with matplotlib (:func:`nagviz.plotting.plot_atlas`); returns the axes."""
        from .plotting import plot_atlas

        return plot_atlas(self, ax=ax, **kwargs)

    def _repr_html_(self) -> str:
        head = (f"<tr><th>{html.escape(self.row_label)} \\ {html.escape(self.column_label)}</th>"
                + "".join(f"<th>{c}</th>" for c in self.column_values) + "</tr>")
        body = ""
        for i, r in enumerate(self.row_values):
            cells = ""
            for j in range(len(self.column_values)):
                d, e = int(self.dimension[i, j]), int(self.expected[i, j])
                style = " style='background:#fde0c5'" if d < e else ""
                title = (f"widths {self.widths[i][j]}: dim {d}, expected {e}, ambient "
                         f"{int(self.ambient[i, j])}, parameters {int(self.parameters[i, j])}")
                cells += f"<td{style} title='{html.escape(title)}'>{d}{'*' if d < e else ''}</td>"
            body += f"<tr><th>{r}</th>{cells}</tr>"
        title = html.escape(f"Dimension atlas: {self.description}, activation {self.activation}")
        return (f"<div class='nagviz-result'><b>{title}</b><table>{head}{body}</table>"
                f"<small>* and shading: below the expected dimension. "
                f"{html.escape(self.footer())}</small></div>")


def grid_atlas(widths_of, row_values, column_values, activation=2, *, bias: bool = False,
               row_label: str = "row", column_label: str = "column",
               description: str | None = None, seed: int = 0, trials: int = 2,
               progress=None, cache_dir=None, max_work: int | None = None,
               max_total_work: int | None = None) -> AtlasResult:
    """The engine behind the atlases: a grid of architectures built by ``widths_of``.

    Parameters
    ----------
    widths_of : callable
        ``widths_of(row, column)`` returns the widths of one cell.
    row_values, column_values : int or sequence of int
    activation : int, str or Activation, default 2
    bias : bool, default False
    row_label, column_label, description : str
        Names used by tables and plots.
    seed, trials, progress, cache_dir, max_work, max_total_work
        As in :func:`sweep`.

    Returns
    -------
    AtlasResult

    Examples
    --------
    >>> a = grid_atlas(lambda n, w: (n, w, w, 1), [2, 3], [2, 3], 2, cache_dir=False)
    >>> a.dimension.tolist(), a.expected.tolist()     # (3, 2, 2, 1) and (3, 3, 3, 1) defective
    ([[5, 5], [7, 12]], [[5, 5], [8, 15]])
    """
    rows = positive_ints(row_values, row_label)
    cols = positive_ints(column_values, column_label)
    act = as_activation(activation)
    grid = [[Architecture(widths_of(r, c), act, bias=bias) for c in cols] for r in rows]
    flat = [a for row in grid for a in row]
    results = sweep(flat, seed=seed, trials=trials, progress=progress, cache_dir=cache_dir,
                    max_work=max_work, max_total_work=max_total_work).results
    shape = (len(rows), len(cols))

    def arr(attr):
        # counts beyond int64 (deep networks of high degree) are kept as Python integers
        values = [getattr(r, attr) for r in results]
        dtype = np.int64 if all(-2**63 <= v < 2**63 for v in values) else object
        return readonly(np.array(values, dtype=dtype).reshape(shape))

    dims, exp = arr("dimension"), arr("expected_dimension")
    return AtlasResult(
        row_label=row_label, column_label=column_label, row_values=rows, column_values=cols,
        widths=tuple(tuple(a.widths for a in row) for row in grid),
        activation=str(grid[0][0].activation), bias=bool(bias),
        dimension=dims, expected=exp, ambient=arr("ambient_dimension"),
        parameters=arr("parameters"), defect=readonly(exp - dims),
        certified=readonly(np.array([r.certified for r in results], dtype=bool).reshape(shape)),
        description=description or "custom grid",
        method=results[0].method, prime=results[0].prime, seed=int(seed), trials=int(trials))


def shallow_atlas(d0_values, d1_values, r=2, outputs: int = 1, *, bias: bool = False,
                  seed: int = 0, trials: int = 2, progress=None, cache_dir=None,
                  max_work: int | None = None, max_total_work: int | None = None) -> AtlasResult:
    """Dimensions of the shallow networks ``(d_0, d_1, outputs)`` over a grid.

    Rows are input widths ``d_0``, columns hidden widths ``d_1``. With one output and
    ``sigma = z^r`` this is the Alexander–Hirschowitz table (see the module docstring).

    Parameters
    ----------
    d0_values, d1_values : int or sequence of int (e.g. ``range(2, 7)``)
    r : int or str, default 2
        Monomial degree, or a polynomial activation such as ``"z^3 + z^2"``.
    outputs : int, default 1
    bias : bool, default False
    seed, trials, progress, cache_dir, max_work, max_total_work
        As in :func:`sweep`.

    Returns
    -------
    AtlasResult

    Examples
    --------
    >>> a = shallow_atlas(range(2, 6), range(1, 15), 4, cache_dir=False)
    >>> [a.widths[i][j] for i, j in np.argwhere(a.defect > 0)]   # Alexander-Hirschowitz
    [(3, 5, 1), (4, 9, 1), (5, 14, 1)]
    """
    outputs = positive_ints(outputs, "outputs")[0]
    return grid_atlas(lambda d0, d1: (d0, d1, outputs), d0_values, d1_values, r, bias=bias,
                      row_label="d_0", column_label="d_1",
                      description=f"widths (d_0, d_1, {outputs})", seed=seed, trials=trials,
                      progress=progress, cache_dir=cache_dir, max_work=max_work,
                      max_total_work=max_total_work)


def deep_atlas(d0_values, width_values, r=2, hidden_layers: int = 2, outputs: int = 1, *,
               bias: bool = False, seed: int = 0, trials: int = 2, progress=None,
               cache_dir=None, max_work: int | None = None,
               max_total_work: int | None = None) -> AtlasResult:
    """Dimensions of ``(d_0, w, ..., w, outputs)`` with ``hidden_layers`` layers of width ``w``.

    Rows are input widths ``d_0``, columns the common hidden width ``w``.

    Examples
    --------
    >>> a = deep_atlas([2, 3], [1, 2, 3], 2, hidden_layers=2, cache_dir=False)
    >>> a.widths[1][2], int(a.dimension[1, 2]), int(a.expected[1, 2])   # 12, not 15
    ((3, 3, 3, 1), 12, 15)
    """
    hidden_layers = positive_ints(hidden_layers, "hidden_layers")[0]
    outputs = positive_ints(outputs, "outputs")[0]
    pattern = ", ".join(["w"] * hidden_layers)
    return grid_atlas(lambda d0, w: (d0,) + (w,) * hidden_layers + (outputs,), d0_values,
                      width_values, r, bias=bias, row_label="d_0", column_label="w",
                      description=f"widths (d_0, {pattern}, {outputs})", seed=seed,
                      trials=trials, progress=progress, cache_dir=cache_dir,
                      max_work=max_work, max_total_work=max_total_work)


# ----------------------------------------------------------------------------------
# the theorem, for comparison
# ----------------------------------------------------------------------------------
_AH_EXCEPTIONS = {(3, 5, 4), (4, 9, 4), (5, 14, 4), (5, 7, 3)}


def alexander_hirschowitz_dimension(n: int, k: int, r: int) -> int:
    """Dimension of ``{sum of k r-th powers of linear forms in n variables}`` (affine cone).

    The Alexander–Hirschowitz theorem: ``min(k n, binom(n + r - 1, r))``, except for
    ``r = 2`` (quadrics of rank ``<= k``: ``k n - binom(k, 2)`` when ``k < n``) and the
    four cases ``(n, k, r) = (3, 5, 4), (4, 9, 4), (5, 14, 4), (5, 7, 3)``, one less. This
    is the dimension of the neurovariety of widths ``(n, k, 1)`` with ``sigma = z^r``,
    ``r >= 2``; it comes from the theorem, not from a computation, so tests can compare.

    Examples
    --------
    >>> alexander_hirschowitz_dimension(3, 5, 4), alexander_hirschowitz_dimension(3, 2, 2)
    (14, 5)
    """
    for name, v in (("n", n), ("k", k), ("r", r)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a positive integer, got {v!r}")
    if r < 2:
        raise ValueError("the theorem is about r >= 2 (r = 1 is a linear network)")
    ambient = math.comb(n + r - 1, r)
    if r == 2 and k < n:
        return k * n - math.comb(k, 2)
    if (n, k, r) in _AH_EXCEPTIONS:
        return min(k * n, ambient) - 1
    return min(k * n, ambient)


# ----------------------------------------------------------------------------------
# dimension as a function of the activation degree
# ----------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class ThresholdResult:
    """Dimension of one width pattern as the activation degree ``r`` grows.

    Attributes
    ----------
    widths : tuple of int
    bias : bool
    degrees : tuple of int
        The values of ``r`` (activation ``z^r``).
    dimension, expected, ambient, parameters : numpy.ndarray of int
        One entry per degree.
    threshold : int or None
        The smallest ``r >= 2`` in ``degrees`` from which the dimension equals the
        expected dimension for every larger ``r`` computed; ``None`` if the last
        computed degree is still defective.
    method : str
    prime, seed, trials : int
    """

    widths: tuple
    bias: bool
    degrees: tuple
    dimension: np.ndarray
    expected: np.ndarray
    ambient: np.ndarray
    parameters: np.ndarray
    threshold: int | None
    method: str
    prime: int
    seed: int
    trials: int

    @property
    def defect(self) -> np.ndarray:
        return self.expected - self.dimension

    @property
    def reached(self) -> np.ndarray:
        """Whether the dimension equals the expected dimension, per degree."""
        return self.dimension == self.expected

    def __repr__(self) -> str:
        lines = [f"ThresholdResult for widths {self.widths}"
                 + (" with biases" if self.bias else "") + ": dimension against r"]
        lines.append("  r         " + "".join(f"{r:>6}" for r in self.degrees))
        for name in ("dimension", "expected", "ambient"):
            lines.append(f"  {name:<10}" + "".join(f"{int(v):>6}" for v in getattr(self, name)))
        verdict = (f"reaches the expected dimension from r = {self.threshold}"
                   if self.threshold is not None else
                   f"still defective at r = {self.degrees[-1]}")
        lines.append(f"  {verdict}")
        lines.append(f"  {self.method}, p = {self.prime}, seed = {self.seed}, "
                     f"up to {self.trials} trial(s)")
        return "\n".join(lines)

    def plot(self, ax=None, **kwargs):
        """Dimension against the activation degree, with matplotlib (:func:`nagviz.plotting.plot_threshold`); returns the axes."""
        from .plotting import plot_threshold

        return plot_threshold(self, ax=ax, **kwargs)

    def _repr_html_(self) -> str:
        head = "<tr><th>r</th>" + "".join(f"<th>{r}</th>" for r in self.degrees) + "</tr>"
        body = ""
        for name in ("dimension", "expected", "ambient"):
            body += f"<tr><th>{name}</th>" + "".join(
                f"<td>{int(v)}</td>" for v in getattr(self, name)) + "</tr>"
        verdict = (f"reaches the expected dimension from r = {self.threshold}"
                   if self.threshold is not None else
                   f"still defective at r = {self.degrees[-1]}")
        return (f"<div class='nagviz-result'><b>Widths {self.widths}: dimension against r</b>"
                f"<table>{head}{body}</table><small>{verdict}; {html.escape(self.method)}, "
                f"p = {self.prime}, seed = {self.seed}</small></div>")


def degree_threshold(widths, r_max: int = 6, r_min: int = 2, *, bias: bool = False,
                     seed: int = 0, trials: int = 2, progress=None, cache_dir=None,
                     max_work: int | None = None) -> ThresholdResult:
    """Dimension of the neurovariety of ``widths`` with ``sigma = z^r`` for ``r_min..r_max``.

    Parameters
    ----------
    widths : sequence of int or str
    r_max : int, default 6
    r_min : int, default 2
        Use ``1`` to include the linear network (whose expected dimension is counted
        differently: see :attr:`Architecture.expected_dimension`).
    bias : bool, default False
    seed, trials, progress, cache_dir, max_work
        As in :func:`sweep`.

    Returns
    -------
    ThresholdResult

    Examples
    --------
    >>> t = degree_threshold((3, 3, 3, 1), r_max=4, cache_dir=False)
    >>> t.dimension.tolist(), t.threshold
    ([12, 15, 15], 3)
    >>> degree_threshold((2, 1, 2, 1), r_max=4, cache_dir=False).threshold is None
    True
    """
    r_min, r_max = int(r_min), int(r_max)
    if r_min < 1 or r_max < r_min:
        raise ValueError(f"need 1 <= r_min <= r_max, got r_min={r_min}, r_max={r_max}")
    degrees = tuple(range(r_min, r_max + 1))
    archs = [Architecture(widths, r, bias=bias) for r in degrees]
    results = sweep(archs, seed=seed, trials=trials, progress=progress, cache_dir=cache_dir,
                    max_work=max_work).results
    dims = np.array([r.dimension for r in results])
    exp = np.array([r.expected_dimension for r in results])
    threshold = None
    for r, d, e in zip(reversed(degrees), reversed(dims), reversed(exp)):
        if r < 2 or d != e:
            break
        threshold = r
    return ThresholdResult(
        widths=archs[0].widths, bias=bool(bias), degrees=degrees, dimension=readonly(dims),
        expected=readonly(exp),
        ambient=readonly(np.array([r.ambient_dimension for r in results])),
        parameters=readonly(np.array([r.parameters for r in results])),
        threshold=threshold, method=results[0].method, prime=results[0].prime,
        seed=int(seed), trials=int(trials))


# ----------------------------------------------------------------------------------
# filling widths
# ----------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class FillingResult:
    """The smallest hidden width whose network fills its ambient space.

    Attributes
    ----------
    input_width, outputs, hidden_layers : int
        The family ``(input_width, w, ..., w, outputs)``.
    activation : str
    ambient : int
        The ambient dimension (the same for every ``w``).
    counting_bound : int
        The smallest ``w`` whose *expected* dimension reaches the ambient dimension: no
        narrower network can fill.
    width : int or None
        The smallest filling width, or ``None`` if none up to ``max_width`` fills.
    dimensions : tuple of (int, int)
        ``(w, dimension)`` for every width computed, from ``counting_bound`` up.
    method : str
    prime, seed, trials : int
    """

    input_width: int
    outputs: int
    hidden_layers: int
    activation: str
    ambient: int
    counting_bound: int
    width: int | None
    dimensions: tuple
    method: str
    prime: int
    seed: int
    trials: int

    @property
    def exceeds_counting(self) -> bool:
        """Whether counting parameters underestimates the filling width (a defect)."""
        return self.width is None or self.width > self.counting_bound

    def _pattern(self) -> str:
        return f"({self.input_width}, {', '.join(['w'] * self.hidden_layers)}, {self.outputs})"

    def __repr__(self) -> str:
        found = (f"w = {self.width}" if self.width is not None
                 else f"none up to w = {self.dimensions[-1][0]}")
        return "\n".join([
            f"FillingResult for widths {self._pattern()}, activation {self.activation}",
            f"  ambient dimension       {self.ambient}",
            f"  counting lower bound    w >= {self.counting_bound}",
            f"  minimal filling width   {found}"
            + ("  (counting is not enough)" if self.exceeds_counting else ""),
            "  dimensions              " + ", ".join(f"w={w}: {d}" for w, d in self.dimensions),
            f"  {self.method}, p = {self.prime}, seed = {self.seed}, up to {self.trials} trial(s)",
        ])

    def _repr_html_(self) -> str:
        found = str(self.width) if self.width is not None else "none found"
        dims = ", ".join(f"w={w}: {d}" for w, d in self.dimensions)
        return (f"<div class='nagviz-result'><b>Minimal filling width of {self._pattern()}, "
                f"&sigma;(z) = {html.escape(self.activation)}</b><table>"
                f"<tr><td>ambient dimension</td><td>{self.ambient}</td></tr>"
                f"<tr><td>counting lower bound</td><td>{self.counting_bound}</td></tr>"
                f"<tr><td><b>minimal filling width</b></td><td><b>{found}</b></td></tr></table>"
                f"<small>{dims}<br>{html.escape(self.method)}, p = {self.prime}, "
                f"seed = {self.seed}</small></div>")


def minimal_filling_width(d0: int, r=2, outputs: int = 1, hidden_layers: int = 1, *,
                          bias: bool = False, max_width: int = 64, seed: int = 0,
                          trials: int = 2, progress=None, cache_dir=None,
                          max_work: int | None = None) -> FillingResult:
    """The smallest ``w`` such that ``(d0, w, ..., w, outputs)`` fills its ambient space.

    Counting gives a lower bound (the expected dimension must reach the ambient
    dimension); the search starts there and goes up one width at a time. Adding a
    neuron never lowers the dimension, so the first filling width found is the minimum.

    Parameters
    ----------
    d0 : int
        Input width.
    r : int or str, default 2
        Activation degree (or polynomial).
    outputs : int, default 1
    hidden_layers : int, default 1
    bias : bool, default False
    max_width : int, default 64
        Give up (``width = None``) beyond this width.
    seed, trials, progress, cache_dir, max_work
        As in :func:`sweep`; ``progress`` counts widths up to ``max_width``.

    Returns
    -------
    FillingResult

    Examples
    --------
    Ternary quartics need 6 fourth powers, not the 5 that counting suggests (Clebsch):

    >>> f = minimal_filling_width(3, 4, cache_dir=False)
    >>> f.counting_bound, f.width
    (5, 6)
    """
    d0, outputs, hidden_layers = (positive_ints(v, name)[0] for v, name in (
        (d0, "d0"), (outputs, "outputs"), (hidden_layers, "hidden_layers")))

    act = as_activation(r)

    def arch(w):
        return Architecture((d0,) + (w,) * hidden_layers + (outputs,), act, bias=bias)

    ambient = arch(1).ambient_dimension
    bound = None
    for w in range(1, max_width + 1):
        if arch(w).expected_dimension >= ambient:
            bound = w
            break
    dims = []
    width = None
    if bound is not None:
        total = max_width - bound + 1
        if progress is not None:
            progress(0, total)
        for i, w in enumerate(range(bound, max_width + 1), start=1):
            res = sweep([arch(w)], seed=seed, trials=trials, cache_dir=cache_dir,
                        max_work=max_work)[0]
            dims.append((w, res.dimension))
            if progress is not None:
                progress(i if res.dimension < ambient else total, total)
            if res.dimension == ambient:
                width = w
                break
    a1 = arch(1)
    return FillingResult(
        input_width=d0, outputs=outputs, hidden_layers=hidden_layers,
        activation=str(a1.activation), ambient=ambient,
        counting_bound=bound if bound is not None else max_width + 1, width=width,
        dimensions=tuple(dims), method=METHOD, prime=DEFAULT_PRIME, seed=int(seed),
        trials=int(trials))


# ----------------------------------------------------------------------------------
# the families and patterns of notebook 02
# ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class AtlasFamily:
    """A family of architectures laid out on a grid: rows ``d_0``, columns a width.

    ``label`` and ``pattern`` name it in menus and titles; ``widths_of(d0, w)`` gives
    the widths of one cell; ``shallow_one_output`` marks the family of the
    Alexander–Hirschowitz theorem.

    Examples
    --------
    >>> ATLAS_FAMILIES["deep2"].widths_of(3, 4)
    (3, 4, 4, 1)
    """

    label: str
    pattern: str
    widths_of: Callable[[int, int], tuple]
    rows: tuple
    columns: tuple
    column_label: str
    shallow_one_output: bool = False


ATLAS_FAMILIES = {
    "shallow": AtlasFamily("shallow (d₀, d₁, 1)", "(d₀, d₁, 1)", lambda d0, w: (d0, w, 1),
                           tuple(range(2, 7)), tuple(range(1, 16)), "d₁", True),
    "shallow2": AtlasFamily("two outputs (d₀, d₁, 2)", "(d₀, d₁, 2)",
                            lambda d0, w: (d0, w, 2), tuple(range(2, 7)), tuple(range(1, 16)),
                            "d₁"),
    "deep2": AtlasFamily("deep (d₀, w, w, 1)", "(d₀, w, w, 1)", lambda d0, w: (d0, w, w, 1),
                         tuple(range(2, 7)), tuple(range(1, 9)), "w"),
    "deep3": AtlasFamily("deeper (d₀, w, w, w, 1)", "(d₀, w, w, w, 1)",
                         lambda d0, w: (d0, w, w, w, 1), tuple(range(2, 6)), tuple(range(1, 7)),
                         "w"),
    "bottleneck": AtlasFamily("bottleneck (d₀, 1, w, 1)", "(d₀, 1, w, 1)",
                              lambda d0, w: (d0, 1, w, 1), tuple(range(2, 7)),
                              tuple(range(1, 9)), "w"),
}

#: Width patterns whose dimension against the activation degree notebook 02 shows.
THRESHOLD_PRESETS = (
    (3, 3, 3), (4, 4, 4), (3, 3, 3, 1), (4, 4, 4, 1), (2, 2, 2, 2, 1), (4, 3, 2, 1),
    (3, 2, 1), (3, 5, 1), (2, 1, 2, 1), (3, 1, 3, 1), (2, 3, 3, 3, 1),
)
