"""The parameterization ``phi: w -> f_w`` of a polynomial network.

Three views of the same map:

* :func:`evaluate` -- the network as a numerical function on a batch of inputs (numpy);
* :func:`coefficients` -- the coefficient vector of ``f_w`` in the monomial basis of
  :meth:`Model.monomials`, the point of the neuromanifold in the ambient space;
* :func:`output_polynomials` -- the exact output polynomials (sympy), for small MLPs.

:func:`evaluate` and :func:`coefficients` take any :class:`nagviz.model.Model` (MLPs,
CNNs, ...): they run the family's forward pass in floating point. :func:`unflatten`,
:func:`flatten` and :func:`output_polynomials` are about the MLP's layout.

Parameters are flat vectors (see :meth:`Model.random_parameters`); a leading
batch axis is allowed everywhere, so many networks are evaluated at once.
"""

from __future__ import annotations

import numpy as np

from ._arithmetic import Floats
from .architecture import Architecture, symbolic_expansion_work
from .cache import memoize
from .model import as_model

__all__ = [
    "unflatten",
    "flatten",
    "evaluate",
    "coefficients",
    "interpolation_grid",
    "values_to_coefficients",
    "output_polynomials",
    "polynomials_latex",
    "variables",
    "monomial_labels",
]

#: the largest evaluation grid :func:`coefficients` builds before asking for a smaller network
MAX_FFT_GRID = 400_000
#: the largest number of monomials :func:`output_polynomials` expands symbolically
MAX_SYMBOLIC_MONOMIALS = 400
#: the most work (term operations, :func:`nagviz.architecture.symbolic_expansion_work`)
#: :func:`output_polynomials` spends expanding: about a fifth of a second of sympy
MAX_SYMBOLIC_WORK = 20_000


def _as_architecture(arch) -> Architecture:
    return arch if isinstance(arch, Architecture) else Architecture(arch)


def _check_theta(model, theta) -> np.ndarray:
    theta = np.asarray(theta)
    if theta.dtype == object or theta.dtype == bool or not np.issubdtype(theta.dtype, np.number):
        raise TypeError(f"parameters must be a numeric array, got dtype {theta.dtype}")
    if theta.ndim == 0 or theta.shape[-1] != model.n_parameters:
        raise ValueError(
            f"{model!r} has {model.n_parameters} parameters, so the parameter vector must have "
            f"last axis of length {model.n_parameters}; got shape {theta.shape}"
        )
    return theta


def unflatten(arch: Architecture, theta) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """Split a flat parameter vector into ``[(W_1, b_1), ..., (W_L, b_L)]``.

    ``W_i`` has shape ``(..., d_i, d_{i-1})``; ``b_i`` is ``None`` without biases.

    Examples
    --------
    >>> arch = Architecture((2, 1, 1))
    >>> [(W.tolist(), b) for W, b in unflatten(arch, [1.0, 2.0, 3.0])]
    [([[1.0, 2.0]], None), ([[3.0]], None)]
    """
    arch = _as_architecture(arch)
    theta = _check_theta(arch, theta)
    batch = theta.shape[:-1]
    layers, pos = [], 0
    for rows, cols in arch.layer_shapes:
        W = theta[..., pos:pos + rows * cols].reshape(batch + (rows, cols))
        pos += rows * cols
        b = None
        if arch.bias:
            b = theta[..., pos:pos + rows]
            pos += rows
        layers.append((W, b))
    return layers


def flatten(arch: Architecture, layers) -> np.ndarray:
    """Inverse of :func:`unflatten`: ``[(W_1, b_1), ...]`` (or ``[W_1, ...]``) to a flat vector.

    Examples
    --------
    >>> arch = Architecture((2, 1, 1))
    >>> flatten(arch, [[[1, 2]], [[3]]]).tolist()
    [1.0, 2.0, 3.0]
    """
    arch = _as_architecture(arch)
    parts = []
    for (rows, cols), layer in zip(arch.layer_shapes, layers, strict=True):
        W, b = (layer if isinstance(layer, tuple) else (layer, None))
        W = np.asarray(W, dtype=float)
        if W.shape[-2:] != (rows, cols):
            raise ValueError(f"weight matrix of shape {W.shape}, expected {(rows, cols)}")
        parts.append(W.reshape(W.shape[:-2] + (-1,)))
        if arch.bias:
            if b is None:
                raise ValueError(f"{arch!r} has biases: give each layer as (W, b)")
            parts.append(np.asarray(b, dtype=float))
    return np.concatenate(parts, axis=-1)


def _float_batch(model, theta):
    """``theta`` as a float (or complex) array of shape (B, P), with its batch shape."""
    theta = _check_theta(model, theta)
    dtype = np.result_type(theta.dtype, float)
    return theta.reshape((-1, model.n_parameters)).astype(dtype), theta.shape[:-1]


def evaluate(model, theta, X) -> np.ndarray:
    """Evaluate a network (any :class:`nagviz.model.Model`) on a batch of inputs.

    Computed in floating point (complex if the parameters or inputs are): integer
    parameters are converted, so nothing wraps around as int64 would.

    Parameters
    ----------
    model : Model (e.g. Architecture, CNNArchitecture) or widths
    theta : array_like, shape (..., n_parameters)
        One parameter vector or a batch of them.
    X : array_like, shape (n, d_0)
        Input points (real or complex).

    Returns
    -------
    numpy.ndarray, shape (..., n, d_L)

    Examples
    --------
    >>> arch = Architecture((2, 1, 1), activation=2)        # f(x) = v (a x + b y)^2
    >>> evaluate(arch, [1.0, 2.0, 3.0], [[1.0, 1.0], [1.0, 0.0]]).ravel().tolist()
    [27.0, 3.0]
    >>> evaluate(arch, [10**6, 10**6, 10**6], [[10**3, 10**3]]).item()   # no int64 overflow
    4e+24
    """
    model = as_model(model)
    X = np.asarray(X)
    n = model.input_dimension
    if X.ndim != 2 or X.shape[1] != n:
        raise ValueError(
            f"inputs must have shape (N, {n}) for input dimension {n}, got {X.shape}")
    if not np.issubdtype(X.dtype, np.number) or X.dtype == bool:
        raise TypeError(f"inputs must be numbers, got dtype {X.dtype}")
    th, batch = _float_batch(model, theta)
    _require_finite(th, "parameters")
    _require_finite(X, "inputs")
    dtype = np.result_type(th.dtype, X.dtype, float)
    Xb = np.broadcast_to(X.astype(dtype), (th.shape[0],) + X.shape)
    out = model.forward(th.astype(dtype), Xb, Floats(model.activation))
    return out.reshape(batch + out.shape[1:])


def _require_finite(values, what: str) -> None:
    if not np.all(np.isfinite(values)):
        bad = "NaN" if np.any(np.isnan(values)) else "infinity"
        raise ValueError(f"the {what} contain {bad}: give finite numbers (a diverged training "
                         "run, perhaps; lower the learning rate)")


def interpolation_grid(model) -> np.ndarray:
    """The grid of complex roots of unity on which :func:`coefficients` evaluates.

    ``(D + 1)^n`` points for output degree ``D`` in ``n`` variables: on it, the discrete
    Fourier transform of the values is exactly the coefficient tensor.

    Examples
    --------
    >>> interpolation_grid(Architecture((1, 1, 1))).round(12).tolist()
    [[(1+0j)], [(-0.5+0.866025403784j)], [(-0.5-0.866025403784j)]]
    """
    model = as_model(model)
    n, D = model.input_dimension, model.output_degree
    grid_size = (D + 1) ** n
    if grid_size > MAX_FFT_GRID:
        raise ValueError(
            f"{model!r} has output degree {D} in {n} variables: interpolation needs "
            f"{grid_size:,} evaluations (limit {MAX_FFT_GRID:,}); use a smaller network, or "
            "nagviz.dimension for the dimension, which needs no coefficients"
        )
    roots = np.exp(2j * np.pi * np.arange(D + 1) / (D + 1))
    return np.stack(np.meshgrid(*([roots] * n), indexing="ij"), axis=-1).reshape(-1, n)


def values_to_coefficients(model, values) -> np.ndarray:
    """From values on :func:`interpolation_grid` to monomial coefficients (an FFT).

    ``values`` has shape (..., grid, k) for any ``k`` stacked quantities (outputs, or
    outputs and their derivatives); the result has shape (..., k, monomials_per_output).

    Examples
    --------
    >>> a = Architecture((1, 1, 1))                       # v (w x)^2 = 12 x^2 at (2, 3)
    >>> v = evaluate(a, [2.0, 3.0], interpolation_grid(a))
    >>> values_to_coefficients(a, v).real.round(12).tolist()
    [[12.0]]
    """
    model = as_model(model)
    n, D = model.input_dimension, model.output_degree
    values = np.asarray(values)
    batch, k = values.shape[:-2], values.shape[-1]
    tensor = np.moveaxis(values, -1, -2).reshape(batch + (k,) + (D + 1,) * n)
    coeff = np.fft.fftn(tensor, axes=tuple(range(-n, 0))) / (D + 1) ** n
    idx = tuple(np.array(e) for e in zip(*model.monomials()))
    return coeff[(Ellipsis,) + idx]


def coefficients(model, theta) -> np.ndarray:
    """The coefficients of the output polynomials, in the basis :meth:`Model.monomials`.

    Computed by evaluating the network on a grid of complex roots of unity and
    applying an FFT: an exact interpolation that is perfectly conditioned, so it stays
    accurate for high degrees (up to floating-point rounding of the evaluation).
    Works for every :class:`nagviz.model.Model`.

    Parameters
    ----------
    model : Model or widths
    theta : array_like, shape (..., n_parameters)

    Returns
    -------
    numpy.ndarray, shape (..., d_L, monomials_per_output)
        Reshape to ``(..., ambient_dimension)`` for the point in the ambient space.

    Examples
    --------
    >>> arch = Architecture((2, 1, 1), activation=2)     # v (a x + b y)^2
    >>> coefficients(arch, [1.0, 2.0, 3.0]).round(10).tolist()   # (v a^2, 2 v a b, v b^2)
    [[3.0, 12.0, 12.0]]
    """
    model = as_model(model)
    theta = _check_theta(model, theta)
    grid = interpolation_grid(model)
    out = values_to_coefficients(model, evaluate(model, theta.astype(complex), grid))
    return out if np.iscomplexobj(theta) else out.real


def variables(n: int):
    """The sympy symbols nagviz uses for ``n`` inputs: ``x, y`` (``x, y, z``) or ``x1, ..., xn``.

    Examples
    --------
    >>> variables(2)
    (x, y)
    >>> variables(4)
    (x1, x2, x3, x4)
    """
    import sympy

    if n <= 3:
        return tuple(sympy.symbols("x y z")[:n])
    return sympy.symbols(f"x1:{n + 1}")


def monomial_labels(arch: Architecture, latex: bool = False) -> list[str]:
    """Readable names of the ambient coordinates of one output, e.g. ``['x^2', 'x*y', 'y^2']``.

    Examples
    --------
    >>> monomial_labels(Architecture((2, 1, 1)))
    ['x^2', 'x*y', 'y^2']
    >>> monomial_labels(Architecture((2, 1, 1)), latex=True)
    ['x^{2}', 'x y', 'y^{2}']
    """
    import sympy

    xs = variables(arch.widths[0])
    labels = []
    for e in _as_architecture(arch).monomials():
        mono = sympy.Mul(*[v**k for v, k in zip(xs, e)])
        labels.append(sympy.latex(mono) if latex else str(mono).replace("**", "^"))
    return labels


def output_polynomials(arch: Architecture, theta=None):
    """The output polynomials of the network, exactly (sympy).

    Parameters
    ----------
    arch : Architecture
    theta : array_like, optional
        Numbers (ints, fractions, floats) or sympy expressions, one per parameter. If
        omitted, symbolic weights ``w1_11, w1_12, ...`` (layer, row, column) and biases
        ``b1_1, ...`` are used.

    Returns
    -------
    list of sympy expressions
        One expanded polynomial per output, in the variables of :func:`variables`. Use
        ``sympy.latex`` to typeset them.

    Examples
    --------
    >>> output_polynomials(Architecture((2, 1, 1)), [1, 2, 3])
    [3*x**2 + 12*x*y + 12*y**2]
    >>> output_polynomials(Architecture((2, 1, 1)))
    [w1_11**2*w2_11*x**2 + 2*w1_11*w1_12*w2_11*x*y + w1_12**2*w2_11*y**2]
    """
    import sympy

    arch = _as_architecture(arch)
    if arch.ambient_dimension > MAX_SYMBOLIC_MONOMIALS:
        raise ValueError(
            f"{arch!r} has {arch.ambient_dimension:,} output coefficients; symbolic expansion is "
            f"limited to {MAX_SYMBOLIC_MONOMIALS}. Use nagviz.coefficients for numbers."
        )
    work = symbolic_expansion_work(arch, symbolic=theta is None)
    if work > MAX_SYMBOLIC_WORK:
        raise ValueError(
            f"expanding {arch!r} {'with symbolic weights ' if theta is None else ''}would take "
            f"about {work:.1e} term operations; symbolic expansion is limited to "
            f"{MAX_SYMBOLIC_WORK:,} of work. Use a smaller network, numeric weights, or "
            "nagviz.coefficients for numbers")
    if theta is None:
        symbols = []
        for layer, (rows, cols) in enumerate(arch.layer_shapes, start=1):
            symbols += [sympy.Symbol(f"w{layer}_{i}{j}") for i in range(1, rows + 1)
                        for j in range(1, cols + 1)]
            if arch.bias:
                symbols += [sympy.Symbol(f"b{layer}_{i}") for i in range(1, rows + 1)]
        theta = symbols
    if isinstance(theta, (str, bytes)):
        raise TypeError("theta must be a sequence of numbers or sympy expressions, not a string")
    theta = list(theta)
    if len(theta) != arch.n_parameters:
        raise ValueError(f"{arch!r} has {arch.n_parameters} parameters, got {len(theta)}")
    theta = [_exact(t) for t in theta]
    xs = variables(arch.widths[0])
    z = sympy.Symbol("z")
    sigma = sum(sympy.Rational(c.numerator, c.denominator) * z**k
                for k, c in enumerate(arch.activation.coefficients))
    h = sympy.Matrix(xs)
    pos = 0
    for i, (rows, cols) in enumerate(arch.layer_shapes):
        W = sympy.Matrix(rows, cols, theta[pos:pos + rows * cols])
        pos += rows * cols
        h = W * h
        if arch.bias:
            h = h + sympy.Matrix(theta[pos:pos + rows])
            pos += rows
        if i < arch.depth - 1:
            h = h.applyfunc(lambda e: sympy.expand(sigma.subs(z, e)))
    return [sympy.expand(e) for e in h]


def _exact(t):
    """A number or sympy expression as a sympy object; strings are never parsed."""
    import sympy
    from fractions import Fraction

    if isinstance(t, sympy.Basic):
        return t
    if isinstance(t, (bool, np.bool_)) or isinstance(t, (str, bytes)):
        raise TypeError(f"parameters must be numbers or sympy expressions, got {t!r}")
    if isinstance(t, (int, np.integer)):
        return sympy.Integer(int(t))
    if isinstance(t, Fraction):
        return sympy.Rational(t.numerator, t.denominator)
    if isinstance(t, (float, np.floating)):
        if not np.isfinite(t):
            raise ValueError(f"parameters must be finite, got {t!r}")
        return sympy.Integer(int(t)) if float(t).is_integer() else sympy.Float(float(t))
    if isinstance(t, (complex, np.complexfloating)):
        return sympy.Float(t.real) + sympy.I * sympy.Float(t.imag)
    raise TypeError(f"parameters must be numbers or sympy expressions, got {t!r}")


def polynomials_latex(arch: Architecture, theta=None) -> list[str]:
    r"""LaTeX of :func:`output_polynomials`, with weights typeset as ``W^{(layer)}_{ij}``.

    Examples
    --------
    >>> polynomials_latex(Architecture((2, 1, 1)), [1, 2, 3])
    ['3 x^{2} + 12 x y + 12 y^{2}']
    >>> polynomials_latex(Architecture((1, 1, 1)))
    ['\\left(W^{(1)}_{11}\\right)^{2} W^{(2)}_{11} x^{2}']

    With symbolic weights (no ``theta``) the result is cached in memory and on disk: a
    notebook's second run shows it without importing sympy.
    """
    if theta is None and isinstance(arch, Architecture):
        return list(_symbolic_latex(arch))
    return _latex(arch, theta)


@memoize("parameterization.symbolic_latex", disk=True, maxsize=64, encode=list, decode=tuple)
def _symbolic_latex(arch):
    return tuple(_latex(arch, None))


def _latex(arch, theta):
    import sympy

    polys = output_polynomials(arch, theta)
    names = {}
    for poly in polys:
        for sym in poly.free_symbols:
            name = sym.name
            if name[0] in "wb" and "_" in name:
                layer, index = name[1:].split("_")
                base = "W" if name[0] == "w" else "b"
                names[sym] = f"{base}^{{({layer})}}_{{{index}}}"
    return [sympy.latex(poly, symbol_names=names) for poly in polys]
