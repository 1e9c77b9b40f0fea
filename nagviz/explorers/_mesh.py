"""Surfaces drawn as triangle meshes, and level curves as lines: cheap to redraw.

plotly's ``surface`` trace resamples every grid to at least 128 points a side and
rebuilds it whenever anything in its figure changes: a slider that moves one marker
in a 3-D scene redraws every surface of the scene. In a browser without a graphics
card (a projector laptop, a JupyterHub in a virtual machine, headless Chromium in the
tests) that took 70-425 ms a slider move (``benchmarks/redraw.py``). The same grid as
a ``mesh3d`` (two triangles per grid cell, cells with a missing corner left out) took
62 ms instead of 425 for notebook 05's slice, 121 instead of 223 for notebook 01's cone
(median of six moves, one run) and looks the same: smooth shading, the same colour
scale, the same lighting. Except in one case: a *translucent* mesh that folds in front of itself shows
its triangles (they are blended in index order), where plotly's surface blends
smoothly; such surfaces (the two-neuron fibers of notebook 03) stay ``surface`` traces,
and a loss surface that the scene's box cuts off is drawn opaque.

``surface`` draws level curves itself (``contours``); a mesh does not, so
:func:`level_curves` computes them with contourpy (matplotlib's contouring library) as
one line trace.

Examples
--------
>>> m = surface_mesh([0, 1, 2], [0, 1], [[0, 1, 2], [1, 2, 3]], color="#0072B2", name="plane")
>>> m["type"], len(m["x"]), len(m["i"]), m["color"]
('mesh3d', 6, 4, '#0072B2')
"""

from __future__ import annotations

import numpy as np

__all__ = ["surface_mesh", "level_curves"]

# surface attributes a mesh3d understands with the same meaning
_SHARED = ("name", "showlegend", "legendgroup", "opacity", "hoverinfo", "hovertemplate",
           "meta", "scene", "visible", "lighting", "lightposition", "colorscale", "cmin",
           "cmax", "showscale", "colorbar")


def _grid(x, y, z):
    """``x``, ``y``, ``z`` as float arrays of one 2-D shape (``None`` read as NaN)."""
    Z = np.asarray(np.asarray(z, dtype=object).tolist(), dtype=float)
    if Z.ndim != 2:
        raise ValueError(f"z must be a 2-D grid, got shape {Z.shape}")
    ny, nx = Z.shape
    X = np.arange(nx, dtype=float) if x is None else np.asarray(
        np.asarray(x, dtype=object).tolist(), dtype=float)
    Y = np.arange(ny, dtype=float) if y is None else np.asarray(
        np.asarray(y, dtype=object).tolist(), dtype=float)
    X = X[None, :] if X.ndim == 1 else X
    Y = Y[:, None] if Y.ndim == 1 else Y
    return np.broadcast_to(X, Z.shape), np.broadcast_to(Y, Z.shape), Z


def surface_mesh(x, y, z, *, surfacecolor=None, color=None, decimals=5, **style):
    """A ``mesh3d`` trace dict drawing the grid surface ``z`` over ``(x, y)``.

    ``x`` and ``y`` are 1-D (the grid's columns and rows) or 2-D like ``z`` (a
    parametric surface); ``None`` or NaN marks a missing point, and a grid cell with a
    missing corner is left out, as ``surface`` leaves it out. The colour comes from
    ``color`` (one colour), else from ``surfacecolor``, else from ``z``, through
    ``colorscale``/``cmin``/``cmax`` as for ``surface``. Other keyword arguments
    (``name``, ``opacity``, ``lighting``, ``scene``, ``meta``, ...) are passed on.
    Coordinates are rounded to ``decimals`` places. The arrays are numpy arrays (float32
    coordinates, 16-bit vertex numbers when they fit): plotly's widget sends them as
    binary buffers, and copying a figure copies them in one piece (a figure with
    ``tolist()`` meshes: notebook 05's slice explorer opened in 0.61 s of kernel time,
    with arrays in 0.21 s, one warm run each).

    Examples
    --------
    >>> z = [[0.0, 1.0, None], [1.0, 2.0, 3.0]]
    >>> m = surface_mesh([0, 1, 2], [0, 1], z, colorscale="Viridis", opacity=0.5)
    >>> len(m["x"]), np.column_stack([m["i"], m["j"], m["k"]]).tolist()   # a cell has a hole
    (5, [[0, 1, 3], [0, 3, 2]])
    >>> m["intensity"].tolist(), m["opacity"], m["flatshading"]
    ([0.0, 1.0, 1.0, 2.0, 3.0], 0.5, False)
    """
    X, Y, Z = _grid(x, y, z)
    ny, nx = Z.shape
    ok = np.isfinite(X) & np.isfinite(Y) & np.isfinite(Z)
    index = np.arange(nx * ny).reshape(ny, nx)
    a, b, c, d = index[:-1, :-1], index[:-1, 1:], index[1:, :-1], index[1:, 1:]
    cell = ok[:-1, :-1] & ok[:-1, 1:] & ok[1:, :-1] & ok[1:, 1:]
    tri_i = np.concatenate([a[cell], a[cell]])
    tri_j = np.concatenate([b[cell], d[cell]])
    tri_k = np.concatenate([d[cell], c[cell]])
    used = ok.ravel()
    renumber = np.cumsum(used) - 1

    def vertices(values):  # float32: seven digits, half the bytes of float64
        return np.round(np.asarray(values, dtype=float).ravel()[used], decimals).astype(np.float32)

    index_type = np.uint16 if used.sum() < 2 ** 16 else np.uint32
    mesh = dict(type="mesh3d", x=vertices(X), y=vertices(Y), z=vertices(Z),
                i=renumber[tri_i].astype(index_type), j=renumber[tri_j].astype(index_type),
                k=renumber[tri_k].astype(index_type), flatshading=False)
    if color is not None:
        mesh["color"] = color
    else:
        values = Z if surfacecolor is None else np.asarray(
            np.asarray(surfacecolor, dtype=object).tolist(), dtype=float)
        mesh["intensity"] = vertices(np.nan_to_num(np.broadcast_to(values, Z.shape)))
    unknown = set(style) - set(_SHARED)
    if unknown:
        raise TypeError(f"surface_mesh() got attributes a mesh3d lacks: {sorted(unknown)}")
    mesh.update(style)
    return mesh


def level_curves(x, y, z, levels, *, at=None, decimals=4):
    """The level curves ``z = c`` for ``c`` in ``levels``, as 3-D polylines.

    Returns ``(xs, ys, zs, cs)``: numpy arrays with NaN between curves (a gap in a
    plotly line), ready for one ``scatter3d`` trace (or, ``xs`` and ``ys``, one
    ``scatter``), and each point's level ``c`` (for a colour scale). The curves lie on
    the surface (height ``c``) unless ``at`` is given: then at that height (a projection
    on the floor of the scene). ``x`` and ``y`` are the grid's 1-D axes. Arrays, not
    lists: plotly copies and sends them in one piece.

    Examples
    --------
    >>> t = np.linspace(-1, 1, 41)
    >>> xs, ys, zs, cs = level_curves(t, t, t[None, :] ** 2 + t[:, None] ** 2, [0.25])
    >>> ok = np.isfinite(xs)
    >>> bool(np.allclose(np.hypot(xs[ok], ys[ok]), 0.5, atol=2e-3)), set(zs[ok].tolist()), float(cs[0])
    (True, {0.25}, 0.25)
    """
    import contourpy

    X, Y, Z = _grid(x, y, z)
    generator = contourpy.contour_generator(X, Y, np.ma.masked_invalid(Z),
                                            line_type=contourpy.LineType.Separate)
    pieces, heights, values = [], [], []
    for level in levels:
        for line in generator.lines(level):
            pieces += [np.round(line, decimals), np.full((1, 2), np.nan)]
            n = len(line) + 1
            heights.append(np.full(n, float(level) if at is None else float(at)))
            values.append(np.full(n, float(level)))
            heights[-1][-1] = np.nan
    if not pieces:
        return tuple(np.empty(0) for _ in range(4))
    xy = np.concatenate(pieces).astype(np.float32)  # seven digits are plenty on screen
    return xy[:, 0], xy[:, 1], np.concatenate(heights), np.concatenate(values)
